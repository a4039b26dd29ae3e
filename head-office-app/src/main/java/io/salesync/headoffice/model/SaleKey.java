package io.salesync.headoffice.model;

import java.util.UUID;

/** A sale at the head office: the branch that made it and the id the branch gave it. */
public record SaleKey(String branchId, UUID saleId) {}
