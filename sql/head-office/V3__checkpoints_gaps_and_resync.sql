-- Verification: which of each branch's sequence numbers have been applied, the latest checkpoint
-- verdict per branch, and the state of a resync.

-- contiguous_seq: every sequence number up to it has been applied. received_ranges: numbers above
-- it that were applied out of order, as "first-last" ranges separated by commas; while it is not
-- empty there is a gap, open since gap_since.
ALTER TABLE branch_progress
    ADD COLUMN contiguous_seq     BIGINT       NOT NULL DEFAULT 0,
    ADD COLUMN received_ranges    TEXT         NULL,
    ADD COLUMN gap_since          TIMESTAMP(3) NULL,
    ADD COLUMN resync_id          CHAR(36) CHARACTER SET ascii NULL COMMENT 'the latest resync, running or done',
    ADD COLUMN resync_from_seq    BIGINT       NULL COMMENT 'sequence number of its started marker',
    ADD COLUMN resync_rows        BIGINT       NULL COMMENT 'sales the branch held when it started',
    ADD COLUMN resync_applied     BIGINT       NOT NULL DEFAULT 0 COMMENT 'changes applied since it started',
    ADD COLUMN resync_started_at  TIMESTAMP(3) NULL,
    ADD COLUMN resync_finished_at TIMESTAMP(3) NULL,
    ADD COLUMN resync_removed     BIGINT       NULL COMMENT 'rows removed because the branch no longer has them';

-- Progress recorded before this migration was written in order.
UPDATE branch_progress SET contiguous_seq = last_seq;

-- The latest checkpoint of each branch and how the head office's own figures compared, computed once
-- every change before the checkpoint was applied (missing_changes says how many were not).
CREATE TABLE branch_checkpoint (
    branch_id         VARCHAR(32)    NOT NULL,
    seq               BIGINT         NOT NULL,
    taken_at          TIMESTAMP(3)   NOT NULL COMMENT 'when the branch took it',
    trigger_reason    VARCHAR(16)    NOT NULL COMMENT 'startup, scheduled, requested or resync',
    evaluated_at      TIMESTAMP(3)   NOT NULL,
    branch_rows       BIGINT         NOT NULL,
    branch_live_rows  BIGINT         NOT NULL,
    branch_checksum   DECIMAL(30, 0) NOT NULL,
    ho_rows           BIGINT         NOT NULL,
    ho_live_rows      BIGINT         NOT NULL,
    ho_checksum       DECIMAL(30, 0) NOT NULL,
    missing_changes   BIGINT         NOT NULL,
    matched           BOOLEAN        NOT NULL,
    last_matched_at   TIMESTAMP(3)   NULL COMMENT 'evaluated_at of the latest checkpoint that matched',
    PRIMARY KEY (branch_id)
) ENGINE = InnoDB;
