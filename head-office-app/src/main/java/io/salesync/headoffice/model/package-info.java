/**
 * Plain values the window, the services and the queries exchange: filters, sort orders, rows,
 * totals. No behaviour beyond checking themselves, and no dependency on any other layer.
 */
package io.salesync.headoffice.model;
