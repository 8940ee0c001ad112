package clickhouse_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/embedded"
	"zengshou/schemas"
)

// privateServer is a ClickHouse server of the test's own (its own data
// directory), which the test can stop, kill -9 and start again.
type privateServer struct {
	t   *testing.T
	cfg embedded.Config
	srv *embedded.Server
}

func startPrivateServer(t *testing.T) *privateServer {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a real clickhouse-server; run make test")
	}
	cfg := embedded.DefaultConfig()
	cfg.DataDir = t.TempDir()
	if _, err := embedded.FindBinary(cfg); errors.Is(err, embedded.ErrNoBinary) {
		t.Skipf("skipping: %v", err)
	}
	p := &privateServer{t: t, cfg: cfg}
	p.start()
	t.Cleanup(func() { require.NoError(t, p.srv.Stop()) })
	return p
}

func (p *privateServer) start() {
	srv, err := embedded.Start(p.t.Context(), p.cfg, slog.New(slog.DiscardHandler))
	require.NoError(p.t, err)
	p.srv = srv
}

// restart stops the server (gracefully, or with SIGKILL) and starts it
// again on the same data.
func (p *privateServer) restart(kill bool) {
	p.t.Helper()
	if kill {
		require.NoError(p.t, p.srv.Kill())
	} else {
		require.NoError(p.t, p.srv.Stop())
	}
	p.start()
}

func (p *privateServer) dsn() string { return p.srv.DSN() + "zengshou" }

// raw opens a plain connection to the warehouse database (no Connect: no
// recovery, no repair), closed when the test ends.
func (p *privateServer) raw() driver.Conn {
	p.t.Helper()
	opts, err := ch.ParseDSN(p.dsn())
	require.NoError(p.t, err)
	conn, err := ch.Open(opts)
	require.NoError(p.t, err)
	p.t.Cleanup(func() { conn.Close() })
	return conn
}

// TestRestartsDoNotReviveReplacedRuns: the parts REPLACE PARTITION replaced
// must not come back when the server restarts (ClickHouse 18.16 revives
// replaced parts still on disk). Three runs of one period with a restart
// after each, a restart right after a publication and a kill -9 of the
// server right after one all leave the period holding exactly the last
// run's rows — already before any Connect repairs anything.
func TestRestartsDoNotReviveReplacedRuns(t *testing.T) {
	cases := []struct {
		name string
		kill bool
	}{
		{"server stopped after each run", false},
		{"server killed with SIGKILL after each run", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := checkedAllocator(t)
			srv := startPrivateServer(t)
			s := connect(t, srv.dsn())
			publish(t, s, mem, newRun("may-a", may), 2, nil)
			require.NoError(t, s.Close())
			for i, id := range []string{"june-a", "june-b", "june-c"} {
				s := connect(t, srv.dsn())
				run := newRun(id, june)
				replaceCounties(t, s, mem, run, 4)
				publish(t, s, mem, run, 3+i, nil)
				require.NoError(t, s.Close())
				srv.restart(c.kill)
				raw := srv.raw()
				requirePeriod(t, raw, june, map[string]uint64{id: uint64(3 + i)}, nil)
				requirePeriod(t, raw, may, map[string]uint64{"may-a": 2}, nil)
				require.Equal(t, uint64(4), count(t, raw, "SELECT count() FROM dim_county"), "dim_county after %s", id)
			}
			s = connect(t, srv.dsn()) // what `warehouse up` does
			requirePeriod(t, s.Conn(), june, map[string]uint64{"june-c": 5}, nil)
			requirePeriod(t, s.Conn(), may, map[string]uint64{"may-a": 2}, nil)
		})
	}
}

// replaceCounties replaces dim_county with n counties for run.
func replaceCounties(t *testing.T, s *clickhouse.Sink, mem memory.Allocator, run *pipeline.Run, n int) {
	t.Helper()
	rec := rowsOf(t, mem, schemas.DimCountyTable, run.Period, run.ID, n)
	defer rec.Release()
	require.NoError(t, s.ReplaceDimension(t.Context(), run, schemas.DimCountyTable, rec))
}

// markRun records a run's state the way the sink does.
func markRun(t *testing.T, conn driver.Conn, run *pipeline.Run, status string) {
	t.Helper()
	batch, err := conn.PrepareBatch(t.Context(), "INSERT INTO etl_run (run_id, job, period, started_at, finished_at, status, sources, files, rows_in, rows_accepted, rows_quarantined, rows_unmatched, missing_sources, error, version)")
	require.NoError(t, err)
	defer batch.Close()
	require.NoError(t, batch.Append(run.ID, run.Job, run.Period.FirstDay(), run.Started, (*time.Time)(nil), status,
		[]string{schemas.Roster}, []string{"roster.csv"}, []uint64{3}, []uint64{3}, []uint64{0}, []uint64{0}, []string{},
		"", uint64(time.Now().UnixNano())))
	require.NoError(t, batch.Send())
}

// syncBuffer is a log sink the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestConnectRepairsAPeriodARestartRevived: when the server dies after a
// publication's swaps but before it deleted the replaced parts (a window
// Publish waits out, but a kill -9 can hit), the restarted server holds
// both runs' rows. The next Connect — every command's, `warehouse up`
// included — rebuilds the period from the published run's rows, says so in
// the log, and repairs a dim_county that holds its counties twice.
func TestConnectRepairsAPeriodARestartRevived(t *testing.T) {
	mem := checkedAllocator(t)
	srv := startPrivateServer(t)
	s := connect(t, srv.dsn())
	a := newRun("june-a", june)
	replaceCounties(t, s, mem, a, 4)
	publish(t, s, mem, a, 2, nil)
	publish(t, s, mem, newRun("may-a", may), 2, nil)

	// june-b is staged and swapped in by hand, as Publish does, and the
	// server is killed at once, before its clean-up. A slow query reading
	// the old parts keeps the background clean-up from deleting them first
	// (a part in use is not deleted).
	b := newRun("june-b", june)
	stage(t, s, mem, b, 3, nil)
	conn := s.Conn()
	reader := srv.raw()
	go func() {
		// Ends with an error when the server is killed.
		_ = reader.Exec(context.Background(), "SELECT sleepEachRow(1) FROM person_month UNION ALL SELECT sleepEachRow(1) FROM dim_county")
	}()
	require.Eventually(t, func() bool {
		return count(t, conn, "SELECT count() FROM system.processes WHERE query LIKE 'SELECT sleepEachRow%'") == 1
	}, time.Minute, 20*time.Millisecond, "the slow reader runs")
	time.Sleep(300 * time.Millisecond) // let it take its parts
	for _, table := range publishedTables() {
		require.NoError(t, conn.Exec(t.Context(), fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION 202506 FROM stage_%s_june_b", table.Name, table.Name)))
	}
	require.NoError(t, conn.Exec(t.Context(), "CREATE TABLE dim_copy AS dim_county"))
	require.NoError(t, conn.Exec(t.Context(), "INSERT INTO dim_copy (county_code, county_name, city_code, city_name, is_key_county) SELECT county_code, county_name, city_code, city_name, is_key_county FROM dim_county"))
	require.NoError(t, conn.Exec(t.Context(), "ALTER TABLE dim_county REPLACE PARTITION tuple() FROM dim_copy"))
	markRun(t, conn, b, pipeline.StatusPublished)
	srv.restart(true)

	raw := srv.raw()
	require.Equal(t, map[string]uint64{"june-a": 2, "june-b": 3}, rowsByRun(t, raw, "person_month", june),
		"precondition: the restart revived the replaced rows (18.16); on a server that does not revive them this test checks only the end state")
	require.Equal(t, uint64(8), count(t, raw, "SELECT count() FROM dim_county"), "precondition: dim_county revived twice")

	logs := &syncBuffer{}
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = srv.dsn()
	s2 := clickhouse.New(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	s2.SetGuard(jobs.Guard{Locks: jobs.NewLocks(t.TempDir()), Command: "go test"})
	require.NoError(t, s2.Connect(t.Context()))
	defer s2.Close()
	requirePeriod(t, s2.Conn(), june, map[string]uint64{"june-b": 3}, nil)
	requirePeriod(t, s2.Conn(), may, map[string]uint64{"may-a": 2}, nil)
	require.Equal(t, uint64(4), count(t, s2.Conn(), "SELECT count() FROM dim_county"))
	require.Contains(t, logs.String(), "repairing a period that holds rows of superseded runs")
	require.Contains(t, logs.String(), "table=person_month period=2025-06 published_run=june-b")
	require.Contains(t, logs.String(), "repairing a dimension that holds rows twice")
	require.Empty(t, stringColumn(t, s2.Conn(), "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage%'"),
		"the staging tables of the published run are dropped")

	// And the repair survives a further restart.
	require.NoError(t, s2.Close())
	srv.restart(true)
	requirePeriod(t, srv.raw(), june, map[string]uint64{"june-b": 3}, nil)
}
