package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// Environment variables naming the department-database test servers; unset,
// the servers make test starts on this machine are used.
const (
	// PostgresEnv holds a pgx DSN of a PostgreSQL server and a user who may
	// create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres.
	PostgresEnv = "ZENGSHOU_TEST_POSTGRES"
	// MySQLEnv holds a go-sql-driver DSN of a MariaDB/MySQL server, e.g.
	// root@tcp(127.0.0.1:3306)/.
	MySQLEnv = "ZENGSHOU_TEST_MYSQL"
)

const (
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultMySQL    = "root@tcp(127.0.0.1:3306)/"
)

// Postgres returns the DSN of a fresh, uniquely named PostgreSQL database,
// dropped when the test ends. Under go test -short the test is skipped.
func Postgres(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: run make test")
	}
	base := envOr(PostgresEnv, defaultPostgres)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("integration test needs PostgreSQL (make test starts it; or set %s): %v", PostgresEnv, err)
	}
	defer conn.Close(context.Background())
	db := databaseName(t.Name())
	if _, err := conn.Exec(ctx, `CREATE DATABASE "`+db+`"`); err != nil {
		t.Fatalf("creating test database %s: %v", db, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("dropping test database %s: %v", db, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS "`+db+`" WITH (FORCE)`); err != nil {
			t.Errorf("dropping test database %s: %v", db, err)
		}
	})
	c := cfg.Copy()
	c.Database = db
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", c.User, c.Host, c.Port, db)
}

// MariaDB returns the DSN of a fresh, uniquely named MariaDB/MySQL database,
// dropped when the test ends. Under go test -short the test is skipped.
func MariaDB(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: run make test")
	}
	base := envOr(MySQLEnv, defaultMySQL)
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", MySQLEnv, err)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatalf("parsing %s: %v", MySQLEnv, err)
	}
	sdb := sql.OpenDB(conn)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db := databaseName(t.Name())
	if _, err := sdb.ExecContext(ctx, "CREATE DATABASE `"+db+"` CHARACTER SET utf8mb4"); err != nil {
		_ = sdb.Close()
		t.Fatalf("integration test needs MariaDB (make test starts it; or set %s): creating test database %s: %v", MySQLEnv, db, err)
	}
	t.Cleanup(func() {
		defer sdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if _, err := sdb.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			t.Errorf("dropping test database %s: %v", db, err)
		}
	})
	c := cfg.Clone()
	c.DBName = db
	return c.FormatDSN()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
