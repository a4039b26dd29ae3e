-- Head office window: indexes for browsing live sales sorted by a column, and the dead-letter log
-- extended so that the window can show, retry or discard a refused message from the database.

-- Live rows (deleted = 0) in the order of a sortable column. InnoDB appends the primary key
-- (branch_id, sale_id) to every secondary index, so ORDER BY col, branch_id, sale_id is read
-- straight from the index, forwards or backwards. Branch order is the primary key itself.
-- (deleted, sale_date) replaces idx_sale_date, which nothing else uses.
CREATE INDEX idx_sale_live_date ON sale (deleted, sale_date);
CREATE INDEX idx_sale_live_region ON sale (deleted, region);
CREATE INDEX idx_sale_live_product ON sale (deleted, product);
CREATE INDEX idx_sale_live_qty ON sale (deleted, qty);
CREATE INDEX idx_sale_live_cost ON sale (deleted, cost);
CREATE INDEX idx_sale_live_amt ON sale (deleted, amt);
CREATE INDEX idx_sale_live_tax ON sale (deleted, tax);
CREATE INDEX idx_sale_live_total ON sale (deleted, total);
DROP INDEX idx_sale_date ON sale;

-- Live sales summed per branch, day and region, kept by the consumer in the same transaction as the
-- sales (ChangeApplier adds the difference each applied change makes). The window reads totals,
-- the chart, rows per branch and the region list from here unless the filter has a product text,
-- so they cost the same for a million sales as for a hundred.
CREATE TABLE sale_daily (
    branch_id  VARCHAR(32)    NOT NULL,
    sale_date  DATE           NOT NULL,
    region     VARCHAR(64)    NOT NULL,
    sales      BIGINT         NOT NULL COMMENT 'live sales; 0 once all were deleted or moved',
    qty        BIGINT         NOT NULL,
    amt        DECIMAL(18, 2) NOT NULL,
    tax        DECIMAL(18, 2) NOT NULL,
    total      DECIMAL(18, 2) NOT NULL,
    PRIMARY KEY (branch_id, sale_date, region),
    KEY idx_sale_daily_date (sale_date),
    KEY idx_sale_daily_region (region)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO sale_daily (branch_id, sale_date, region, sales, qty, amt, tax, total)
SELECT branch_id, sale_date, region, COUNT(*), SUM(qty), SUM(amt), SUM(tax), SUM(total)
FROM sale WHERE deleted = 0 GROUP BY branch_id, sale_date, region;

-- The refused message itself (body and the properties needed to publish it again), and what the
-- manager decided: new (not handled yet), retried (published again to the sales exchange) or
-- discarded. Rows written before this migration have no body and cannot be retried.
ALTER TABLE dead_letter_log
    ADD COLUMN body          MEDIUMBLOB   NULL COMMENT 'the original message body, NULL when larger than 1 MiB',
    ADD COLUMN body_size     INT          NULL COMMENT 'size of the original body in bytes',
    ADD COLUMN content_type  VARCHAR(255) NULL,
    ADD COLUMN message_type  VARCHAR(255) NULL COMMENT 'the AMQP type property',
    ADD COLUMN status        VARCHAR(16)  NOT NULL DEFAULT 'new' COMMENT 'new, retried or discarded',
    ADD COLUMN status_at     TIMESTAMP(3) NULL COMMENT 'when it was retried or discarded',
    ADD KEY idx_dead_letter_status (status, received_at);
