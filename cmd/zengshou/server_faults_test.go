package main

import (
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/internal/crashpoint"
	"zengshou/pipeline/sink/clickhouse/embedded"
)

// ownServer is a ClickHouse server of the test's own, which it can kill -9
// and start again on the same data and port.
type ownServer struct {
	t   *testing.T
	cfg embedded.Config
	srv *embedded.Server
}

func startOwnServer(t *testing.T, dataDir string) *ownServer {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a real clickhouse-server; run make test")
	}
	cfg := embedded.DefaultConfig()
	cfg.DataDir = dataDir
	if _, err := embedded.FindBinary(cfg); errors.Is(err, embedded.ErrNoBinary) {
		t.Skipf("skipping: %v", err)
	}
	s := &ownServer{t: t, cfg: cfg}
	s.start()
	t.Cleanup(func() { s.srv.Stop() }) //nolint:errcheck // a server the test may have killed
	return s
}

func (s *ownServer) start() {
	s.t.Helper()
	srv, err := embedded.Start(s.t.Context(), s.cfg, slog.New(slog.DiscardHandler))
	require.NoError(s.t, err)
	s.srv = srv
}

// crash kills the server with SIGKILL and starts it again (same port).
func (s *ownServer) crash() {
	s.t.Helper()
	require.NoError(s.t, s.srv.Kill())
	s.start()
}

func (s *ownServer) dsn() string { return s.srv.DSN() + "zengshou" }

// stderrLine is a child's stderr as one line (the test fails when it is more).
func stderrLine(t *testing.T, c *child) string {
	t.Helper()
	out := c.stderr.String()
	if i := strings.Index(out, " reached\n"); strings.HasPrefix(out, "crashpoint ") && i > 0 {
		out = out[i+len(" reached\n"):] // the hook's own line
	}
	line := strings.TrimSuffix(out, "\n")
	require.NotContains(t, line, "\n", "one line on stderr")
	return line
}

// TestClickHouseKilledMidLoadAndAfterPublication kills -9 the ClickHouse
// server (its own, started by the test): right after a publication (after
// the restart the period is intact, identical to a clean run's); while a
// run stages its tables and while it swaps them, with the run going on
// while the server is down (the run exits 1 with one line; after the
// restart the previous publication is intact, or the interrupted one is
// completed, and the next run publishes); and while a run stages, restarted
// before the run goes on (the run reconnects and publishes the same tables).
func TestClickHouseKilledMidLoadAndAfterPublication(t *testing.T) {
	srv := startOwnServer(t, t.TempDir())
	sc := newFaultScene(t, srv.dsn())
	sc.runOK()
	ref := sc.checksums()
	old := sc.publishedRun()

	// kill -9 right after a publication.
	srv.crash()
	sc.connect()
	require.Equal(t, old, sc.requireRecovered("server killed after publication", ref, old))

	for _, tc := range []struct {
		point     string
		published func(old, crashed string) string
		want      string
	}{
		{"staged:household_year", func(old, _ string) string { return old }, "connect"},
		{"after-swap:person_month", func(_, crashed string) string { return crashed }, "publication interrupted"},
	} {
		before := sc.allRuns()
		c := sc.run(crashpoint.Env + "=" + tc.point + ":pause")
		c.reached(t, tc.point)
		require.NoError(t, srv.srv.Kill())
		require.NoError(t, c.cmd.Process.Signal(syscall.SIGCONT))
		require.Equal(t, exitFailed, c.wait(t), "stderr: %s", c.stderr.String())
		line := stderrLine(t, c)
		t.Logf("server down at %s; the run says: %s", tc.point, line)
		require.Contains(t, line, "2025-01")
		require.Contains(t, line, tc.want)
		srv.start()
		sc.connect()
		crashed := sc.crashedRun(before)
		sc.requireRecovered("server killed at "+tc.point, ref, tc.published(old, crashed))
		sc.runOK()
		require.Equal(t, ref, sc.checksums(), "the next run publishes the same tables")
		old = sc.publishedRun()
	}

	// Killed and restarted while the run is stopped between two tables.
	c := sc.run(crashpoint.Env + "=staged:household_year:pause")
	c.reached(t, "staged:household_year")
	srv.crash()
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGCONT))
	require.Equal(t, exitOK, c.wait(t), "the run reconnects; stderr: %s", c.stderr.String())
	sc.connect()
	sc.requireRecovered("server restarted mid-load", ref, sc.publishedRun())
}

// mountTmpfs mounts a tmpfs of size (e.g. "64m") at dir, read-only when ro,
// or skips the test when mounting is not permitted.
func mountTmpfs(t *testing.T, dir, size string, ro bool) {
	t.Helper()
	opts := "size=" + size
	if ro {
		opts += ",ro"
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("skipping: mounting a tmpfs is not permitted here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("unmounting %s: %v: %s", dir, err, out)
		}
	})
}

// fill writes a file into dir until the file system is full.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			require.ErrorIs(t, err, syscall.ENOSPC)
			break
		}
	}
	return path
}

// TestFullDiskAndReadOnlyDataDirectory: ClickHouse's disk full (a small
// tmpfs the test mounts and fills) → the run exits 1 with one line, the
// previous publication is intact, and once there is room the next run
// publishes; a data directory that is not writable (a read-only tmpfs) →
// one line naming it, nothing written.
func TestFullDiskAndReadOnlyDataDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: mounting a tmpfs needs root")
	}
	// The server's data (not its logs: a server that cannot log drops the
	// connection instead of saying why) on a small file system.
	dataDir := t.TempDir()
	disk := filepath.Join(dataDir, "clickhouse", "data")
	require.NoError(t, os.MkdirAll(disk, 0o750))
	mountTmpfs(t, disk, "256m", false)
	srv := startOwnServer(t, dataDir)
	sc := newFaultScene(t, srv.dsn())
	sc.runOK()
	ref := sc.checksums()
	old := sc.publishedRun()

	filler := fill(t, disk)
	c := sc.run()
	require.Equal(t, exitFailed, c.wait(t), "stderr: %s", c.stderr.String())
	line := stderrLine(t, c)
	t.Logf("disk full; the run says: %s", line)
	require.Contains(t, strings.ToLower(line), "space")
	require.NoError(t, os.Remove(filler))
	require.Equal(t, old, sc.requireRecovered("disk full", ref, old), "the previous publication is intact")
	sc.runOK()
	require.Equal(t, ref, sc.checksums())

	readOnly := t.TempDir()
	mountTmpfs(t, readOnly, "1m", true)
	before := sc.allRuns()
	c = startChild(t, nil, "run", "--inbox", sc.inbox, "--period", "2025-01", "--clickhouse", sc.dsn,
		"--data-dir", readOnly, "--hmac-key-file", sc.key, "--log-level", "warn")
	code := c.wait(t)
	line = stderrLine(t, c)
	t.Logf("read-only data directory (exit %d): %s", code, line)
	require.NotEqual(t, exitOK, code)
	require.Contains(t, line, readOnly)
	require.Contains(t, line, "read-only file system")
	require.Equal(t, ref, sc.checksums(), "nothing written")
	require.Len(t, sc.allRuns(), len(before)+1, "the refused attempt is recorded, nothing else")
}
