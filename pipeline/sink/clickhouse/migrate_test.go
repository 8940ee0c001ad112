package clickhouse_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// connect opens a sink on dsn (creating and migrating its database) and
// closes it when the test ends.
func connect(t testing.TB, dsn string) *clickhouse.Sink {
	t.Helper()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = dsn
	s := clickhouse.New(cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, s.Connect(t.Context()))
	t.Cleanup(func() { s.Close() })
	return s
}

// column is a column as system.columns shows it.
type column struct{ Name, Type, Comment string }

func columnsOf(t *testing.T, conn driver.Conn, db, table string) []column {
	t.Helper()
	rows, err := conn.Query(t.Context(), "SELECT name, type, comment FROM system.columns WHERE database = ? AND table = ?", db, table)
	require.NoError(t, err)
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		require.NoError(t, rows.Scan(&c.Name, &c.Type, &c.Comment))
		out = append(out, c)
	}
	require.NoError(t, rows.Err())
	return out
}

func stringColumn(t *testing.T, conn driver.Conn, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(t.Context(), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func count(t *testing.T, conn driver.Conn, query string, args ...any) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(t.Context(), query, args...).Scan(&n))
	return n
}

// stagedTables are the tables with a staging twin: the published ones and
// the dimensions.
func stagedTables() []schemas.Table {
	var out []schemas.Table
	for _, t := range schemas.Tables {
		if t.Published || t.Dimension {
			out = append(out, t)
		}
	}
	return out
}

func publishedTables() []schemas.Table {
	var out []schemas.Table
	for _, t := range schemas.Tables {
		if t.Published {
			out = append(out, t)
		}
	}
	return out
}

// TestConnectCreatesTheDatabaseAndMigrates: connecting creates the DSN's
// database, creates every table of schemas.Tables exactly (names, types,
// order, a comment on every column), a staging twin of identical columns
// for each published and dimension table and nothing else, records each
// migration once, and does all of it idempotently.
func TestConnectCreatesTheDatabaseAndMigrates(t *testing.T) {
	base := testenv.ClickHouse(t)
	u, err := url.Parse(base)
	require.NoError(t, err)
	db := strings.TrimPrefix(u.Path, "/") + "_fresh"
	u.Path = "/" + db
	dsn := u.String()

	opts, err := ch.ParseDSN(base)
	require.NoError(t, err)
	admin, err := ch.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	t.Cleanup(func() {
		// t.Context is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin.Exec(ctx, "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			t.Errorf("dropping %s: %v", db, err)
		}
	})
	require.Zero(t, count(t, admin, "SELECT count() FROM system.databases WHERE name = ?", db))

	s := connect(t, dsn)
	require.Equal(t, db, s.Database())
	require.Equal(t, uint64(1), count(t, admin, "SELECT count() FROM system.databases WHERE name = ?", db))

	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	checkSchema := func(t *testing.T) {
		for _, table := range schemas.Tables {
			got := columnsOf(t, s.Conn(), db, table.Name)
			var names []schemas.TableColumn
			for _, c := range got {
				require.NotEmpty(t, strings.TrimSpace(c.Comment), "%s.%s has no COMMENT", table.Name, c.Name)
				names = append(names, schemas.TableColumn{Name: c.Name, Type: c.Type})
			}
			require.Equal(t, table.Columns, names, "system.columns of %s vs schemas.Tables", table.Name)
		}
		// No staging table outlives its run: none is left between runs.
		want := []string{"schema_migrations"}
		for _, table := range schemas.Tables {
			want = append(want, table.Name)
		}
		require.ElementsMatch(t, want, stringColumn(t, s.Conn(), "SELECT name FROM system.tables WHERE database = ?", db))

		rows, err := s.Conn().Query(t.Context(), "SELECT version, name FROM schema_migrations ORDER BY version")
		require.NoError(t, err)
		defer rows.Close()
		var got []schemas.Migration
		for rows.Next() {
			var m schemas.Migration
			require.NoError(t, rows.Scan(&m.Version, &m.Name))
			got = append(got, m)
		}
		require.NoError(t, rows.Err())
		require.Len(t, got, len(migrations), "one schema_migrations row per migration")
		for i, m := range migrations {
			require.Equal(t, m.Version, got[i].Version)
			require.Equal(t, m.Name, got[i].Name)
		}
	}

	t.Run("first connection", checkSchema)
	t.Run("second connection is idempotent", func(t *testing.T) {
		connect(t, dsn)
		checkSchema(t)
	})
	t.Run("the shared staging twins of earlier versions are dropped", func(t *testing.T) {
		for _, table := range stagedTables() {
			require.NoError(t, s.Conn().Exec(t.Context(), fmt.Sprintf("CREATE TABLE stage_%s AS %s", table.Name, table.Name)))
		}
		connect(t, dsn)
		checkSchema(t)
	})
}

// rowsOf builds n rows of a table for period, every column set from its
// type (nullable columns alternate null and a value), run_id = runID.
func rowsOf(t *testing.T, mem memory.Allocator, table schemas.Table, period values.Month, runID string, n int) arrow.RecordBatch {
	t.Helper()
	b := schemas.NewRowBuilder(table, mem)
	defer b.Release()
	for i := range n {
		for _, c := range table.Columns {
			typ, nullable := c.Type, false
			if inner, ok := strings.CutPrefix(typ, "Nullable("); ok {
				typ, nullable = strings.TrimSuffix(inner, ")"), true
			}
			if nullable && i%2 == 0 {
				b.Null(c.Name)
				continue
			}
			switch typ {
			case "Date":
				b.Date(c.Name, period.FirstDay())
			case "String":
				if c.Name == "run_id" {
					b.Str(c.Name, runID)
				} else {
					b.Str(c.Name, fmt.Sprintf("%s-%d", c.Name, i))
				}
			case "UInt8":
				b.U8(c.Name, uint8(i%2))
			case "UInt16":
				b.U16(c.Name, uint16(period.Year()))
			case "UInt32":
				b.U32(c.Name, uint32(i))
			case "Float64":
				b.F64(c.Name, float64(i)+0.5)
			case "Decimal(18, 2)":
				b.Money(c.Name, int64(i)*100+1)
			case "Array(String)":
				b.Strings(c.Name, []string{"roster", fmt.Sprint(i)})
			default:
				t.Fatalf("rowsOf: no value for %s.%s of type %s", table.Name, c.Name, c.Type)
			}
		}
		b.EndRow()
	}
	rec, err := b.Finish()
	require.NoError(t, err)
	return rec
}

func newRun(id string, period values.Month) *pipeline.Run {
	return &pipeline.Run{
		ID: id, Job: "period", Period: period, Started: time.Now().UTC().Truncate(time.Second),
		Status: pipeline.StatusRunning,
		Sources: []pipeline.SourceStats{
			{Source: schemas.Roster, File: period.String() + "/roster.csv", In: 10, Accepted: 9, Quarantined: 1},
			{Source: schemas.Civil, File: period.String() + "/civil.csv", In: 4, Accepted: 4, Unmatched: 1},
		},
		Missing: []string{schemas.Sales},
	}
}

// stage begins run and stages n rows of every published table; rowsFor
// overrides n per table name.
func stage(t *testing.T, s *clickhouse.Sink, mem memory.Allocator, run *pipeline.Run, n int, rowsFor map[string]int) {
	t.Helper()
	require.NoError(t, s.Begin(t.Context(), run))
	for _, table := range publishedTables() {
		k := n
		if v, ok := rowsFor[table.Name]; ok {
			k = v
		}
		if k == 0 {
			continue
		}
		rec := rowsOf(t, mem, table, run.Period, run.ID, k)
		err := s.Stage(t.Context(), table, rec)
		rec.Release()
		require.NoError(t, err, "staging %s", table.Name)
	}
}

// publish runs a whole successful run.
func publish(t *testing.T, s *clickhouse.Sink, mem memory.Allocator, run *pipeline.Run, n int, rowsFor map[string]int) {
	t.Helper()
	stage(t, s, mem, run, n, rowsFor)
	require.NoError(t, s.Publish(t.Context(), run))
	require.Equal(t, pipeline.StatusPublished, run.Status)
}

// rowsByRun counts a table's rows of period per run_id.
func rowsByRun(t *testing.T, conn driver.Conn, table string, period values.Month) map[string]uint64 {
	t.Helper()
	rows, err := conn.Query(t.Context(), fmt.Sprintf(
		"SELECT run_id, count() FROM %s WHERE period = toDate('%s-01') GROUP BY run_id", table, period))
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var id string
		var n uint64
		require.NoError(t, rows.Scan(&id, &n))
		out[id] = n
	}
	require.NoError(t, rows.Err())
	return out
}

// requirePeriod checks that every published table holds, for period,
// exactly want rows per run (tables named in except hold exceptWant).
func requirePeriod(t *testing.T, conn driver.Conn, period values.Month, want map[string]uint64, except map[string]map[string]uint64) {
	t.Helper()
	for _, table := range publishedTables() {
		w := want
		if e, ok := except[table.Name]; ok {
			w = e
		}
		require.Equal(t, w, rowsByRun(t, conn, table.Name, period), "%s rows of %s by run", table.Name, period)
	}
}

// runState is a run's latest state in etl_run.
func runState(t *testing.T, conn driver.Conn, id string) (status string, finished *time.Time) {
	t.Helper()
	require.NoError(t, conn.QueryRow(t.Context(),
		"SELECT argMax(status, version), argMax(finished_at, version) FROM etl_run WHERE run_id = ?", id).Scan(&status, &finished))
	return status, finished
}

var (
	may  = values.NewMonth(2025, 5)
	june = values.NewMonth(2025, 6)
)

func checkedAllocator(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// TestPublishPutsTheStagedPeriodIntoTheTables: staged rows are invisible
// until Publish, then every published table holds them, values intact, and
// the run is recorded as published with its accounting.
func TestPublishPutsTheStagedPeriodIntoTheTables(t *testing.T) {
	mem := checkedAllocator(t)
	s := connect(t, testenv.ClickHouse(t))
	conn := s.Conn()

	run := newRun("run-a", june)
	stage(t, s, mem, run, 3, nil)
	status, _ := runState(t, conn, "run-a")
	require.Equal(t, pipeline.StatusRunning, status)
	requirePeriod(t, conn, june, map[string]uint64{}, nil)

	require.NoError(t, s.Publish(t.Context(), run))
	requirePeriod(t, conn, june, map[string]uint64{"run-a": 3}, nil)
	status, finished := runState(t, conn, "run-a")
	require.Equal(t, pipeline.StatusPublished, status)
	require.NotNil(t, finished, "a published run has finished_at")

	t.Run("values survive the trip", func(t *testing.T) {
		var amount, summed string
		require.NoError(t, conn.QueryRow(t.Context(),
			"SELECT toString(sum(amount)), toString(sum(rows)) FROM sales_month WHERE period = toDate('2025-06-01')").Scan(&amount, &summed))
		require.Equal(t, "3.03", amount)
		require.Equal(t, "3", summed)
		require.Equal(t, uint64(2), count(t, conn, "SELECT count() FROM indicator WHERE isNull(target)"))
		require.Equal(t, uint64(1), count(t, conn, "SELECT count() FROM household_year WHERE toString(prev_year_per_capita) = '1.01'"))
		require.Equal(t, uint64(3), count(t, conn, "SELECT count() FROM person_month WHERE has(sources_present, 'roster')"))
	})
	t.Run("run accounting", func(t *testing.T) {
		var sources, missing []string
		var in, unmatched []uint64
		require.NoError(t, conn.QueryRow(t.Context(),
			"SELECT sources, rows_in, rows_unmatched, missing_sources FROM etl_run FINAL WHERE run_id = 'run-a'").Scan(&sources, &in, &unmatched, &missing))
		require.Equal(t, []string{schemas.Roster, schemas.Civil}, sources)
		require.Equal(t, []uint64{10, 4}, in)
		require.Equal(t, []uint64{0, 1}, unmatched)
		require.Equal(t, []string{schemas.Sales}, missing)
	})
	t.Run("only published tables are staged", func(t *testing.T) {
		rec := rowsOf(t, mem, schemas.EtlRunTable, june, "run-a", 0)
		defer rec.Release()
		require.Error(t, s.Stage(t.Context(), schemas.EtlRunTable, rec))
	})
}

// TestRepublishingReplacesThePeriodExactly: a second run of a period
// replaces its rows exactly (fewer rows, none of the first run left, an
// empty staged table empties the table's partition) and leaves other
// periods alone.
func TestRepublishingReplacesThePeriodExactly(t *testing.T) {
	mem := checkedAllocator(t)
	s := connect(t, testenv.ClickHouse(t))
	conn := s.Conn()

	publish(t, s, mem, newRun("may-a", may), 2, nil)
	publish(t, s, mem, newRun("june-a", june), 3, nil)
	requirePeriod(t, conn, june, map[string]uint64{"june-a": 3}, nil)

	publish(t, s, mem, newRun("june-b", june), 1, nil)
	requirePeriod(t, conn, june, map[string]uint64{"june-b": 1}, nil)
	requirePeriod(t, conn, may, map[string]uint64{"may-a": 2}, nil)

	publish(t, s, mem, newRun("june-c", june), 2, map[string]int{"discrepancy": 0, "quarantine": 0})
	empty := map[string]uint64{}
	requirePeriod(t, conn, june, map[string]uint64{"june-c": 2}, map[string]map[string]uint64{"discrepancy": empty, "quarantine": empty})
	requirePeriod(t, conn, may, map[string]uint64{"may-a": 2}, nil)

	for _, id := range []string{"may-a", "june-a", "june-b", "june-c"} {
		status, _ := runState(t, conn, id)
		require.Equal(t, pipeline.StatusPublished, status, id)
	}
}

// TestARunThatDoesNotPublishLeavesThePreviousPublication: a run that stages
// and then fails, or dies before publishing, changes nothing a reader sees,
// also after a reconnection; the next run replaces the period with its own
// rows only (the dead run's staged rows are cleared by Begin).
func TestARunThatDoesNotPublishLeavesThePreviousPublication(t *testing.T) {
	cases := []struct {
		name   string
		finish func(t *testing.T, s *clickhouse.Sink, run *pipeline.Run)
		status string
	}{
		{"failed", func(t *testing.T, s *clickhouse.Sink, run *pipeline.Run) {
			run.Error = "computing indicators: boom"
			require.NoError(t, s.Fail(t.Context(), run))
		}, pipeline.StatusFailed},
		{"killed while running", func(*testing.T, *clickhouse.Sink, *pipeline.Run) {}, pipeline.StatusRunning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedAllocator(t)
			dsn := testenv.ClickHouse(t)
			s := connect(t, dsn)
			publish(t, s, mem, newRun("june-a", june), 2, nil)

			run := newRun("june-b", june)
			stage(t, s, mem, run, 5, nil)
			c.finish(t, s, run)
			requirePeriod(t, s.Conn(), june, map[string]uint64{"june-a": 2}, nil)

			s2 := connect(t, dsn)
			requirePeriod(t, s2.Conn(), june, map[string]uint64{"june-a": 2}, nil)
			status, _ := runState(t, s2.Conn(), "june-b")
			require.Equal(t, c.status, status)
			status, _ = runState(t, s2.Conn(), "june-a")
			require.Equal(t, pipeline.StatusPublished, status)

			publish(t, s2, mem, newRun("june-c", june), 1, nil)
			requirePeriod(t, s2.Conn(), june, map[string]uint64{"june-c": 1}, nil)
		})
	}
}

// markPublishing records run as publishing the way Publish does before its
// swaps, as a process killed right after that insert leaves it.
func markPublishing(t *testing.T, conn driver.Conn, run *pipeline.Run) {
	t.Helper()
	batch, err := conn.PrepareBatch(t.Context(), "INSERT INTO etl_run (run_id, job, period, started_at, finished_at, status, sources, files, rows_in, rows_accepted, rows_quarantined, rows_unmatched, missing_sources, error, version)")
	require.NoError(t, err)
	defer batch.Close()
	require.NoError(t, batch.Append(run.ID, run.Job, run.Period.FirstDay(), run.Started, (*time.Time)(nil), pipeline.StatusPublishing,
		[]string{schemas.Roster}, []string{"roster.csv"}, []uint64{3}, []uint64{3}, []uint64{0}, []uint64{0}, []string{},
		"", uint64(time.Now().UnixNano())))
	require.NoError(t, batch.Send())
}

// TestConnectCompletesAnInterruptedPublication: a run recorded as
// publishing whose process died before or during the swaps is completed by
// the next connection from its staging partitions and marked published.
func TestConnectCompletesAnInterruptedPublication(t *testing.T) {
	cases := []struct {
		name    string
		swapped []string // tables swapped before the process died
		// skew is how much later the old publication's started_at reads
		// than the interrupted run's: started_at has whole seconds, so
		// runs a second apart share one (0), and a clock stepped back
		// between them makes the old one look later (1 s). Neither may
		// make the old publication pass for one that superseded the
		// interrupted run (that abandoned it, and the repair then
		// emptied the tables it had already swapped).
		skew time.Duration
	}{
		{"before any swap", nil, 0},
		{"after some swaps", []string{"person_month", "household_year"}, 0},
		{"after some swaps, the old run's clock a second ahead", []string{"person_month", "household_year", "discrepancy"}, time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedAllocator(t)
			dsn := testenv.ClickHouse(t)
			s := connect(t, dsn)
			run := newRun("june-b", june)
			old := newRun("june-a", june)
			old.Started = run.Started.Add(c.skew)
			publish(t, s, mem, old, 2, nil)
			publish(t, s, mem, newRun("may-a", may), 2, nil)

			stage(t, s, mem, run, 3, nil)
			markPublishing(t, s.Conn(), run)
			for _, table := range c.swapped {
				require.NoError(t, s.Conn().Exec(t.Context(), fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION 202506 FROM stage_%s_june_b", table, table)))
			}
			require.NoError(t, s.Close())

			s2 := connect(t, dsn)
			requirePeriod(t, s2.Conn(), june, map[string]uint64{"june-b": 3}, nil)
			requirePeriod(t, s2.Conn(), may, map[string]uint64{"may-a": 2}, nil)
			status, _ := runState(t, s2.Conn(), "june-b")
			require.Equal(t, pipeline.StatusPublished, status)
			status, _ = runState(t, s2.Conn(), "june-a")
			require.Equal(t, pipeline.StatusPublished, status)

			// Nothing is left to recover: a further connection changes nothing.
			s3 := connect(t, dsn)
			requirePeriod(t, s3.Conn(), june, map[string]uint64{"june-b": 3}, nil)
			require.Equal(t, uint64(1), count(t, s3.Conn(),
				"SELECT count() FROM etl_run WHERE run_id = 'june-b' AND status = 'published'"), "published once")
		})
	}
}

// TestRecoveredRunHasFinishedAt: a run whose publication a later
// connection completed is published and, like any finished run, has a
// finished_at (etl_run.finished_at is "null while running").
func TestRecoveredRunHasFinishedAt(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	run := newRun("june-b", june)
	stage(t, s, mem, run, 1, nil)
	markPublishing(t, s.Conn(), run)

	s2 := connect(t, dsn)
	status, finished := runState(t, s2.Conn(), "june-b")
	require.Equal(t, pipeline.StatusPublished, status)
	require.NotNil(t, finished, "finished_at of a recovered run")
}

// TestFailAfterAPartialSwapKeepsThePeriodWhole: when Publish fails part-way
// through its swaps (a lost connection, a cancelled context), the runner
// records the run with Fail. The period must still end up whole, from one
// run: either the previous publication or, after recovery, the new one
// (warehouse.md: "A run either publishes a whole period or leaves the
// previous publication of that period in place").
func TestFailAfterAPartialSwapKeepsThePeriodWhole(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	publish(t, s, mem, newRun("june-a", june), 2, nil)

	run := newRun("june-b", june)
	stage(t, s, mem, run, 3, nil)
	// Make the third swap (discrepancy) fail after the first two succeeded.
	require.NoError(t, s.Conn().Exec(t.Context(), "RENAME TABLE stage_discrepancy_june_b TO stage_discrepancy_away"))
	require.Error(t, s.Publish(t.Context(), run))
	run.Status, run.Error = pipeline.StatusFailed, "publishing: connection lost"
	require.NoError(t, s.Fail(t.Context(), run)) // what pipeline.Runner.Run does with Publish's error
	require.NoError(t, s.Conn().Exec(t.Context(), "RENAME TABLE stage_discrepancy_away TO stage_discrepancy_june_b"))

	s2 := connect(t, dsn)
	runs := map[string]bool{}
	for _, table := range publishedTables() {
		for id := range rowsByRun(t, s2.Conn(), table.Name, june) {
			runs[id] = true
		}
	}
	require.Len(t, runs, 1, "june rows come from runs %v: the period is half old, half new", runs)
}

// TestAnInterruptedMigrationRunsAgain: a migration whose statements took
// effect but whose schema_migrations row was never written (the process
// died in between) runs again on the next Connect; its ADD COLUMNs, already
// in system.columns, are skipped instead of failing.
func TestAnInterruptedMigrationRunsAgain(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	publish(t, s, mem, newRun("june-a", june), 2, nil)
	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	last := migrations[len(migrations)-1]
	require.NoError(t, s.Conn().Exec(t.Context(), fmt.Sprintf(
		"ALTER TABLE schema_migrations DELETE WHERE version = %d", last.Version)))
	require.Eventually(t, func() bool {
		var n uint64
		require.NoError(t, s.Conn().QueryRow(t.Context(), fmt.Sprintf(
			"SELECT count() FROM schema_migrations WHERE version = %d", last.Version)).Scan(&n))
		return n == 0
	}, 10*time.Second, 50*time.Millisecond, "the mutation removes the migration's record")

	s2 := connect(t, dsn)
	var n uint64
	require.NoError(t, s2.Conn().QueryRow(t.Context(), fmt.Sprintf(
		"SELECT count() FROM schema_migrations WHERE version = %d", last.Version)).Scan(&n))
	require.Equal(t, uint64(1), n, "the migration is recorded again")
	require.Len(t, rowsByRun(t, s2.Conn(), "person_month", june), 1, "the published period survives")
}
