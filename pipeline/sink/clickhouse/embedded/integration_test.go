package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// integrationConfig skips the test in -short mode or when this machine has
// no ClickHouse binary, and otherwise returns a config in a fresh directory.
func integrationConfig(t *testing.T) Config {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a real clickhouse-server; run make test")
	}
	cfg := DefaultConfig()
	cfg.DataDir = t.TempDir()
	if _, err := FindBinary(cfg); errors.Is(err, ErrNoBinary) {
		t.Skipf("skipping: %v", err)
	}
	return cfg
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func TestStartQueryStop(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()

	srv, err := Start(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Stop()) })
	require.True(t, strings.HasPrefix(srv.DSN(), "clickhouse://default@127.0.0.1:"), srv.DSN())
	require.True(t, strings.HasSuffix(srv.DSN(), "/"), srv.DSN())

	_, err = Start(ctx, cfg, testLogger(t))
	require.ErrorIs(t, err, ErrDataDirInUse, "one server per data directory")

	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{srv.Addr()}})
	require.NoError(t, err)
	defer conn.Close()

	var version string
	require.NoError(t, conn.QueryRow(ctx, "SELECT version()").Scan(&version))
	t.Logf("server version %s", version)
	require.NotEmpty(t, version)

	require.NoError(t, conn.Exec(ctx, `CREATE TABLE default.money (
		period Date,
		county_code String,
		amount Decimal(18,2)
	) ENGINE = MergeTree ORDER BY (period, county_code)`))

	period := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO default.money (period, county_code, amount)")
	require.NoError(t, err)
	defer batch.Close()
	require.NoError(t, batch.Append(period, "360731", decimal.RequireFromString("1234.56")))
	require.NoError(t, batch.Append(period, "360732", decimal.RequireFromString("-0.01")))
	require.NoError(t, batch.Send())

	rows, err := conn.Query(ctx, "SELECT county_code, amount FROM default.money ORDER BY county_code")
	require.NoError(t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var code string
		var amount decimal.Decimal
		require.NoError(t, rows.Scan(&code, &amount))
		got[code] = amount.StringFixed(2)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, map[string]string{"360731": "1234.56", "360732": "-0.01"}, got)

	require.NoError(t, srv.Stop())
	require.Error(t, ping(ctx, srv.Addr()), "server still answers after Stop")
}

func TestStartDetachedReusesAndStops(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	t.Cleanup(func() { _ = StopDetached(cfg) })

	dsn, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	l, err := newLayout(cfg.DataDir)
	require.NoError(t, err)
	pid, running := runningPID(l)
	require.True(t, running, "pid file names the running server")
	recorded, err := readDSN(l)
	require.NoError(t, err)
	require.Equal(t, dsn, recorded)

	again, err := StartDetached(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	require.Equal(t, dsn, again, "a second start reuses the running server")
	pid2, _ := runningPID(l)
	require.Equal(t, pid, pid2)

	opts, err := clickhouse.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	require.NoError(t, conn.Ping(ctx))
	require.NoError(t, conn.Close())

	require.NoError(t, StopDetached(cfg))
	_, running = runningPID(l)
	require.False(t, running)
	_, err = os.Stat(l.pidFile())
	require.True(t, os.IsNotExist(err), "pid file removed")
	require.Error(t, ping(ctx, addrOf(dsn)))

	require.NoError(t, StopDetached(cfg), "stopping when nothing runs is no error")
}

// helperDataDirEnv makes the test binary act as a program that owns a
// foreground server and then dies without calling Stop.
const helperDataDirEnv = "EMBEDDED_TEST_HELPER_DATA_DIR"

func TestHelperOwnerProcess(t *testing.T) {
	dir := os.Getenv(helperDataDirEnv)
	if dir == "" {
		t.Skip("helper process for TestForegroundServerDiesWithOwner")
	}
	cfg := DefaultConfig()
	cfg.DataDir = dir
	srv, err := Start(context.Background(), cfg, nil)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println(srv.Addr(), srv.cmd.Process.Pid)
	time.Sleep(time.Minute) // killed by the parent test long before
	os.Exit(1)
}

func TestForegroundServerDiesWithOwner(t *testing.T) {
	cfg := integrationConfig(t)
	owner := exec.Command(os.Args[0], "-test.run=^TestHelperOwnerProcess$")
	owner.Env = append(os.Environ(), helperDataDirEnv+"="+cfg.DataDir)
	out, err := owner.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, owner.Start())
	t.Cleanup(func() { _ = owner.Process.Kill(); _ = owner.Wait() })

	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	var addr string
	var pid int
	_, err = fmt.Sscan(line, &addr, &pid)
	require.NoError(t, err, "helper said %q", line)
	require.NoError(t, ping(context.Background(), addr))

	require.NoError(t, owner.Process.Kill())
	_ = owner.Wait()
	l, err := newLayout(cfg.DataDir)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !isServer(l, pid) },
		25*time.Second, 100*time.Millisecond, "server outlived the program that started it")
}
