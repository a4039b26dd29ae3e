-- salesync: schemas and per-application MySQL users.
--
-- DEVELOPMENT ONLY: the passwords below (dev-only-*) are development values for the local
-- docker compose stack and CI machines. Never reuse them anywhere else.
--
-- Runs unchanged on MySQL 8.4 (docker-entrypoint-initdb.d, first start of an empty volume) and on
-- MariaDB 10.11 (scripts/setup-local-services.sh). It is idempotent: safe to run again.
--
-- Two users per schema, each limited to that schema:
--   salesync_<x>        the application's own user: reads and writes rows, cannot alter the schema;
--   salesync_<x>_owner  applies the versioned Flyway migrations (sql/branch, sql/head-office) at
--                       start-up and is used for nothing else.
-- and, for the head office only, a third:
--   salesync_ho_view    the managers' view-only windows (./salesync head-office --view): may only
--                       read the head office's schema.
-- Tables are NOT created here: the applications create them through those migrations.
--
-- The underscore in a database name is a wildcard in GRANT ... ON db.*; in the GRANT statements it
-- is escaped with a backslash so that each grant matches exactly one schema.

CREATE DATABASE IF NOT EXISTS salesync_ho  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS salesync_bo1 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS salesync_bo2 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Head office (development passwords).
CREATE USER IF NOT EXISTS 'salesync_ho'@'%' IDENTIFIED BY 'dev-only-ho';
ALTER USER 'salesync_ho'@'%' IDENTIFIED BY 'dev-only-ho';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'salesync_ho'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON `salesync\_ho`.* TO 'salesync_ho'@'%';
CREATE USER IF NOT EXISTS 'salesync_ho_owner'@'%' IDENTIFIED BY 'dev-only-ho-owner';
ALTER USER 'salesync_ho_owner'@'%' IDENTIFIED BY 'dev-only-ho-owner';
GRANT ALL PRIVILEGES ON `salesync\_ho`.* TO 'salesync_ho_owner'@'%';
CREATE USER IF NOT EXISTS 'salesync_ho_view'@'%' IDENTIFIED BY 'dev-only-ho-view';
ALTER USER 'salesync_ho_view'@'%' IDENTIFIED BY 'dev-only-ho-view';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'salesync_ho_view'@'%';
GRANT SELECT ON `salesync\_ho`.* TO 'salesync_ho_view'@'%';

-- Branch bo1 (development passwords).
CREATE USER IF NOT EXISTS 'salesync_bo1'@'%' IDENTIFIED BY 'dev-only-bo1';
ALTER USER 'salesync_bo1'@'%' IDENTIFIED BY 'dev-only-bo1';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'salesync_bo1'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON `salesync\_bo1`.* TO 'salesync_bo1'@'%';
CREATE USER IF NOT EXISTS 'salesync_bo1_owner'@'%' IDENTIFIED BY 'dev-only-bo1-owner';
ALTER USER 'salesync_bo1_owner'@'%' IDENTIFIED BY 'dev-only-bo1-owner';
GRANT ALL PRIVILEGES ON `salesync\_bo1`.* TO 'salesync_bo1_owner'@'%';

-- Branch bo2 (development passwords).
CREATE USER IF NOT EXISTS 'salesync_bo2'@'%' IDENTIFIED BY 'dev-only-bo2';
ALTER USER 'salesync_bo2'@'%' IDENTIFIED BY 'dev-only-bo2';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'salesync_bo2'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON `salesync\_bo2`.* TO 'salesync_bo2'@'%';
CREATE USER IF NOT EXISTS 'salesync_bo2_owner'@'%' IDENTIFIED BY 'dev-only-bo2-owner';
ALTER USER 'salesync_bo2_owner'@'%' IDENTIFIED BY 'dev-only-bo2-owner';
GRANT ALL PRIVILEGES ON `salesync\_bo2`.* TO 'salesync_bo2_owner'@'%';
