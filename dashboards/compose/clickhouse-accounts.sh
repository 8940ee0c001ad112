#!/bin/bash
# EXAMPLE (docker-compose.yml, not run in CI): creates the warehouse
# database, the pipeline's writer and the read-only analyst on a current
# ClickHouse with SQL users. ClickHouse 18.16 has no CREATE USER: there the
# accounts go into users.xml (README "Accounts").
set -euo pipefail
clickhouse client --multiquery <<SQL
CREATE DATABASE IF NOT EXISTS zengshou;
CREATE USER IF NOT EXISTS zengshou_writer IDENTIFIED WITH sha256_password BY '${ZENGSHOU_WRITER_PASSWORD}';
GRANT ALL ON zengshou.* TO zengshou_writer;
CREATE USER IF NOT EXISTS analyst IDENTIFIED WITH sha256_password BY '${ZENGSHOU_ANALYST_PASSWORD}' SETTINGS readonly = 2;
GRANT SELECT ON zengshou.* TO analyst;
SQL
