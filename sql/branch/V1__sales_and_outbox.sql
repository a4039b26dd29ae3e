-- Branch office schema: the branch's own sales and the outbox that carries every change to the
-- head office. A sale and its outbox row are always written in one transaction.

CREATE TABLE sale (
    sale_id     CHAR(36) CHARACTER SET ascii NOT NULL,
    sale_date   DATE           NOT NULL,
    region      VARCHAR(64)    NOT NULL,
    product     VARCHAR(128)   NOT NULL,
    qty         INT            NOT NULL,
    cost        DECIMAL(12, 2) NOT NULL,
    amt         DECIMAL(14, 2) NOT NULL,
    tax         DECIMAL(14, 2) NOT NULL,
    total       DECIMAL(14, 2) NOT NULL,
    version     BIGINT         NOT NULL,
    deleted     BOOLEAN        NOT NULL DEFAULT FALSE,
    last_seq    BIGINT         NOT NULL COMMENT 'outbox seq of the change that produced this version',
    created_at  TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at  TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (sale_id),
    KEY idx_sale_live_date (deleted, sale_date),
    KEY idx_sale_last_seq (last_seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row: the next outbox sequence number. Taking it with SELECT ... FOR UPDATE in the writing
-- transaction makes sequence numbers gapless and makes commit order equal sequence order.
CREATE TABLE outbox_sequence (
    id       TINYINT NOT NULL,
    next_seq BIGINT  NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO outbox_sequence (id, next_seq) VALUES (1, 1);

CREATE TABLE outbox (
    seq          BIGINT       NOT NULL,
    sale_id      CHAR(36) CHARACTER SET ascii NOT NULL,
    message_type VARCHAR(64)  NOT NULL,
    payload      MEDIUMBLOB   NOT NULL COMMENT 'the JSON message body exactly as it is sent',
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    published_at TIMESTAMP(3) NULL COMMENT 'set only once the broker confirmed the message',
    attempts     INT          NOT NULL DEFAULT 0,
    last_error   VARCHAR(500) NULL,
    PRIMARY KEY (seq),
    KEY idx_outbox_unpublished (published_at, seq)
) ENGINE = InnoDB;
