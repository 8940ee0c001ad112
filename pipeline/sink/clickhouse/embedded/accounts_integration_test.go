package embedded

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"
)

// TestPortIsRememberedAcrossRestarts stops and restarts a detached server
// and requires the same port, so that a Grafana data source stays valid.
func TestPortIsRememberedAcrossRestarts(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	t.Cleanup(func() { _ = StopDetached(cfg) })

	first, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	require.NoError(t, StopDetached(cfg))
	second, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	require.Equal(t, first, second, "same port after a restart")

	l, err := newLayout(cfg.DataDir)
	require.NoError(t, err)
	require.Equal(t, addrOf(first), net.JoinHostPort(loopbackHost, strconv.Itoa(rememberedPort(l))))
}

// TestRememberedPortTakenBySomeoneElse moves to a free port rather than
// failing, and remembers the new one.
func TestRememberedPortTakenBySomeoneElse(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	t.Cleanup(func() { _ = StopDetached(cfg) })

	squatter, err := net.Listen("tcp", net.JoinHostPort(loopbackHost, "0"))
	require.NoError(t, err)
	defer squatter.Close()
	taken := squatter.Addr().(*net.TCPAddr).Port
	l, err := newLayout(cfg.DataDir)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(l.dir, 0o750))
	require.NoError(t, os.WriteFile(l.portFile(), []byte(strconv.Itoa(taken)+"\n"), 0o640))

	dsn, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	require.NotEqual(t, net.JoinHostPort(loopbackHost, strconv.Itoa(taken)), addrOf(dsn))
	require.Equal(t, addrOf(dsn), net.JoinHostPort(loopbackHost, strconv.Itoa(rememberedPort(l))))
}

// TestPinnedPortAndTheNamedAccounts starts a server on a pinned port and
// connects as the read-only analyst and as the pipeline's writer, each with
// the password from its own 0600 file.
func TestPinnedPortAndTheNamedAccounts(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	port, err := freePort()
	require.NoError(t, err)
	cfg.Port = port

	srv, err := Start(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Stop()) })
	require.Equal(t, net.JoinHostPort(loopbackHost, strconv.Itoa(cfg.Port)), srv.Addr())

	for _, tc := range []struct {
		user, dsn, readonly string
		file                func(Config) (string, error)
	}{
		{AnalystUser, srv.AnalystDSN(), "2", AnalystPasswordFile},
		{WriterUser, srv.WriterDSN(), "0", WriterPasswordFile},
	} {
		t.Run(tc.user, func(t *testing.T) {
			file, err := tc.file(cfg)
			require.NoError(t, err)
			info, err := os.Stat(file)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the password file is private")
			pw, err := os.ReadFile(file)
			require.NoError(t, err)

			opts, err := clickhouse.ParseDSN(tc.dsn)
			require.NoError(t, err)
			require.Equal(t, tc.user, opts.Auth.Username)
			require.Equal(t, strings.TrimSpace(string(pw)), opts.Auth.Password)
			conn, err := clickhouse.Open(opts)
			require.NoError(t, err)
			defer conn.Close()
			var user, readonly string
			// 18.16 has no currentUser(): the query finds itself.
			require.NoError(t, conn.QueryRow(ctx, "SELECT user FROM system.processes WHERE query LIKE '%who-am-i%'").Scan(&user))
			require.Equal(t, tc.user, user)
			require.NoError(t, conn.QueryRow(ctx, "SELECT value FROM system.settings WHERE name = 'readonly'").Scan(&readonly))
			require.Equal(t, tc.readonly, readonly)

			opts.Auth.Password = "wrong"
			bad, err := clickhouse.Open(opts)
			require.NoError(t, err)
			defer bad.Close()
			require.Error(t, bad.Ping(ctx), "a wrong password is refused")
		})
	}
	analystPW, err := os.ReadFile(filepath.Join(cfg.DataDir, "clickhouse", "analyst.password"))
	require.NoError(t, err)
	writerPW, err := os.ReadFile(filepath.Join(cfg.DataDir, "clickhouse", "writer.password"))
	require.NoError(t, err)
	require.NotEqual(t, string(analystPW), string(writerPW), "each account has its own password")
}

// TestTheWriterBuildsTheWarehouse: as the writer, everything the pipeline
// does to its database works (create it, tables, insert, the partition
// swap of a publication, drop a staging table), on a detached server
// reached through WriterDSN as zengshou's commands reach it.
func TestTheWriterBuildsTheWarehouse(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	t.Cleanup(func() { _ = StopDetached(cfg) })
	_, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	dsn, err := WriterDSN(cfg)
	require.NoError(t, err)
	opts, err := clickhouse.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	for _, sql := range []string{
		"CREATE DATABASE IF NOT EXISTS zengshou",
		"CREATE TABLE zengshou.t (period Date, x UInt8) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY x",
		"CREATE TABLE zengshou.t_stage (period Date, x UInt8) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY x",
		"INSERT INTO zengshou.t_stage (period, x) SELECT toDate('2025-01-01'), 1",
		"ALTER TABLE zengshou.t REPLACE PARTITION 202501 FROM zengshou.t_stage",
		"DROP TABLE zengshou.t_stage",
	} {
		require.NoError(t, conn.Exec(ctx, sql), sql)
	}
	var n uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM zengshou.t").Scan(&n))
	require.Equal(t, uint64(1), n)
}
