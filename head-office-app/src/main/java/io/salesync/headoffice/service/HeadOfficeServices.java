package io.salesync.headoffice.service;

/** What the window works with once the aggregate database is open. */
public record HeadOfficeServices(SalesBrowser sales, BranchHealthService health, DeadLetterService deadLetters,
                                 SalesExporter exporter, BranchRequests requests) {
}
