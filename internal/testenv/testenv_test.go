package testenv

import (
	"context"
	"regexp"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"
)

func TestDatabaseName(t *testing.T) {
	cases := []struct {
		name     string
		testName string
		pattern  string
	}{
		{name: "plain", testName: "TestLoad", pattern: `^test_testload_[0-9a-f]{8}$`},
		{name: "subtest", testName: "TestLoad/re-run period", pattern: `^test_testload_re_run_period_[0-9a-f]{8}$`},
		{name: "long", testName: "TestAVeryLongNameThatGoesOnAndOnBeyondForty", pattern: `^test_[a-z]{40}_[0-9a-f]{8}$`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Regexp(t, regexp.MustCompile(tc.pattern), databaseName(tc.testName))
		})
	}
	require.NotEqual(t, databaseName("TestX"), databaseName("TestX"), "names are unique")
}

func TestWithDatabase(t *testing.T) {
	got, err := withDatabase("clickhouse://default@127.0.0.1:9000/", "test_x_0011")
	require.NoError(t, err)
	require.Equal(t, "clickhouse://default@127.0.0.1:9000/test_x_0011", got)

	got, err = withDatabase("clickhouse://u:p@h:9000/other?dial_timeout=5s", "db")
	require.NoError(t, err)
	require.Equal(t, "clickhouse://u:p@h:9000/db?dial_timeout=5s", got)
}

func TestClickHouseGivesFreshDatabaseDroppedAfterTest(t *testing.T) {
	var dsn string
	t.Run("user", func(t *testing.T) {
		dsn = ClickHouse(t)
		opts, err := clickhouse.ParseDSN(dsn)
		require.NoError(t, err)
		conn, err := clickhouse.Open(opts)
		require.NoError(t, err)
		defer conn.Close()

		ctx := context.Background()
		require.NoError(t, conn.Exec(ctx, "CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x"))
		var db string
		require.NoError(t, conn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&db))
		require.Regexp(t, `^test_testclickhouse`, db)
	})
	if dsn == "" {
		t.SkipNow() // the subtest was skipped
	}

	opts, err := clickhouse.ParseDSN(dsn)
	require.NoError(t, err)
	db := opts.Auth.Database
	opts.Auth.Database = "default"
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT count() FROM system.databases WHERE name = ?", db).Scan(&n))
	require.Zero(t, n, "database %s dropped by cleanup", db)
}
