-- The outbox also carries checkpoints (what the branch holds as of a sequence number) and the
-- markers that bracket a resync. They concern no single sale.
ALTER TABLE outbox
    MODIFY sale_id CHAR(36) CHARACTER SET ascii NULL COMMENT 'NULL for a checkpoint or a resync marker';
