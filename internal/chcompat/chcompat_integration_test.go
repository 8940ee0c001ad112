package chcompat_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/dashboards"
	"zengshou/internal/chcompat"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

const repoRoot = "../.."

// replayTimeout bounds the whole test (a hung statement fails it).
const replayTimeout = 8 * time.Minute

// notRecorded are the functions that send statements the scenario cannot
// record, and why; every other sending function of the program must be
// exercised by scenario.
var notRecorded = map[string]string{
	"zengshou/pipeline/sink/clickhouse.(*Sink).open":                "CREATE DATABASE IF NOT EXISTS on the bootstrap connection: the replay creates the database on both engines itself",
	"zengshou/pipeline/sink/clickhouse.(*Sink).createShardSchema":   "a cluster shard's schema from the cluster DDL; the scenario runs one node (TestTheClusterDDLRunsOnCurrentClickHouse runs that DDL on current ClickHouse)",
	"zengshou/internal/testenv.ClickHouse":                          "test database set-up, not the program",
	"zengshou/internal/testenv.createDatabase":                      "the test cluster's database on each shard server (testenv.Cluster), not the program",
	"zengshou/internal/whsum.Compute":                               "the warehouse checksums of a test (TestTheWarehouseHoldsTheRecordedRows), not the program",
	"zengshou/internal/testenv.Postgres":                            "test database set-up of PostgreSQL, not ClickHouse",
	"zengshou/pipeline/source/sqldb.openPostgres":                   "a department's PostgreSQL, not the warehouse",
	"zengshou/cmd/zengshou.checkDashboards":                         "the CLI wrapper of dashboards.Check, which the scenario calls",
	"zengshou/jobs.(*Daemon).ready":                                 "the daemon's /readyz: SELECT 1 and the schema_migrations read that Migrate sends too (not yet in the scenario)",
	"zengshou/pipeline/sink/clickhouse.(*Sink).repair":              "sends only after a restart revived replaced parts (18.16); the restart tests exercise it there, not yet in this scenario",
	"zengshou/pipeline/sink/clickhouse.(*Sink).reconcileDimensions": "likewise only after a restart or concurrent replacements left a dimension doubled; not yet in this scenario",
	"zengshou/pipeline/sink/clickhouse.(*Sink).cleanStaleStages":    "sends DROP TABLE only for a staging table a dead run left; not yet in this scenario",
	"zengshou/internal/querytime.(*timedConn).Query":                "a pass-through timing the queries of dashboards --check and report --query-times; the scenario records those queries where they are composed",
	"zengshou/internal/querytime.(*timedConn).QueryRow":             "likewise, the pass-through of QueryRow",
	"zengshou/internal/querytime.(*timedConn).Select":               "likewise, the pass-through of Select",
}

// TestEveryStatementRunsOnCurrentClickHouse records every statement the
// program sends while it builds a small province across a year boundary
// (re-running a period, reading reports, reconnecting), then replays the
// record statement by statement on a fresh database of the 18.16 test
// server and on chdb (ClickHouse 26.x, in-process), followed by every
// query of the documentation's ```sql blocks. Every statement must succeed
// on both, and every query must return the same rows on both.
func TestEveryStatementRunsOnCurrentClickHouse(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
	defer cancel()
	dsn := testenv.ClickHouse(t)
	nodeModules := chdbModules(t)
	rec := &chcompat.Recorder{}
	scenario(t, ctx, dsn, rec)
	stmts := rec.Statements()

	docs, skipped, err := chcompat.DocQueries(repoRoot)
	require.NoError(t, err)
	for _, s := range skipped {
		t.Logf("documented SQL not run: %s: %s", s.Where, s.Why)
	}
	for _, q := range docs {
		stmts = append(stmts, chcompat.Statement{Kind: chcompat.KindQuery, SQL: q.SQL, Caller: fmt.Sprintf("%s:%d", q.File, q.Line)})
	}

	t.Run("every sending function is recorded", func(t *testing.T) {
		funcs, err := chcompat.SendingFunctions(repoRoot, "zengshou")
		require.NoError(t, err)
		seen := map[string]bool{}
		for _, st := range stmts {
			seen[chcompat.FunctionOf(st.Caller)] = true
		}
		var missing []string
		for _, f := range funcs {
			if why, ok := notRecorded[f]; ok {
				t.Logf("not recorded: %s: %s", f, why)
				continue
			}
			if !seen[f] {
				missing = append(missing, f)
			}
		}
		require.Empty(t, missing, "functions sending SQL that the scenario never called: exercise them in scenario() (internal/chcompat) or list them in notRecorded with the reason")
	})

	u, err := url.Parse(dsn)
	require.NoError(t, err)
	database := strings.TrimPrefix(u.Path, "/")
	old, err := chcompat.OpenServer(ctx, dsn, database)
	require.NoError(t, err)
	defer old.Close()
	tz, err := old.Query(ctx, "SELECT timezone()")
	require.NoError(t, err)
	current, err := chcompat.OpenChdb(ctx, nodeModules, database, strings.TrimSpace(tz))
	require.NoError(t, err)
	defer current.Close()

	tally, fails := chcompat.Replay(ctx, stmts, old, current)
	for _, f := range fails {
		t.Error(f.String())
	}
	summarize(t, stmts, tally, old.Version(), current.Version())
}

// scenario runs the program on the test server with every warehouse
// connection recorded into rec.
func scenario(t *testing.T, ctx context.Context, dsn string, rec *chcompat.Recorder) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	connect := func() *clickhouse.Sink {
		cfg := clickhouse.DefaultConfig()
		cfg.DSN = dsn
		cfg.BatchRows = 400 // several batches per table, small statements
		s := clickhouse.New(cfg, logger)
		s.WrapConn(rec.Wrap)
		require.NoError(t, s.Connect(ctx))
		return s
	}
	sink := connect()

	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 120, "2024-11", "2025-12"
	scfg.Dirty.IDInvalid, scfg.Dirty.DuplicatePerson, scfg.Dirty.UnknownRegion = 0.02, 0.02, 0.02
	scfg.MissingSources = map[string][]string{"2025-01": {schemas.Pension}}
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	runner := pipeline.NewRunner(sink, config.DefaultParams(), schemas.MustLoadRegions(), []byte("chcompat-test-key-0123456789"), mem, logger)
	month := func(s string) values.Month {
		m, err := values.ParseMonth(s)
		require.NoError(t, err)
		return m
	}
	// Across the year boundary, then the months the documentation queries.
	for _, span := range [][2]string{{"2024-11", "2025-02"}, {"2025-06", "2025-06"}, {"2025-12", "2025-12"}} {
		_, err := jobs.RunPeriodsWith(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, inbox, month(span[0]), month(span[1]), mem, jobs.Options{NoCascade: true})
		require.NoError(t, err)
	}
	// A re-run of a published period: later periods turn stale, the
	// cascade re-runs them.
	_, err = jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, inbox, month("2024-12"), month("2024-12"), mem)
	require.NoError(t, err)

	for _, p := range []string{"2024-12", "2025-01", "2025-12", "2023-01"} {
		_, err := reports.Headlines(ctx, sink.Conn(), month(p))
		require.NoError(t, err)
		_, err = reports.Findings(ctx, sink.Conn(), month(p))
		require.NoError(t, err)
	}
	// The monthly and quarterly reports, the dashboards' panels, the
	// operator's run list and the daemon's catch-up read.
	for _, kind := range []reports.Kind{reports.Monthly, reports.Quarterly} {
		opts := reports.DefaultOptions()
		opts.Period, opts.Kind, opts.OutDir, opts.PDF = month("2025-12"), kind, t.TempDir(), reports.PDFOff
		_, err := reports.Build(ctx, sink.Conn(), opts)
		require.NoError(t, err)
	}
	_, err = reports.Latest(ctx, sink.Conn())
	require.NoError(t, err)
	_, err = dashboards.Check(ctx, sink.Conn(), dashboards.Values{Period: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	_, err = jobs.RecentRuns(ctx, sink.Conn(), 20)
	require.NoError(t, err)
	_, err = jobs.PublishedPeriods(ctx, sink.Conn())
	require.NoError(t, err)

	// A period without a roster fails and is recorded as failed.
	broken := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(broken, "2025-07"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(broken, "2025-07", "household_income.csv"),
		[]byte("户编号,年度,生产经营性收入,生产经营性支出,财产性收入,其他转移性收入,自报工资性收入\n"), 0o644))
	_, err = jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, broken, month("2025-07"), month("2025-07"), mem)
	require.ErrorIs(t, err, pipeline.ErrRosterMissing)

	// The latest run of 2025-12 (whose staging partitions are intact) is
	// put back to publishing, as if killed while swapping partitions.
	require.NoError(t, sink.Conn().Exec(ctx, `INSERT INTO etl_run (run_id, job, period, started_at, finished_at, status, sources, files,
  rows_in, rows_accepted, rows_quarantined, rows_unmatched, missing_sources, error, version)
SELECT run_id, job, period, started_at, NULL, 'publishing', sources, files,
  rows_in, rows_accepted, rows_quarantined, rows_unmatched, missing_sources, error, version + 1
FROM etl_run FINAL WHERE period = toDate('2025-12-01') AND status = 'published'
ORDER BY started_at DESC LIMIT 1`))
	require.NoError(t, sink.Close())

	// Reconnecting completes that publication; migrations are done.
	again := connect()
	require.NoError(t, again.Close())
}

// chdbModules is the node_modules folder holding the npm package chdb.
func chdbModules(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(chcompat.ChdbEnv)
	if dir == "" {
		abs, err := filepath.Abs(filepath.Join(repoRoot, ".cache", "chdb", "node_modules"))
		require.NoError(t, err)
		dir = abs
	}
	if _, err := os.Stat(filepath.Join(dir, "chdb", "package.json")); err != nil {
		t.Fatalf("the current-ClickHouse test needs the npm package chdb in %s: run `make test` (its chdb target installs it), or set %s", dir, chcompat.ChdbEnv)
	}
	return dir
}

// summarize logs what the replay proved, by kind and by sending function.
func summarize(t *testing.T, stmts []chcompat.Statement, tally chcompat.Tally, oldV, currentV string) {
	texts := map[string]bool{}
	byCaller := map[string]int{}
	for _, st := range stmts {
		texts[st.SQL] = true
		byCaller[chcompat.FunctionOf(st.Caller)]++
	}
	callers := make([]string, 0, len(byCaller))
	for c := range byCaller {
		callers = append(callers, c)
	}
	sort.Strings(callers)
	var sb strings.Builder
	fmt.Fprintf(&sb, "proven on ClickHouse %s and %s: %d statements (%d DDL/ALTER/other, %d batch INSERTs, %d queries, %d result rows compared); %d distinct texts from %d sources; %d statements of the 18.16 work-around sent to old servers only:\n",
		oldV, currentV, tally.Total(), tally.Exec, tally.Insert, tally.Query, tally.Rows, len(texts), len(callers), tally.OldOnly)
	for _, c := range callers {
		fmt.Fprintf(&sb, "  %5d  %s\n", byCaller[c], c)
	}
	t.Log(sb.String())
}
