package io.salesync.branch.service;

import io.salesync.common.sale.TaxRate;

/**
 * Everything the clerk's window may use once the branch database answers.
 *
 * @param branchId this branch
 * @param taxRate  the rate the branch charges, shown beside the Tax field
 * @param sales    create, correct and delete sales
 * @param queries  read the sales and the suggestions
 */
public record BranchServices(String branchId, TaxRate taxRate, SaleService sales, SalesQueries queries) {

    /** A CSV importer saving through the same path as the form. */
    public SaleImporter importer() {
        return new SaleImporter(sales);
    }
}
