package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/crashpoint"
	"zengshou/internal/testenv"
	"zengshou/internal/whsum"
	"zengshou/pipeline"
	"zengshou/schemas"
)

// clusterHouseholds is the size of the province the cluster tests generate.
const clusterHouseholds = 200

// clusterScene is a generated province (2025-01..2025-02) and a config file
// whose cluster section names two private shard servers.
type clusterScene struct {
	t                           *testing.T
	config, dataDir, inbox, key string
	shards                      []driver.Conn
}

func newClusterScene(t *testing.T) *clusterScene {
	t.Helper()
	cluster := testenv.Cluster(t, 2)
	sc := &clusterScene{t: t, dataDir: t.TempDir(), inbox: t.TempDir()}
	require.Equal(t, exitOK, realMain([]string{"generate", "--out", sc.inbox, "--households", fmt.Sprint(clusterHouseholds),
		"--from", "2025-01", "--to", "2025-02", "--log-level", "error"}))
	sc.key = filepath.Join(sc.dataDir, "hmac.key")
	require.NoError(t, os.WriteFile(sc.key, []byte("cluster-test-key-0123456789abcdef\n"), 0o600))
	var yml strings.Builder
	fmt.Fprintf(&yml, "cluster:\n  name: %s\n  shards:\n", cluster.Name)
	for _, s := range cluster.Shards {
		fmt.Fprintf(&yml, "    - dsn: %s\n", s.DSN)
		opts, err := ch.ParseDSN(s.DSN)
		require.NoError(t, err)
		conn, err := ch.Open(opts)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		sc.shards = append(sc.shards, conn)
	}
	sc.config = filepath.Join(sc.dataDir, "zengshou.yaml")
	require.NoError(t, os.WriteFile(sc.config, []byte(yml.String()), 0o644))
	return sc
}

// run starts `zengshou run --config` of the periods from..to on the
// cluster (ZENGSHOU_CLICKHOUSE cleared: a cluster excludes it); env may arm
// a crash point.
func (sc *clusterScene) run(from, to string, env ...string) *child {
	return startChild(sc.t, append([]string{config.EnvClickHouse + "="}, env...), "run", "--config", sc.config,
		"--inbox", sc.inbox, "--period", from, "--to", to, "--data-dir", sc.dataDir, "--hmac-key-file", sc.key,
		"--log-level", "warn")
}

// runOK runs the periods to publication and returns what the run wrote on
// stderr.
func (sc *clusterScene) runOK(from, to string) string {
	sc.t.Helper()
	start := time.Now()
	c := sc.run(from, to)
	require.Equal(sc.t, exitOK, c.wait(sc.t), "stderr: %s", c.stderr.String())
	require.Contains(sc.t, c.stdout.String(), "状态 published")
	sc.t.Logf("zengshou run %s..%s on the cluster: %s", from, to, time.Since(start).Round(time.Millisecond))
	return c.stderr.String()
}

// crash runs the period with the crash point armed (exit) and returns the
// id of the run it killed.
func (sc *clusterScene) crash(period, point string) string {
	sc.t.Helper()
	before := sc.runIDs(0)
	c := sc.run(period, period, crashpoint.Env+"="+point+":exit")
	require.Equal(sc.t, -1, c.wait(sc.t), "killed at %s; stderr: %s", point, c.stderr.String())
	var fresh []string
	for _, id := range sc.runIDs(0) {
		if !slices.Contains(before, id) {
			fresh = append(fresh, id)
		}
	}
	require.Len(sc.t, fresh, 1, "the killed run is recorded")
	return fresh[0]
}

// column returns the rows of a one-column query on shard i as strings.
func (sc *clusterScene) column(i int, q string) []string {
	sc.t.Helper()
	rows, err := sc.shards[i].Query(context.Background(), q)
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

func (sc *clusterScene) runIDs(i int) []string {
	return sc.column(i, "SELECT DISTINCT run_id FROM etl_run ORDER BY run_id")
}

// status is the run's latest state in shard i's etl_run.
func (sc *clusterScene) status(i int, runID string) string {
	sc.t.Helper()
	st := sc.column(i, fmt.Sprintf("SELECT argMax(status, version) FROM etl_run WHERE run_id = '%s'", runID))
	require.Len(sc.t, st, 1)
	return st[0]
}

// statuses are the run's states on shard 1 and shard 2.
func (sc *clusterScene) statuses(runID string) []string {
	return []string{sc.status(0, runID), sc.status(1, runID)}
}

// runsInPeriod are the distinct run_ids of each published table's rows of
// the period (yyyymm), read through shard 2's Distributed tables.
func (sc *clusterScene) runsInPeriod(yyyymm int) map[string][]string {
	out := map[string][]string{}
	for _, t := range schemas.Tables {
		if t.Published {
			out[t.Name] = sc.column(1, fmt.Sprintf("SELECT DISTINCT run_id FROM %s WHERE toYYYYMM(period) = %d ORDER BY run_id", t.Name, yyyymm))
		}
	}
	return out
}

// requirePeriodHeldBy checks that every published table's rows of the
// period are the run's (tables the province leaves empty hold none).
func (sc *clusterScene) requirePeriodHeldBy(yyyymm int, runID, what string) {
	sc.t.Helper()
	for table, ids := range sc.runsInPeriod(yyyymm) {
		if len(ids) == 0 && table != schemas.PersonMonthTable.Name {
			continue
		}
		require.Equal(sc.t, []string{runID}, ids, "%s: %s rows of %d", what, table, yyyymm)
	}
}

// periodSums are the checksums (whsum: row count and hash sum of the
// non-volatile columns) of the published tables' rows of the period, and
// of the dimensions whole, read through shard 2.
func (sc *clusterScene) periodSums(yyyymm int) []string {
	sc.t.Helper()
	var want []whsum.Checksum
	where := map[string]string{}
	for _, c := range whsum.Stable() {
		i := slices.IndexFunc(schemas.Tables, func(t schemas.Table) bool { return t.Name == c.Table })
		if i < 0 || !(schemas.Tables[i].Published || schemas.Tables[i].Dimension) {
			continue
		}
		t := schemas.Tables[i]
		if t.Published {
			where[t.Name] = fmt.Sprintf("toYYYYMM(period) = %d", yyyymm)
		}
		want = append(want, c)
	}
	got, err := whsum.Compute(context.Background(), sc.shards[1], want, where, nil)
	require.NoError(sc.t, err)
	out := make([]string, len(got))
	for i, c := range got {
		if c.Table == schemas.PersonMonthTable.Name {
			require.NotZero(sc.t, c.Rows, "person_month has rows of %d", yyyymm)
		}
		out[i] = fmt.Sprintf("%s %d rows sum %d", c.Table, c.Rows, c.Sum)
	}
	return out
}

// requireNoStages checks that no shard has a staging table left.
func (sc *clusterScene) requireNoStages(what string) {
	sc.t.Helper()
	for i := range sc.shards {
		require.Empty(sc.t, sc.column(i, "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"),
			"%s: staging tables left on shard %d", what, i+1)
	}
}

// TestACommandRunsOnTheClusterItsConfigNames: `zengshou run --config` with
// a cluster section (and no clickhouse DSN) publishes two months of a
// generated province on two shards. Each shard holds part of person_month,
// and the Distributed table read on shard 2 counts both parts; every
// table, read through shard 2, holds exactly what the same run writes on a
// single node.
func TestACommandRunsOnTheClusterItsConfigNames(t *testing.T) {
	sc := newClusterScene(t)
	ctx := context.Background()
	sc.runOK("2025-01", "2025-02")

	var distributed, local uint64
	require.NoError(t, sc.shards[1].QueryRow(ctx, "SELECT count() FROM person_month").Scan(&distributed))
	for i, conn := range sc.shards {
		var n uint64
		require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM person_month_local").Scan(&n))
		require.NotZero(t, n, "shard %d holds part of person_month", i+1)
		local += n
	}
	require.Equal(t, local, distributed, "person_month read on shard 2 is both shards' rows")

	// The same inbox on one node.
	dsn := testenv.ClickHouse(t)
	start := time.Now()
	c := startChild(t, nil, "run", "--inbox", sc.inbox, "--period", "2025-01", "--to", "2025-02", "--clickhouse", dsn,
		"--data-dir", t.TempDir(), "--hmac-key-file", sc.key, "--log-level", "warn")
	require.Equal(t, exitOK, c.wait(t), "stderr: %s", c.stderr.String())
	t.Logf("zengshou run 2025-01..2025-02 on one node: %s", time.Since(start).Round(time.Millisecond))
	opts, err := ch.ParseDSN(dsn)
	require.NoError(t, err)
	node, err := ch.Open(opts)
	require.NoError(t, err)
	defer node.Close()
	var nodeRows uint64
	require.NoError(t, node.QueryRow(ctx, "SELECT count() FROM person_month").Scan(&nodeRows))
	require.Equal(t, nodeRows, distributed, "person_month rows on one node and on the cluster")

	want, err := whsum.Compute(ctx, node, whsum.Stable(), nil, nil)
	require.NoError(t, err)
	got, err := whsum.Compute(ctx, sc.shards[1], whsum.Stable(), nil, nil)
	require.NoError(t, err)
	for i := range want {
		require.Equal(t, want[i].String(), got[i].String(), "table %s on one node and read through shard 2", want[i].Table)
	}
}

// TestAnInterruptedClusterPublicationIsCompletedByTheNextRun kills `zengshou
// run` on a two-shard cluster in the middle of a publication, and lets the
// next `zengshou run` complete it:
//
//   - killed at shard-published:1 (shard 1 swapped and says published,
//     shard 2 still says publishing), a run of the next period completes
//     it: both shards say published, every table's rows of the period are
//     the killed run's and the same as the uninterrupted run's, and no
//     staging table is left;
//   - killed at publishing (every shard says publishing, nothing swapped),
//     at shard-publishing:1 (shard 1 says publishing, shard 2 still
//     running) or at after-swap:person_month (shard 1 half swapped), a
//     re-run of the same period completes the killed run first (both shards
//     say published), then publishes its own, with the same rows again;
//     killed at published (every shard published, staging left), the
//     re-run drops the staging tables and publishes.
func TestAnInterruptedClusterPublicationIsCompletedByTheNextRun(t *testing.T) {
	sc := newClusterScene(t)
	sc.runOK("2025-01", "2025-01")
	january := sc.periodSums(202501)
	old := sc.column(0, "SELECT DISTINCT run_id FROM person_month WHERE toYYYYMM(period) = 202501")

	killed := sc.crash("2025-01", "shard-published:1")
	require.Equal(t, []string{pipeline.StatusPublished, pipeline.StatusPublishing}, sc.statuses(killed),
		"killed between the shards' swaps: shard 1 published, shard 2 publishing")
	// Until the next connection the Distributed tables read shard 1's new
	// rows and shard 2's old ones.
	local := "SELECT DISTINCT run_id FROM person_month_local WHERE toYYYYMM(period) = 202501"
	require.Equal(t, []string{killed}, sc.column(0, local), "shard 1 swapped")
	require.Equal(t, old, sc.column(1, local), "shard 2 not swapped")
	stderr := sc.runOK("2025-02", "2025-02")
	require.Equal(t, []string{pipeline.StatusPublished, pipeline.StatusPublished}, sc.statuses(killed),
		"after the next run both shards say the killed run is published")
	require.Contains(t, stderr, "completing interrupted publication")
	sc.requirePeriodHeldBy(202501, killed, "after shard-published:1")
	require.Equal(t, january, sc.periodSums(202501), "2025-01 after the completed publication, as uninterrupted")
	sc.requireNoStages("after shard-published:1")
	february := sc.periodSums(202502)

	for _, tc := range []struct {
		point string
		left  []string
		// says is what the re-run logs completing it.
		says []string
	}{
		{"publishing", []string{pipeline.StatusPublishing, pipeline.StatusPublishing},
			[]string{"completing interrupted publication"}},
		{"shard-publishing:1", []string{pipeline.StatusPublishing, pipeline.StatusRunning},
			[]string{"completing a cluster publication interrupted between shards", "completing interrupted publication"}},
		// Shard 1 half swapped: person_month is the killed run's there.
		{"after-swap:person_month", []string{pipeline.StatusPublishing, pipeline.StatusPublishing},
			[]string{"completing interrupted publication"}},
		// Every shard published, the staging tables not dropped.
		{"published", []string{pipeline.StatusPublished, pipeline.StatusPublished}, nil},
	} {
		point := tc.point
		killed := sc.crash("2025-02", point)
		require.Equal(t, tc.left, sc.statuses(killed), "killed at %s", point)
		before := sc.runIDs(0)
		stderr := sc.runOK("2025-02", "2025-02")
		require.Equal(t, []string{pipeline.StatusPublished, pipeline.StatusPublished}, sc.statuses(killed),
			"the re-run completed the run killed at %s on both shards", point)
		for _, says := range tc.says {
			require.Contains(t, stderr, says, point)
		}
		var rerun []string
		for _, id := range sc.runIDs(0) {
			if !slices.Contains(before, id) {
				rerun = append(rerun, id)
			}
		}
		require.Len(t, rerun, 1)
		require.Equal(t, []string{pipeline.StatusPublished, pipeline.StatusPublished}, sc.statuses(rerun[0]))
		sc.requirePeriodHeldBy(202502, rerun[0], "after "+point)
		require.Equal(t, february, sc.periodSums(202502), "2025-02 after %s and the re-run, as uninterrupted", point)
		require.Equal(t, january, sc.periodSums(202501), "2025-01 untouched")
		sc.requireNoStages("after " + point)
	}
}

// TestTheDaemonRunsOnTheClusterItsConfigNames: `zengshou serve` with a
// cluster section catches up the inbox's months on the cluster: both
// shards record each month published by the catch-up, and the months' rows
// are spread over the two shards.
func TestTheDaemonRunsOnTheClusterItsConfigNames(t *testing.T) {
	sc := newClusterScene(t)
	cluster, err := os.ReadFile(sc.config)
	require.NoError(t, err)
	cfgFile := filepath.Join(t.TempDir(), "serve.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte(string(cluster)+fmt.Sprintf(`data_dir: %s
inbox: %s
hmac_key_file: %s
log_level: info
serve:
  listen: %s
  log_format: json
  etl: {enabled: true, schedule: "0 2 5 * *", watch: {enabled: false, quiet: 0s}}
  catch_up: {enabled: true, limit: 3}
  retry: {attempts: 3, initial: 50ms, max: 200ms, jitter: 0.2}
  lock_wait: 0s
`, sc.dataDir, sc.inbox, sc.key, freeAddr(t))), 0o644))
	start := time.Now()
	daemon := startDaemonTestProcess(t, "serve", "--config", cfgFile)
	published := func(shard int, period string) bool {
		for _, r := range periodRuns(t, sc.shards[shard], period) {
			if r.job == "etl-catchup" && r.status == pipeline.StatusPublished {
				return true
			}
		}
		return false
	}
	eventually(t, "the daemon to publish both months on both shards", func() bool {
		return published(0, "2025-01") && published(1, "2025-01") && published(0, "2025-02") && published(1, "2025-02")
	})
	t.Logf("the daemon caught up 2025-01..2025-02 on the cluster: %s", time.Since(start).Round(time.Millisecond))
	require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitOK, daemon.exitCode(t), "SIGTERM ends the daemon with 0; stderr:\n%s", daemon.stderr)
	for i, conn := range sc.shards {
		var months uint64
		require.NoError(t, conn.QueryRow(context.Background(), "SELECT uniqExact(period) FROM person_month_local").Scan(&months))
		require.Equal(t, uint64(2), months, "shard %d holds rows of both months", i+1)
	}
}
