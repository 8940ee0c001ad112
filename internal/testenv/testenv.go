// Package testenv gives integration tests the services that make test
// starts: each test gets its own ClickHouse database on the shared server,
// dropped when the test ends.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// ClickHouseEnv names the environment variable holding the DSN of the test
// ClickHouse server, e.g. clickhouse://default@127.0.0.1:9000/.
const ClickHouseEnv = "ZENGSHOU_TEST_CLICKHOUSE"

// AnalystEnv names the environment variable holding the DSN of the test
// server's read-only analyst account (no database in the path).
const AnalystEnv = "ZENGSHOU_TEST_CLICKHOUSE_ANALYST"

// Analyst returns the read-only analyst account's DSN for the database of
// dsn (a DSN returned by ClickHouse). Without the variable the test fails,
// pointing at make test.
func Analyst(t testing.TB, dsn string) string {
	t.Helper()
	base := os.Getenv(AnalystEnv)
	if base == "" {
		t.Fatalf("integration test needs the read-only ClickHouse account: run `make test` (scripts/with-clickhouse sets %s)", AnalystEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parsing DSN %s: %v", dsn, err)
	}
	out, err := withDatabase(base, strings.Trim(u.Path, "/"))
	if err != nil {
		t.Fatalf("building analyst DSN: %v", err)
	}
	return out
}

// setupTimeout bounds creating and dropping a test database.
const setupTimeout = 30 * time.Second

// ClickHouse returns the DSN of a fresh, uniquely named database on the
// server named by ZENGSHOU_TEST_CLICKHOUSE, in the form
// clickhouse://default@127.0.0.1:PORT/DBNAME. The database is dropped when
// the test ends. Under go test -short the test is skipped; without the
// variable it fails, pointing at make test.
func ClickHouse(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: run make test")
	}
	base := os.Getenv(ClickHouseEnv)
	if base == "" {
		t.Fatalf("integration test needs ClickHouse: run `make test`, or set %s to a server DSN such as clickhouse://default@127.0.0.1:9000/ (go test -short skips these tests)", ClickHouseEnv)
	}
	opts, err := clickhouse.ParseDSN(base)
	if err != nil {
		t.Fatalf("parsing %s=%q: %v", ClickHouseEnv, base, err)
	}
	opts.Auth.Database = "default"
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatalf("connecting to ClickHouse at %s: %v", base, err)
	}

	db := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := conn.Exec(ctx, "CREATE DATABASE "+quoteIdent(db)); err != nil {
		conn.Close()
		t.Fatalf("creating test database %s on %s: %v", db, base, err)
	}
	t.Cleanup(func() {
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(db)); err != nil {
			t.Errorf("dropping test database %s: %v", db, err)
		}
	})

	dsn, err := withDatabase(base, db)
	if err != nil {
		t.Fatalf("building DSN for %s from %s: %v", db, base, err)
	}
	return dsn
}

// databaseName turns a test name into a valid, unique identifier:
// test_<sanitised name, at most 40 chars>_<8 random hex digits>.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if len(name) > 40 {
		name = name[:40]
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	return "test_" + strings.Trim(name, "_") + "_" + hex.EncodeToString(suffix[:])
}

func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "\\`") + "`"
}

// withDatabase replaces the database (the URL path) of a DSN.
func withDatabase(dsn, db string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parsing DSN: %w", err)
	}
	u.Path = "/" + db
	u.RawPath = ""
	return u.String(), nil
}
