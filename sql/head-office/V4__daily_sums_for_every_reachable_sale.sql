-- The daily summary's money sums, widened so that no number of sales a branch can reach overflows
-- them. A sum out of its column's range fails the head office's whole transaction, and the batch
-- holding that change would be retried for ever.
--
-- The bound. A line of sale_daily sums the live sales of one branch on one day in one region. Each
-- sale a branch holds was made by a change that took one of its sequence numbers, and these stop at
-- 10^13 (BranchMessage.MAX_SEQ: a branch never hands out a higher one, the head office refuses a
-- message that carries one), so a line sums at most 10^13 sales. A sale's Amt, Tax and Total are
-- each at most 999999999999.99 in absolute value (the rules of SaleValidator; by its arithmetic Amt
-- is even at most 100000 x 999999.99 and Total at most twice that), so a line's sums stay below
-- 10^13 x 10^12 = 10^25. DECIMAL(30,2) holds 28 digits before the point, a thousand times that bound.
-- DECIMAL(18,2) held less than 10^16, which 50,001 sales of the largest Total (199999998000.00) pass.
--
-- Quantities and counts stay BIGINT: a line holds at most 10^13 sales of at most 100000 each, so its
-- qty is at most 10^18 and its sales count at most 10^13, both below BIGINT's 9223372036854775807.
-- The same holds for a branch's whole summary, which the window's totals and the health panel sum.
--
-- Sales a branch sent under sequence numbers it had already used are not bounded by the sequence
-- numbers, but each needs a message and a stored row of its own: one line would need 9.2 x 10^13 of
-- them (petabytes) before its qty, and 5 x 10^16 before its money sums, could overflow.
ALTER TABLE sale_daily
    MODIFY amt   DECIMAL(30, 2) NOT NULL,
    MODIFY tax   DECIMAL(30, 2) NOT NULL,
    MODIFY total DECIMAL(30, 2) NOT NULL;
