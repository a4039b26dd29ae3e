-- What the head office asked of each branch (checkpoint, resync, resend), and when a resync it
-- asked for started. A branch's resync resets what the head office holds for it (sequence state,
-- the branch's rows pending their resend), so the head office honours only a resync it asked for:
-- one request, one start.
CREATE TABLE branch_request (
    request_id   CHAR(36) CHARACTER SET ascii NOT NULL,
    branch_id    VARCHAR(32)  NOT NULL,
    action       VARCHAR(16)  NOT NULL COMMENT 'checkpoint, resync or resend',
    from_seq     BIGINT       NULL COMMENT 'resend: the first sequence number asked for again',
    requested_at TIMESTAMP(3) NOT NULL,
    requested_by VARCHAR(255) NOT NULL,
    started_at   TIMESTAMP(3) NULL COMMENT 'when the resync it asked for (or fell back to) started here',
    PRIMARY KEY (request_id),
    KEY idx_branch_request_branch (branch_id, requested_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
