package embedded

import (
	"context"
	"net"
	"os"
	"strconv"
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

// TestPinnedPortAndAnalystAccount starts a server on a pinned port and
// queries it as the read-only analyst with the password from the 0600 file.
func TestPinnedPortAndAnalystAccount(t *testing.T) {
	cfg := integrationConfig(t)
	ctx := context.Background()
	port, err := freePort()
	require.NoError(t, err)
	cfg.Port = port

	srv, err := Start(ctx, cfg, testLogger(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Stop()) })
	require.Equal(t, net.JoinHostPort(loopbackHost, strconv.Itoa(cfg.Port)), srv.Addr())

	file, err := AnalystPasswordFile(cfg)
	require.NoError(t, err)
	info, err := os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the password file is private")

	opts, err := clickhouse.ParseDSN(srv.AnalystDSN())
	require.NoError(t, err)
	require.Equal(t, AnalystUser, opts.Auth.Username)
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	var readonly string
	require.NoError(t, conn.QueryRow(ctx, "SELECT value FROM system.settings WHERE name = 'readonly'").Scan(&readonly))
	require.Equal(t, "2", readonly)

	opts.Auth.Password = "wrong"
	bad, err := clickhouse.Open(opts)
	require.NoError(t, err)
	defer bad.Close()
	require.Error(t, bad.Ping(ctx), "a wrong password is refused")
}
