package clickhouse_test

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
)

// TestTwoRunsOfAPeriodAtOnceDoNotMix: two runs of one period staged at the
// same time (no lock between them) each publish exactly their own rows: a
// run stages into tables of its own, so neither Begin clears nor publish
// carries the other's rows.
func TestTwoRunsOfAPeriodAtOnceDoNotMix(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s1, s2 := connect(t, dsn), connect(t, dsn)
	a, b := newRun("june-a", june), newRun("june-b", june)
	require.NoError(t, s1.Begin(t.Context(), a))
	require.NoError(t, s2.Begin(t.Context(), b))
	for _, table := range publishedTables() {
		for _, r := range []struct {
			s   *clickhouse.Sink
			run *pipeline.Run
			n   int
		}{{s1, a, 2}, {s2, b, 3}} {
			rec := rowsOf(t, mem, table, june, r.run.ID, r.n)
			require.NoError(t, r.s.Stage(t.Context(), table, rec))
			rec.Release()
		}
	}
	require.NoError(t, s1.Publish(t.Context(), a))
	requirePeriod(t, s1.Conn(), june, map[string]uint64{"june-a": 2}, nil)
	require.NoError(t, s2.Publish(t.Context(), b))
	requirePeriod(t, s1.Conn(), june, map[string]uint64{"june-b": 3}, nil)
	require.Empty(t, stringColumn(t, s1.Conn(), "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"),
		"published runs leave no staging table")

	t.Run("a batch mixing runs is refused", func(t *testing.T) {
		one := rowsOf(t, mem, schemas.SalesMonthTable, june, "june-a", 2)
		defer one.Release()
		other := rowsOf(t, mem, schemas.SalesMonthTable, june, "june-b", 1)
		defer other.Release()
		cols := make([]arrow.Array, one.NumCols())
		for i := range cols {
			c, err := array.Concatenate([]arrow.Array{one.Column(i), other.Column(i)}, mem)
			require.NoError(t, err)
			defer c.Release()
			cols[i] = c
		}
		mixed := array.NewRecordBatch(one.Schema(), cols, 3)
		defer mixed.Release()
		err := s1.Stage(t.Context(), schemas.SalesMonthTable, mixed)
		require.ErrorContains(t, err, "rows of runs june-a and june-b in one batch")
	})
}

// TestConcurrentDimensionReplacementsKeepOneCopy: runs replacing dim_county
// at the same time (every run does, at its start) leave it holding each
// county once.
func TestConcurrentDimensionReplacementsKeepOneCopy(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	sinks := []*clickhouse.Sink{connect(t, dsn), connect(t, dsn), connect(t, dsn)}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, len(sinks))
		for i, s := range sinks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run := newRun(string(rune('a'+i))+"-run", june)
				rec := rowsOf(t, mem, schemas.DimCountyTable, june, run.ID, 5)
				defer rec.Release()
				errs[i] = s.ReplaceDimension(t.Context(), run, schemas.DimCountyTable, rec)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.Equal(t, uint64(5), count(t, sinks[0].Conn(), "SELECT count() FROM dim_county"), "round %d", round)
	}
}

// TestSettleFinishesWhatDeadRunsLeft: holding a period's lock, a run
// settles the runs of that period whose processes died: one left running
// is recorded failed with the reason, one left publishing is completed
// (or, when a later run of the period was published since, recorded
// failed), their staging tables are dropped, and runs of other periods and
// the caller's own run are left alone.
func TestSettleFinishesWhatDeadRunsLeft(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	publish(t, s, mem, newRun("june-a", june), 2, nil)

	running := newRun("june-running", june)
	stage(t, s, mem, running, 4, nil)
	publishing := newRun("june-publishing", june)
	stage(t, s, mem, publishing, 3, nil)
	markPublishing(t, s.Conn(), publishing)
	other := newRun("may-running", may)
	stage(t, s, mem, other, 1, nil)
	self := newRun("june-self", june)
	require.NoError(t, s.Begin(t.Context(), self))

	require.NoError(t, s.Settle(t.Context(), june, self.ID))
	requirePeriod(t, s.Conn(), june, map[string]uint64{"june-publishing": 3}, nil)
	status, finished := runState(t, s.Conn(), running.ID)
	require.Equal(t, pipeline.StatusFailed, status)
	require.NotNil(t, finished)
	var reason string
	require.NoError(t, s.Conn().QueryRow(t.Context(), "SELECT argMax(error, version) FROM etl_run WHERE run_id = ?", running.ID).Scan(&reason))
	require.Contains(t, reason, "abandoned")
	status, _ = runState(t, s.Conn(), publishing.ID)
	require.Equal(t, pipeline.StatusPublished, status)
	status, _ = runState(t, s.Conn(), other.ID)
	require.Equal(t, pipeline.StatusRunning, status, "another period's run is not settled")
	status, _ = runState(t, s.Conn(), self.ID)
	require.Equal(t, pipeline.StatusRunning, status, "the caller's run is left alone")
	require.ElementsMatch(t, stagingOf(publishedTables(), "may_running", "june_self"),
		stringColumn(t, s.Conn(), "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"))

	t.Run("a publication superseded since is not completed", func(t *testing.T) {
		late := newRun("june-late", june)
		stage(t, s, mem, late, 5, nil)
		markPublishing(t, s.Conn(), late)
		publish(t, s, mem, newRun("june-newer", june), 1, nil)
		require.NoError(t, s.Settle(t.Context(), june, self.ID))
		requirePeriod(t, s.Conn(), june, map[string]uint64{"june-newer": 1}, nil)
		status, _ := runState(t, s.Conn(), late.ID)
		require.Equal(t, pipeline.StatusFailed, status)
	})
}

func stagingOf(tables []schemas.Table, tokens ...string) []string {
	var out []string
	for _, token := range tokens {
		for _, t := range tables {
			out = append(out, "stage_"+t.Name+"_"+token)
		}
	}
	return out
}

// TestConnectWithAGuardSettlesOnlyFreePeriods: a Connect with the period
// locks settles every period whose lock is free (its running runs are
// dead: marked failed) and leaves alone a period a live process holds.
func TestConnectWithAGuardSettlesOnlyFreePeriods(t *testing.T) {
	mem := checkedAllocator(t)
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	dead := newRun("may-dead", may)
	stage(t, s, mem, dead, 1, nil)
	live := newRun("june-live", june)
	stage(t, s, mem, live, 1, nil)

	locks := jobs.NewLocks(t.TempDir())
	held, err := locks.TryLock(june, jobs.NewHolder(live.ID, "zengshou run"))
	require.NoError(t, err)
	defer held.Release()

	cfg := clickhouse.DefaultConfig()
	cfg.DSN = dsn
	s2 := clickhouse.New(cfg, slog.New(slog.DiscardHandler))
	s2.SetGuard(jobs.Guard{Locks: locks, Command: "go test"})
	require.NoError(t, s2.Connect(t.Context()))
	defer s2.Close()
	status, _ := runState(t, s2.Conn(), dead.ID)
	require.Equal(t, pipeline.StatusFailed, status, "a run of a free period is dead")
	status, _ = runState(t, s2.Conn(), live.ID)
	require.Equal(t, pipeline.StatusRunning, status, "a run of a held period is alive")
	require.ElementsMatch(t, stagingOf(publishedTables(), "june_live"),
		stringColumn(t, s2.Conn(), "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"))
}
