package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/embedded"
)

// whoAmI is the account a connection runs as (18.16 has no currentUser():
// the query finds itself among the running ones).
func whoAmI(t *testing.T, ctx context.Context, dsn string) string {
	t.Helper()
	conn := openConn(t, dsn)
	var user string
	require.NoError(t, conn.QueryRow(ctx, "SELECT user FROM system.processes WHERE query LIKE '%who-am-i%'").Scan(&user))
	return user
}

// TestTheEmbeddedWarehouseRunsThePipelineAsTheWriter: on the embedded
// warehouse every command connects as zengshou_writer (its password from
// the 0600 file, never printed), `zengshou run` publishes a period through
// it, and the analyst reads the result but cannot write it.
func TestTheEmbeddedWarehouseRunsThePipelineAsTheWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts a real clickhouse-server; run make test")
	}
	dataDir := t.TempDir()
	ecfg := embedded.DefaultConfig()
	ecfg.DataDir = dataDir
	if _, err := embedded.FindBinary(ecfg); errors.Is(err, embedded.ErrNoBinary) {
		t.Skipf("skipping: %v", err)
	}
	t.Cleanup(func() { _ = embedded.StopDetached(ecfg) })
	ctx := context.Background()

	var code int
	printed := captureStdout(t, func() { code = realMain([]string{"warehouse", "up", "--data-dir", dataDir, "--log-level", "error"}) })
	require.Equal(t, exitOK, code, printed)
	writerFile, err := embedded.WriterPasswordFile(ecfg)
	require.NoError(t, err)
	password, err := os.ReadFile(writerFile)
	require.NoError(t, err)
	require.Contains(t, printed, "clickhouse://"+embedded.WriterUser+"@127.0.0.1:")
	require.Contains(t, printed, writerFile, "says where the writer's password is")
	require.NotContains(t, printed, strings.TrimSpace(string(password)), "never prints the password")

	// Every command opens the warehouse through openWarehouse.
	cfg := config.Default()
	cfg.DataDir = dataDir
	w, err := openWarehouse(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), true)
	require.NoError(t, err)
	w.close()
	opts, err := ch.ParseDSN(w.dsn)
	require.NoError(t, err)
	require.Equal(t, embedded.WriterUser, opts.Auth.Username)
	require.Equal(t, strings.TrimSpace(string(password)), opts.Auth.Password)
	require.Equal(t, clickhouse.DefaultDatabase, opts.Auth.Database)
	require.Equal(t, embedded.WriterUser, whoAmI(t, ctx, w.dsn))

	inbox := smallInbox(t, "2025-01", "2025-01")
	run := startDaemonTestProcess(t, "run", "--inbox", inbox, "--period", "2025-01", "--data-dir", dataDir, "--log-level", "error")
	require.Equal(t, exitOK, run.exitCode(t), run.stderr.String())

	analystDSN, err := embedded.AnalystDSN(ecfg)
	require.NoError(t, err)
	analystDSN = withDatabase(analystDSN, clickhouse.DefaultDatabase)
	require.Equal(t, embedded.AnalystUser, whoAmI(t, ctx, analystDSN))
	analyst := openConn(t, analystDSN)
	var published uint64
	require.NoError(t, analyst.QueryRow(ctx, "SELECT count() FROM etl_run FINAL WHERE status = 'published' AND period = toDate('2025-01-01')").Scan(&published))
	require.Equal(t, uint64(1), published, "the run published through the writer")
	err = analyst.Exec(ctx, "INSERT INTO etl_run SELECT * FROM etl_run LIMIT 1")
	require.ErrorContains(t, err, "readonly", "the analyst cannot write what the writer wrote")
}
