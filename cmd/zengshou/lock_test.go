package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/synth"
)

// asMainEnv makes the test binary run as zengshou itself (TestMain), so the
// tests below can start real `zengshou run` processes.
const asMainEnv = "ZENGSHOU_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(realMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// process is a `zengshou` child process.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	code           int
}

func startZengshou(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], args...)
	p.cmd.Env = append(os.Environ(), asMainEnv+"=1")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	require.NoError(t, p.cmd.Start())
	go func() {
		err := p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		if err != nil && p.code == 0 {
			p.code = -1
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill() //nolint:errcheck // a test that failed half-way
			<-p.done
		}
	})
	return p
}

// wait returns the exit status (-1: killed by a signal).
func (p *process) wait() int {
	<-p.done
	return p.code
}

// lockScene is an inbox whose roster is a named pipe: a `zengshou run` of
// its period takes the period lock, records itself running, and then
// blocks reading the roster until the test feeds it.
type lockScene struct {
	t                        *testing.T
	dsn, dataDir, inbox, key string
	roster                   string // the roster's path (a FIFO until fed)
	content                  []byte
	conn                     driver.Conn
}

func newLockScene(t *testing.T) *lockScene {
	t.Helper()
	sc := &lockScene{t: t, dsn: testenv.ClickHouse(t), dataDir: t.TempDir(), inbox: t.TempDir()}
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 60, "2025-01", "2025-01"
	_, err := synth.Generate(t.Context(), cfg, sc.inbox)
	require.NoError(t, err)
	sc.key = filepath.Join(sc.dataDir, "hmac.key")
	require.NoError(t, os.WriteFile(sc.key, []byte("lock-test-key-0123456789abcdef\n"), 0o600))
	found, err := filepath.Glob(filepath.Join(sc.inbox, "2025-01", "roster.csv*"))
	require.NoError(t, err)
	require.Len(t, found, 1)
	sc.roster = found[0]
	sc.content, err = os.ReadFile(sc.roster)
	require.NoError(t, err)
	require.NoError(t, os.Remove(sc.roster))
	require.NoError(t, syscall.Mkfifo(sc.roster, 0o644))

	opts, err := ch.ParseDSN(sc.dsn)
	require.NoError(t, err)
	sc.conn, err = ch.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { sc.conn.Close() })
	return sc
}

func (sc *lockScene) run(extra ...string) *process {
	args := append([]string{"run", "--inbox", sc.inbox, "--period", "2025-01", "--clickhouse", sc.dsn,
		"--data-dir", sc.dataDir, "--hmac-key-file", sc.key}, extra...)
	return startZengshou(sc.t, args...)
}

// holder waits until the period's lock file names a run that etl_run
// records as running, and returns that run.
func (sc *lockScene) holder(p *process) string {
	sc.t.Helper()
	var id string
	require.Eventually(sc.t, func() bool {
		select {
		case <-p.done:
			sc.t.Fatalf("the holder exited %d: %s", p.code, p.stderr.String())
		default:
		}
		b, err := os.ReadFile(filepath.Join(sc.dataDir, "locks", "2025-01.lock"))
		if err != nil || len(bytes.TrimSpace(b)) == 0 {
			return false
		}
		var h struct {
			RunID string `json:"run_id"`
		}
		if json.Unmarshal(b, &h) != nil || h.RunID == "" {
			return false
		}
		id = h.RunID
		return sc.status(id) == "running"
	}, time.Minute, 20*time.Millisecond, "a run takes the lock and records itself running")
	return id
}

// feed replaces the FIFO with the real roster: a run blocked opening it
// reads the content; later runs find a plain file.
func (sc *lockScene) feed() {
	sc.t.Helper()
	w, err := os.OpenFile(sc.roster, os.O_WRONLY, 0) // meets the blocked reader
	require.NoError(sc.t, err)
	plain := sc.roster + ".plain"
	require.NoError(sc.t, os.WriteFile(plain, sc.content, 0o644))
	require.NoError(sc.t, os.Rename(plain, sc.roster))
	_, err = w.Write(sc.content)
	require.NoError(sc.t, err)
	require.NoError(sc.t, w.Close())
}

// unblock replaces the FIFO with the real roster when nobody reads it.
func (sc *lockScene) unblock() {
	sc.t.Helper()
	plain := sc.roster + ".plain"
	require.NoError(sc.t, os.WriteFile(plain, sc.content, 0o644))
	require.NoError(sc.t, os.Rename(plain, sc.roster))
}

func (sc *lockScene) status(id string) string {
	var st string
	if err := sc.conn.QueryRow(context.Background(), fmt.Sprintf(
		"SELECT argMax(status, version) FROM etl_run WHERE run_id = '%s'", id)).Scan(&st); err != nil {
		return ""
	}
	return st
}

// personRunsOfJanuary counts person_month rows of 2025-01 per run.
func (sc *lockScene) personRunsOfJanuary() map[string]uint64 {
	sc.t.Helper()
	rows, err := sc.conn.Query(context.Background(), "SELECT run_id, count() FROM person_month WHERE period = toDate('2025-01-01') GROUP BY run_id")
	require.NoError(sc.t, err)
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var id string
		var n uint64
		require.NoError(sc.t, rows.Scan(&id, &n))
		out[id] = n
	}
	require.NoError(sc.t, rows.Err())
	return out
}

// TestTwoRunsOfOnePeriodContend starts real `zengshou run` processes on one
// period: while one holds it, a second exits 2 with one line naming the
// holder and since when, and a third with --wait-lock waits, then runs after
// the first has published. The period ends up holding one run's rows.
func TestTwoRunsOfOnePeriodContend(t *testing.T) {
	sc := newLockScene(t)
	first := sc.run()
	holder := sc.holder(first)

	second := sc.run()
	require.Equal(t, exitUsage, second.wait(), "stderr: %s", second.stderr.String())
	line := strings.TrimRight(second.stderr.String(), "\n")
	t.Logf("the refused run says: %s", line)
	require.NotContains(t, line, "\n", "one line on stderr")
	require.Empty(t, second.stdout.String())
	for _, want := range []string{"2025-01", holder, "zengshou run", "自 "} {
		require.Contains(t, line, want)
	}

	third := sc.run("--wait-lock", "5m")
	sc.feed()
	require.Equal(t, exitOK, first.wait(), "stderr: %s", first.stderr.String())
	require.Equal(t, exitOK, third.wait(), "stderr: %s", third.stderr.String())
	require.Equal(t, "published", sc.status(holder))

	runs := sc.personRunsOfJanuary()
	require.Len(t, runs, 1, "January holds the rows of one run: %v", runs)
	for id := range runs {
		require.NotEqual(t, holder, id, "the waiting run published after the first")
		require.Equal(t, "published", sc.status(id))
	}
	var refused uint64
	require.NoError(t, sc.conn.QueryRow(context.Background(),
		"SELECT count() FROM etl_run FINAL WHERE status = 'failed' AND position(error, ?) > 0", holder).Scan(&refused))
	require.Equal(t, uint64(1), refused, "the refused attempt is recorded, naming the holder")
}

// TestAKilledRunsLockIsRecovered kills a `zengshou run` with SIGKILL while
// it holds its period: the next run of the period takes the lock at once,
// marks the dead run failed in etl_run, and publishes.
func TestAKilledRunsLockIsRecovered(t *testing.T) {
	sc := newLockScene(t)
	victim := sc.run()
	dead := sc.holder(victim)
	require.NoError(t, victim.cmd.Process.Signal(syscall.SIGKILL))
	require.Equal(t, -1, victim.wait())
	require.Equal(t, "running", sc.status(dead), "a killed run is left running")
	sc.unblock()

	next := sc.run()
	require.Equal(t, exitOK, next.wait(), "stderr: %s", next.stderr.String())
	require.Equal(t, "failed", sc.status(dead))
	var reason string
	require.NoError(t, sc.conn.QueryRow(context.Background(),
		"SELECT argMax(error, version) FROM etl_run WHERE run_id = ?", dead).Scan(&reason))
	require.Contains(t, reason, "abandoned")
	runs := sc.personRunsOfJanuary()
	require.Len(t, runs, 1)
	var leftovers uint64
	require.NoError(t, sc.conn.QueryRow(context.Background(),
		"SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'").Scan(&leftovers))
	require.Zero(t, leftovers, "no staging table is left")
}
