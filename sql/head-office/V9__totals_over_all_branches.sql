-- Two smaller summaries beside sale_daily, kept in the same transaction as the sales, so that what
-- the window reads over all branches does not grow with the number of branches. sale_daily holds a
-- line per branch, day and region: with 200 branches and a million sales that is some 750,000
-- lines, nearly one per sale, and a total over all branches read all of them.

-- Live sales of all branches per day and region. Each applier lane adds to lines of its own (lane),
-- so that two lanes committing at once never wait for each other's lock on the same day; a total is
-- the sum over the lanes. A branch applied by one lane in one run and by another in the next leaves
-- a positive line in one lane and a negative one in the other: only the sum over lanes is
-- meaningful, and "has live sales" is SUM(sales) > 0, never sales > 0 on one line.
--
-- Bounds. A lane line sums changes applied by that lane, each at most 10^12 in absolute value per
-- money column (SaleValidator) and 100,000 in quantity, added and taken away at most twice per
-- change. A branch applies at most 10^13 changes (BranchMessage.MAX_SEQ; V4), so one branch moves a
-- line by at most 2 x 10^25 in money and 2 x 10^18 in quantity. DECIMAL(40, 2) holds 10^38: ten
-- million branches' worth. qty is DECIMAL(32, 0) for the same reason (BIGINT would hold four
-- branches' worth of the extreme); sales stays BIGINT (2 x 10^13 per branch, 460,000 branches).
CREATE TABLE sale_daily_all (
    sale_date  DATE              NOT NULL,
    region     VARCHAR(64)       NOT NULL,
    lane       SMALLINT UNSIGNED NOT NULL COMMENT 'the applier lane that wrote the line; sum over lanes',
    sales      BIGINT            NOT NULL,
    qty        DECIMAL(32, 0)    NOT NULL,
    amt        DECIMAL(40, 2)    NOT NULL,
    tax        DECIMAL(40, 2)    NOT NULL,
    total      DECIMAL(40, 2)    NOT NULL,
    PRIMARY KEY (sale_date, region, lane)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Live sales per branch over all days and regions: the health panel's row counts and the totals of
-- a filter on branches alone. A branch is applied by one lane at a time, so its line needs no lane.
-- It sums the branch's live sales, each with a sequence number of its own, so the bounds of one
-- line of sale_daily (V4) hold for it.
CREATE TABLE sale_branch_total (
    branch_id  VARCHAR(32)    NOT NULL,
    sales      BIGINT         NOT NULL,
    qty        BIGINT         NOT NULL,
    amt        DECIMAL(30, 2) NOT NULL,
    tax        DECIMAL(30, 2) NOT NULL,
    total      DECIMAL(30, 2) NOT NULL,
    PRIMARY KEY (branch_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO sale_daily_all (sale_date, region, lane, sales, qty, amt, tax, total)
SELECT sale_date, region, 0, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)
FROM sale_daily GROUP BY sale_date, region;

INSERT INTO sale_branch_total (branch_id, sales, qty, amt, tax, total)
SELECT branch_id, SUM(sales), SUM(qty), SUM(amt), SUM(tax), SUM(total)
FROM sale_daily GROUP BY branch_id;
