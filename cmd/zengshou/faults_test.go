package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
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

	"zengshou/internal/crashpoint"
	"zengshou/internal/testenv"
	"zengshou/schemas"
	"zengshou/synth"
)

// faultHouseholds is the size of the provinces the fault tests generate.
const faultHouseholds = 300

// faultTimeout bounds every child process of the fault tests.
const faultTimeout = 2 * time.Minute

// child is a `zengshou` child process whose output can be read while it runs.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	done           chan struct{}
	code           int
}

// startChild starts the test binary as zengshou with extra environment.
func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	c := &child{done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], args...)
	c.cmd.Env = append(append(os.Environ(), asMainEnv+"=1", crashpoint.Env+"="), env...)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	require.NoError(t, c.cmd.Start())
	go func() {
		err := c.cmd.Wait()
		c.code = c.cmd.ProcessState.ExitCode()
		if err != nil && c.code == 0 {
			c.code = -1
		}
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill() //nolint:errcheck // a test that failed half-way
			<-c.done
		}
	})
	return c
}

// wait returns the exit status (-1: killed by a signal), failing the test
// when the process outlives faultTimeout.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	return c.waitWithin(t, faultTimeout)
}

// waitWithin is wait with another bound.
func (c *child) waitWithin(t *testing.T, faultTimeout time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		return c.code
	case <-time.After(faultTimeout):
		c.cmd.Process.Kill() //nolint:errcheck // the test fails anyway
		<-c.done
		t.Fatalf("zengshou %v still running after %s; stderr: %s", c.cmd.Args[1:], faultTimeout, c.stderr.String())
		return -1
	}
}

// reached waits until the child stopped at its armed crash point.
func (c *child) reached(t *testing.T, point string) {
	t.Helper()
	deadline := time.After(faultTimeout)
	for !strings.Contains(c.stderr.String(), "crashpoint "+point+" reached") {
		select {
		case <-c.done:
			t.Fatalf("zengshou exited %d before crash point %s; stderr: %s", c.code, point, c.stderr.String())
		case <-deadline:
			t.Fatalf("crash point %s not reached within %s", point, faultTimeout)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// faultScene is a small generated province (one month) and a warehouse.
type faultScene struct {
	t                        *testing.T
	dsn, dataDir, inbox, key string
	conn                     driver.Conn
	lastRecovery             string
}

func newFaultScene(t *testing.T, dsn string) *faultScene {
	t.Helper()
	sc := &faultScene{t: t, dsn: dsn, dataDir: t.TempDir(), inbox: t.TempDir()}
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = faultHouseholds, "2025-01", "2025-01"
	_, err := synth.Generate(t.Context(), cfg, sc.inbox)
	require.NoError(t, err)
	sc.key = filepath.Join(sc.dataDir, "hmac.key")
	require.NoError(t, os.WriteFile(sc.key, []byte("fault-test-key-0123456789abcdef\n"), 0o600))
	sc.connect()
	return sc
}

func (sc *faultScene) connect() {
	opts, err := ch.ParseDSN(sc.dsn)
	require.NoError(sc.t, err)
	sc.conn, err = ch.Open(opts)
	require.NoError(sc.t, err)
	conn := sc.conn
	sc.t.Cleanup(func() { conn.Close() })
}

// run starts `zengshou run` of 2025-01; env may arm a crash point.
func (sc *faultScene) run(env ...string) *child {
	return startChild(sc.t, env, "run", "--inbox", sc.inbox, "--period", "2025-01", "--clickhouse", sc.dsn,
		"--data-dir", sc.dataDir, "--hmac-key-file", sc.key, "--log-level", "warn")
}

// runOK runs the period to publication.
func (sc *faultScene) runOK() {
	sc.t.Helper()
	c := sc.run()
	require.Equal(sc.t, exitOK, c.wait(sc.t), "stderr: %s", c.stderr.String())
}

// recoverNow connects as any command does (`zengshou runs`): recovery
// settles what a dead run left.
func (sc *faultScene) recoverNow() {
	sc.t.Helper()
	c := startChild(sc.t, nil, "runs", "--clickhouse", sc.dsn, "--data-dir", sc.dataDir, "--log-level", "debug")
	require.Equal(sc.t, exitOK, c.wait(sc.t), "stderr: %s", c.stderr.String())
	sc.lastRecovery = c.stderr.String()
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// query returns the rows of a one-column query as strings.
func (sc *faultScene) query(q string) []string {
	sc.t.Helper()
	rows, err := sc.conn.Query(context.Background(), q)
	require.NoError(sc.t, err, q)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(sc.t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(sc.t, rows.Err())
	return out
}

// periodTables are the tables a run of 2025-01 writes, with the condition
// selecting its rows.
func periodTables() map[string]schemas.Table {
	out := map[string]schemas.Table{}
	for _, t := range schemas.Tables {
		if t.Published || t.Dimension {
			out[t.Name] = t
		}
	}
	return out
}

// checksums is an ordered checksum of every table's rows of 2025-01 (the
// whole of dim_county): the sorted hashes of each row's columns but run_id
// and timestamps, and the row count.
func (sc *faultScene) checksums() map[string]string {
	sc.t.Helper()
	out := map[string]string{}
	for name, t := range periodTables() {
		var cols []string
		for _, c := range t.Columns {
			if c.Name == "run_id" || strings.Contains(c.Type, "DateTime") {
				continue
			}
			cols = append(cols, asText(c))
		}
		where := ""
		if t.Published {
			where = " WHERE toYYYYMM(period) = 202501"
		}
		hashes := sc.query(fmt.Sprintf("SELECT toString(cityHash64(%s)) AS h FROM %s%s ORDER BY h",
			strings.Join(cols, ", "), name, where))
		sum := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
		out[name] = fmt.Sprintf("%d rows %s", len(hashes), hex.EncodeToString(sum[:8]))
	}
	return out
}

// asText renders a column as a String expression for hashing.
func asText(c schemas.TableColumn) string {
	name := "`" + c.Name + "`"
	switch {
	case strings.HasPrefix(c.Type, "Array("):
		return "arrayStringConcat(arrayMap(x -> toString(x), " + name + "), ',')"
	case strings.HasPrefix(c.Type, "Nullable("):
		return "ifNull(toString(" + name + "), '\\\\N')"
	}
	return "toString(" + name + ")"
}

// runsByTable are the distinct run_ids of each published table's 2025-01 rows.
func (sc *faultScene) runsByTable() map[string][]string {
	sc.t.Helper()
	out := map[string][]string{}
	for name, t := range periodTables() {
		if t.Published {
			out[name] = sc.query("SELECT DISTINCT run_id FROM " + name + " WHERE toYYYYMM(period) = 202501 ORDER BY run_id")
		}
	}
	return out
}

// publishedRun is the run the period's latest published etl_run row names.
func (sc *faultScene) publishedRun() string {
	sc.t.Helper()
	// As the sink reads it: the published run with the latest version.
	ids := sc.query(`SELECT run_id FROM (
    SELECT run_id, argMax(status, version) AS st, max(version) AS v
    FROM etl_run WHERE period = toDate('2025-01-01') GROUP BY run_id
) WHERE st = 'published' ORDER BY v DESC LIMIT 1`)
	require.Len(sc.t, ids, 1)
	return ids[0]
}

// stages counts the staging tables left in the database.
func (sc *faultScene) stages() int {
	return len(sc.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"))
}

// requireOneRunPerTable checks that each published table holds the rows of
// one run, old or crashed, in 2025-01 (never a mix within a table); tables
// of a period with a run of its own may differ from one another only
// before recovery.
func (sc *faultScene) requireOneRunPerTable(what string, allowed ...string) {
	sc.t.Helper()
	for name, ids := range sc.runsByTable() {
		if name == schemas.SalesMonthTable.Name || name == schemas.DiscrepancyTable.Name || name == schemas.QuarantineTable.Name {
			require.LessOrEqual(sc.t, len(ids), 1, "%s: %s holds rows of runs %v", what, name, ids)
		} else {
			require.Len(sc.t, ids, 1, "%s: %s holds rows of runs %v", what, name, ids)
		}
		for _, id := range ids {
			require.Contains(sc.t, allowed, id, "%s: %s holds rows of run %s", what, name, id)
		}
	}
}

// requireRecovered checks the period after recovery: every table holds the
// rows of one run, old or crashed, identical to a clean run's, and no
// staging table is left.
func (sc *faultScene) requireRecovered(what string, ref map[string]string, allowed ...string) string {
	sc.t.Helper()
	sc.recoverNow()
	pub := sc.publishedRun()
	require.Contains(sc.t, allowed, pub, "%s: the published run is the old or the crashed one", what)
	for name, ids := range sc.runsByTable() {
		for _, id := range ids {
			require.Equal(sc.t, pub, id, "%s: after recovery %s holds rows of %s, not of the published run", what, name, id)
		}
	}
	if got := sc.checksums(); !equalMaps(ref, got) {
		sc.t.Logf("parts: %v", sc.query("SELECT concat(table, ' ', name, ' ', toString(active), ' ', toString(rows)) FROM system.parts WHERE database = currentDatabase() AND table NOT LIKE '.inner%' ORDER BY table, name"))
		sc.t.Logf("runs: %v", sc.query("SELECT concat(run_id, ' ', status, ' ', toString(version), ' ', error) FROM etl_run ORDER BY version"))
		sc.t.Logf("recovery said: %s", sc.lastRecovery)
		require.Equal(sc.t, ref, got, "%s: tables identical to a clean run's", what)
	}
	require.Zero(sc.t, sc.stages(), "%s: no staging table left", what)
	return pub
}

// crashPoints expands crashpoint.Points over the published tables.
func crashPoints() []string {
	var out []string
	for _, p := range crashpoint.Points {
		if !strings.HasSuffix(p, ":<table>") {
			out = append(out, p)
			continue
		}
		for _, t := range schemas.Tables {
			if t.Published {
				out = append(out, strings.TrimSuffix(p, "<table>")+t.Name)
			}
		}
	}
	return out
}

// lockedRun is the run the period's lock file names (the crashed one).
func (sc *faultScene) crashedRun(before []string) string {
	sc.t.Helper()
	ids := sc.query("SELECT DISTINCT run_id FROM etl_run WHERE period = toDate('2025-01-01') ORDER BY run_id")
	var fresh []string
	for _, id := range ids {
		if !strings.Contains(strings.Join(before, " "), id) {
			fresh = append(fresh, id)
		}
	}
	require.Len(sc.t, fresh, 1, "one new run recorded")
	return fresh[0]
}

func (sc *faultScene) allRuns() []string {
	return sc.query("SELECT DISTINCT run_id FROM etl_run ORDER BY run_id")
}

// TestCrashAnywhereLeavesTheOldOrTheNewPublication kills `zengshou run`
// (SIGKILL, by the crash-point hook) at every named point of a run and at
// random moments. Right after the kill each published table holds one
// run's rows of the period (the old publication's or the dead run's); after
// the next connection's recovery every table holds the same run's rows,
// identical (ordered checksums, run_id and timestamps aside) to a clean
// run's, and no staging table is left. A last clean re-run gives the same.
func TestCrashAnywhereLeavesTheOldOrTheNewPublication(t *testing.T) {
	sc := newFaultScene(t, testenv.ClickHouse(t))
	start := time.Now()
	sc.runOK()
	clean := time.Since(start)
	ref := sc.checksums()
	t.Logf("clean run: %s, %v", clean.Round(time.Millisecond), ref)
	old := sc.publishedRun()

	points := crashPoints()
	require.GreaterOrEqual(t, len(points), 10)
	for _, point := range points {
		before := sc.allRuns()
		c := sc.run(crashpoint.Env + "=" + point + ":exit")
		require.Equal(t, -1, c.wait(t), "killed at %s; stderr: %s", point, c.stderr.String())
		crashed := sc.crashedRun(before)
		sc.requireOneRunPerTable(point, old, crashed)
		old = sc.requireRecovered(point, ref, old, crashed)
		t.Logf("%-28s → published %s", point, map[bool]string{true: "new", false: "old"}[old == crashed])
	}

	for i := range 4 {
		before := sc.allRuns()
		c := sc.run()
		delay := time.Duration(rand.Int64N(int64(clean)))
		select {
		case <-c.done:
		case <-time.After(delay):
			require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
		}
		code := c.wait(t)
		what := fmt.Sprintf("kill -9 after %s (exit %d)", delay.Round(time.Millisecond), code)
		ids := []string{old}
		if after := sc.allRuns(); len(after) > len(before) {
			ids = append(ids, sc.crashedRun(before))
		}
		sc.requireOneRunPerTable(what, ids...)
		old = sc.requireRecovered(what, ref, ids...)
		t.Logf("random %d: %s → published %s", i, what, old)
	}

	sc.runOK()
	require.Equal(t, ref, sc.checksums(), "a clean re-run gives the same tables")
}
