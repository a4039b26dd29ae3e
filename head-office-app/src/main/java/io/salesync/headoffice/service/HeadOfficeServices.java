package io.salesync.headoffice.service;

import io.salesync.headoffice.model.WriteAccess;

/**
 * What the window works with once the aggregate database is open.
 *
 * @param access what the window's database user may change: the actions it may not are disabled
 */
public record HeadOfficeServices(
        SalesBrowser sales,
        BranchHealthService health,
        DeadLetterService deadLetters,
        SalesExporter exporter,
        BranchRequests requests,
        WriteAccess access) {}
