-- salesync: schemas and per-application MySQL users.
--
-- DEVELOPMENT ONLY: the passwords below (dev-only-*) are development values for the local
-- docker compose stack and CI machines. Never reuse them anywhere else.
--
-- Runs unchanged on MySQL 8.4 (docker-entrypoint-initdb.d, first start of an empty volume) and on
-- MariaDB 10.11 (scripts/setup-local-services.sh). It is idempotent: safe to run again.
--
-- Tables are NOT created here: each application runs its own versioned Flyway migrations
-- (sql/branch, sql/head-office) at start-up, which is why each user needs ALL PRIVILEGES on its
-- own schema and on nothing else.
--
-- The underscore in a database name is a wildcard in GRANT ... ON db.*; in the GRANT statements it
-- is escaped with a backslash so that each grant matches exactly one schema.

CREATE DATABASE IF NOT EXISTS salesync_ho  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS salesync_bo1 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS salesync_bo2 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Head office (development password).
CREATE USER IF NOT EXISTS 'salesync_ho'@'%' IDENTIFIED BY 'dev-only-ho';
-- Re-assert the documented development password if the user already existed with another one.
ALTER USER 'salesync_ho'@'%' IDENTIFIED BY 'dev-only-ho';
GRANT ALL PRIVILEGES ON `salesync\_ho`.* TO 'salesync_ho'@'%';

-- Branch office 1 (development password).
CREATE USER IF NOT EXISTS 'salesync_bo1'@'%' IDENTIFIED BY 'dev-only-bo1';
ALTER USER 'salesync_bo1'@'%' IDENTIFIED BY 'dev-only-bo1';
GRANT ALL PRIVILEGES ON `salesync\_bo1`.* TO 'salesync_bo1'@'%';

-- Branch office 2 (development password).
CREATE USER IF NOT EXISTS 'salesync_bo2'@'%' IDENTIFIED BY 'dev-only-bo2';
ALTER USER 'salesync_bo2'@'%' IDENTIFIED BY 'dev-only-bo2';
GRANT ALL PRIVILEGES ON `salesync\_bo2`.* TO 'salesync_bo2'@'%';
