-- The branches the head office knows: one row per branch, opened by ./salesync add-branch
-- (registered_by 'command') or, for a branch set up by hand, when the head office applied its first
-- message ('first contact'). ./salesync remove-branch sets closed_at: the branch's sales stay, the
-- windows and status show it as closed. A message of a closed branch is still applied.
CREATE TABLE branch_registry (
    branch_id     VARCHAR(32)  NOT NULL,
    display_name  VARCHAR(100) NULL,
    opened_at     TIMESTAMP(3) NOT NULL,
    closed_at     TIMESTAMP(3) NULL COMMENT 'NULL while the branch is open',
    registered_by VARCHAR(16)  NOT NULL COMMENT 'command or first contact',
    PRIMARY KEY (branch_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Branches heard of before this version (bo1 and bo2 set up by hand) are known from their first message.
INSERT INTO branch_registry (branch_id, opened_at, registered_by)
SELECT branch_id, COALESCE(last_message_at, last_applied_at, CURRENT_TIMESTAMP(3)), 'first contact'
FROM branch_progress;
