package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/embedded"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// syntheticInbox writes a small clean inbox of the months from..to.
func syntheticInbox(t *testing.T, from, to string) string {
	t.Helper()
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 120, from, to
	_, err := synth.Generate(context.Background(), cfg, inbox)
	require.NoError(t, err)
	return inbox
}

// testServe is the daemon configuration of the tests: short waits, no
// quiet time (the synthetic files were just written).
func testServe() config.Serve {
	s := config.DefaultServe()
	s.Listen = "127.0.0.1:0"
	s.ETL.Watch.Quiet = 0
	s.Retry = config.Retry{Attempts: 4, Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond, Jitter: 0.2}
	s.LockWait = 0
	return s
}

func newDaemon(t *testing.T, cfg config.Serve, inbox string, connect jobs.Connector, now time.Time) (*jobs.Daemon, *prometheus.Registry) {
	t.Helper()
	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := prometheus.NewRegistry()
	d, err := jobs.NewDaemon(jobs.DaemonOptions{
		Config: cfg, Inbox: inbox, Connect: connect,
		NewRunner: func(sink pipeline.Sink) *pipeline.Runner {
			return pipeline.NewRunner(sink, config.DefaultParams(), regions, []byte("integration-test-key-0123456789"), mem, logger)
		},
		Mem: mem, Locks: jobs.NewLocks(t.TempDir()), Registry: reg, Logger: logger,
		Now: func() time.Time { return now },
	})
	require.NoError(t, err)
	return d, reg
}

func connectTo(dsn string) jobs.Connector {
	return func(ctx context.Context) (jobs.Warehouse, error) {
		cfg := clickhouse.DefaultConfig()
		cfg.DSN = dsn
		s := clickhouse.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := s.Connect(ctx); err != nil {
			return nil, err
		}
		return s, nil
	}
}

// runsOf reads every run of etl_run in its latest state, oldest first.
func runsOf(t *testing.T, connect jobs.Connector) []jobs.RunSummary {
	t.Helper()
	w, err := connect(context.Background())
	require.NoError(t, err)
	defer w.Close()
	runs, err := jobs.RecentRuns(context.Background(), w.Conn(), 1000)
	require.NoError(t, err)
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
	return runs
}

// metric returns the value of the series name{labels} in reg (0 if absent).
func metric(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if matches(m, labels) {
				switch {
				case m.Counter != nil:
					return m.Counter.GetValue()
				case m.Gauge != nil:
					return m.Gauge.GetValue()
				case m.Histogram != nil:
					return float64(m.Histogram.GetSampleCount())
				}
			}
		}
	}
	return 0
}

func matches(m *dto.Metric, labels map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := labels[l.GetName()]; ok {
			if v != l.GetValue() {
				return false
			}
			n++
		}
	}
	return n == len(labels)
}

// TestCatchUpRunsThreeMissedPeriodsInOrder starts from an empty warehouse
// and an inbox with January–April: on 20 April the catch-up runs January,
// February and March in order (April is the current month) and a second
// catch-up finds nothing to do.
func TestCatchUpRunsThreeMissedPeriodsInOrder(t *testing.T) {
	inbox := syntheticInbox(t, "2025-01", "2025-04")
	connect := connectTo(testenv.ClickHouse(t))
	loc, err := jobs.Location()
	require.NoError(t, err)
	now := time.Date(2025, 4, 20, 9, 0, 0, 0, loc)
	d, reg := newDaemon(t, testServe(), inbox, connect, now)

	d.CatchUp(context.Background())
	runs := runsOf(t, connect)
	var periods []string
	for _, r := range runs {
		require.Equal(t, jobs.JobETLCatchUp, r.Job)
		require.Equal(t, pipeline.StatusPublished, r.Status, r.Error)
		periods = append(periods, r.Period.String())
	}
	require.Equal(t, []string{"2025-01", "2025-02", "2025-03"}, periods, "oldest first, the current month left out")
	require.Equal(t, 3.0, metric(t, reg, "zengshou_job_runs_total", map[string]string{"job_name": jobs.JobETLCatchUp, "status": "published"}))
	require.Equal(t, 202503.0, metric(t, reg, "zengshou_latest_published_period", nil))
	require.Greater(t, metric(t, reg, "zengshou_target_progress_ratio", map[string]string{"indicator": "PER_CAPITA_NET_INCOME"}), 0.0)

	d.CatchUp(context.Background())
	require.Len(t, runsOf(t, connect), 3, "nothing is missed any more")

	// The monthly job of 5 April finds March published and records a skip.
	d.MonthlyETL(context.Background(), time.Date(2025, 4, 5, 2, 0, 0, 0, loc))
	runs = runsOf(t, connect)
	require.Len(t, runs, 4)
	require.Equal(t, jobs.StatusSkipped, runs[3].Status)
	require.Equal(t, "2025-03", runs[3].Period.String())
	require.Contains(t, runs[3].Error, "已发布")
}

// TestCatchUpStopsAtItsLimit runs only the oldest catch_up.limit periods.
func TestCatchUpStopsAtItsLimit(t *testing.T) {
	inbox := syntheticInbox(t, "2025-01", "2025-03")
	connect := connectTo(testenv.ClickHouse(t))
	cfg := testServe()
	cfg.CatchUp.Limit = 2
	d, _ := newDaemon(t, cfg, inbox, connect, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	d.CatchUp(context.Background())
	var periods []string
	for _, r := range runsOf(t, connect) {
		periods = append(periods, r.Period.String())
	}
	require.Equal(t, []string{"2025-01", "2025-02"}, periods)
}

// TestReportJobsRecordThemselvesSkippedUntilTheBuilderLands: with no report
// builder a report job is a skipped etl_run row, never a success.
func TestReportJobsRecordThemselvesSkippedUntilTheBuilderLands(t *testing.T) {
	connect := connectTo(testenv.ClickHouse(t))
	d, reg := newDaemon(t, testServe(), t.TempDir(), connect, time.Now())
	d.Report(context.Background(), jobs.JobReportQuarterly, "quarterly", values.NewMonth(2025, 3))
	runs := runsOf(t, connect)
	require.Len(t, runs, 1)
	require.Equal(t, jobs.JobReportQuarterly, runs[0].Job)
	require.Equal(t, jobs.StatusSkipped, runs[0].Status)
	require.NotEmpty(t, runs[0].Error, "the reason is recorded")
	require.Equal(t, 1.0, metric(t, reg, "zengshou_job_runs_total", map[string]string{"job_name": jobs.JobReportQuarterly, "status": "skipped"}))
	require.Zero(t, metric(t, reg, "zengshou_job_last_success_timestamp_seconds", map[string]string{"job_name": jobs.JobReportQuarterly}))
}

// stoppingSink stops the ClickHouse server when the run stages its first
// batch: the server goes away in the middle of a run.
type stoppingSink struct {
	*clickhouse.Sink
	stop func()
}

func (s *stoppingSink) Stage(ctx context.Context, table schemas.Table, rec arrow.RecordBatch) error {
	s.stop()
	return s.Sink.Stage(ctx, table, rec)
}

// TestRetryAfterClickHouseRestarts stops a private ClickHouse while the
// monthly job stages its period and starts it again when the daemon
// reconnects: a later attempt publishes and etl_run keeps the failed one.
func TestRetryAfterClickHouseRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts a private clickhouse-server; run make test")
	}
	ecfg := embedded.DefaultConfig()
	ecfg.DataDir = t.TempDir()
	if _, err := embedded.FindBinary(ecfg); errors.Is(err, embedded.ErrNoBinary) {
		t.Skipf("skipping: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	var mu sync.Mutex
	srv, err := embedded.Start(ctx, ecfg, logger)
	require.NoError(t, err)
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if srv != nil {
			require.NoError(t, srv.Stop())
		}
	})
	stopped := false
	stopOnce := func() {
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			stopped = true
			require.NoError(t, srv.Stop())
			srv = nil
		}
	}
	connects := 0
	connect := func(ctx context.Context) (jobs.Warehouse, error) {
		mu.Lock()
		if srv == nil { // the server was stopped: start it again (on a new port)
			s, err := embedded.Start(ctx, ecfg, logger)
			if err != nil {
				mu.Unlock()
				return nil, err
			}
			srv = s
		}
		dsn := srv.DSN() + clickhouse.DefaultDatabase
		connects++
		first := connects == 1
		mu.Unlock()
		cfg := clickhouse.DefaultConfig()
		cfg.DSN = dsn
		s := clickhouse.New(cfg, logger)
		if err := s.Connect(ctx); err != nil {
			return nil, err
		}
		if first {
			return &stoppingSink{Sink: s, stop: stopOnce}, nil
		}
		return s, nil
	}

	inbox := syntheticInbox(t, "2025-01", "2025-01")
	loc, err := jobs.Location()
	require.NoError(t, err)
	d, reg := newDaemon(t, testServe(), inbox, connect, time.Now())
	d.MonthlyETL(ctx, time.Date(2025, 2, 5, 2, 0, 0, 0, loc))

	runs := runsOf(t, connect)
	require.Len(t, runs, 2, "the failed attempt and the one that published")
	require.Equal(t, pipeline.StatusFailed, runs[0].Status)
	require.NotEmpty(t, runs[0].Error)
	require.Equal(t, pipeline.StatusPublished, runs[1].Status)
	for _, r := range runs {
		require.Equal(t, jobs.JobETLMonthly, r.Job)
		require.Equal(t, "2025-01", r.Period.String())
	}
	require.Equal(t, 1.0, metric(t, reg, "zengshou_job_retries_total", map[string]string{"job_name": jobs.JobETLMonthly}))
	require.Equal(t, 1.0, metric(t, reg, "zengshou_job_runs_total", map[string]string{"job_name": jobs.JobETLMonthly, "status": "failed"}))
	require.Equal(t, 1.0, metric(t, reg, "zengshou_job_runs_total", map[string]string{"job_name": jobs.JobETLMonthly, "status": "published"}))
	require.Positive(t, metric(t, reg, "zengshou_rows_total", map[string]string{"source": "roster", "outcome": "accepted"}))
}

// TestWatchRunsACompletePeriodOnceUntilItIsDeliveredAgain: the watch
// publishes a complete period, leaves it alone while its files stay the
// same, and runs it again when a file is delivered anew.
func TestWatchRunsACompletePeriodOnceUntilItIsDeliveredAgain(t *testing.T) {
	inbox := syntheticInbox(t, "2025-01", "2025-01")
	connect := connectTo(testenv.ClickHouse(t))
	cfg := testServe()
	cfg.ETL.Watch.Enabled = true
	d, _ := newDaemon(t, cfg, inbox, connect, time.Now())
	ctx := context.Background()

	d.Watch(ctx)
	d.Watch(ctx)
	runs := runsOf(t, connect)
	require.Len(t, runs, 1, "the same files are run once")
	require.Equal(t, jobs.JobETLWatch, runs[0].Job)
	require.Equal(t, pipeline.StatusPublished, runs[0].Status, runs[0].Error)

	later := time.Now().Add(time.Minute)
	roster := filepath.Join(inbox, "2025-01", "roster.csv")
	require.NoError(t, os.Chtimes(roster, later, later))
	d.Watch(ctx)
	runs = runsOf(t, connect)
	require.Len(t, runs, 2, "a re-delivered period runs again")
	require.Equal(t, pipeline.StatusPublished, runs[1].Status, runs[1].Error)
}
