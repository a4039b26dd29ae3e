-- How far the broker has confirmed the outbox without a gap: every row up to through_seq is
-- confirmed (its published_at is set). Rows above it may be confirmed too, when confirms arrived out
-- of order. The relay's restart point and the backlog count read the rows above the mark through the
-- primary key, so the outbox needs no index on published_at, and confirming a row no longer moves
-- it in one: with a hundred branches publishing at once, that move was most of the statement time
-- on a server holding their databases.
CREATE TABLE outbox_published (
    id          TINYINT NOT NULL COMMENT 'always 1',
    through_seq BIGINT  NOT NULL COMMENT 'every outbox row up to this sequence number is confirmed',
    PRIMARY KEY (id)
) ENGINE = InnoDB;

-- A mark below the truth only makes those reads scan a little more; never above it.
INSERT INTO outbox_published (id, through_seq)
SELECT 1, COALESCE((SELECT MIN(seq) - 1 FROM outbox WHERE published_at IS NULL), (SELECT MAX(seq) FROM outbox), 0);

DROP INDEX idx_outbox_unpublished ON outbox;
