package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"zengshou/config"
	"zengshou/pipeline"
	"zengshou/reports"
	"zengshou/transforms/values"
)

// Warehouse is what the daemon needs of the ClickHouse sink
// (*clickhouse.Sink): the pipeline's Sink, recording a run it does not
// drive through the Runner, and the connection for its reads.
type Warehouse interface {
	pipeline.Sink
	Record(ctx context.Context, run *pipeline.Run) error
	Conn() driver.Conn
	Close() error
}

// Connector opens the warehouse: connecting, completing any interrupted
// publication and migrating (clickhouse.Sink.Connect).
type Connector func(ctx context.Context) (Warehouse, error)

// ReportBuilder builds the report of kind (monthly or quarterly) for period
// from the warehouse. The reports issue provides it; until then the daemon
// has none and its report jobs record themselves as skipped.
type ReportBuilder func(ctx context.Context, w Warehouse, kind string, period values.Month) error

// DaemonOptions are the daemon's dependencies.
type DaemonOptions struct {
	Config config.Serve
	// Inbox is the drop folder of the ETL jobs.
	Inbox string
	// Connect opens the warehouse; the daemon reconnects after a
	// retryable error.
	Connect Connector
	// NewRunner returns the period runner publishing to sink.
	NewRunner func(sink pipeline.Sink) *pipeline.Runner
	// Mem allocates the extracts' Arrow batches.
	Mem memory.Allocator
	// Locks are the per-period locks shared with `zengshou run`.
	Locks *Locks
	// Reports builds reports; nil records the report jobs as skipped.
	Reports ReportBuilder
	// Registry receives the daemon's metrics and is served on /metrics.
	Registry *prometheus.Registry
	Logger   *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Daemon is the scheduler: cron jobs over the pipeline and the reports,
// catch-up at start, retries, and the observability listener.
type Daemon struct {
	opts    DaemonOptions
	cfg     config.Serve
	loc     *time.Location
	metrics *Metrics
	logger  *slog.Logger

	whMu sync.Mutex // guards wh
	wh   Warehouse

	mu      sync.Mutex // guards cron, entries
	cron    *cron.Cron
	entries map[string]cron.EntryID

	etl        sync.Mutex // one ETL job at a time (they share history)
	watchTried map[values.Month]string
}

// NewDaemon returns a daemon; Run starts it.
func NewDaemon(opts DaemonOptions) (*Daemon, error) {
	if err := opts.Config.Validate(); err != nil {
		return nil, err
	}
	loc, err := Location()
	if err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	d := &Daemon{opts: opts, cfg: opts.Config, loc: loc, logger: opts.Logger,
		metrics: NewMetrics(opts.Registry), entries: map[string]cron.EntryID{}, watchTried: map[values.Month]string{}}
	opts.Registry.MustRegister(nextRunCollector{d})
	d.metrics.startJobs(d.jobs())
	return d, nil
}

// jobs names the jobs the configuration enables.
func (d *Daemon) jobs() []string {
	var out []string
	if d.cfg.ETL.Enabled {
		out = append(out, JobETLMonthly)
	}
	if d.cfg.ETL.Watch.Enabled {
		out = append(out, JobETLWatch)
	}
	if d.cfg.CatchUp.Enabled && d.cfg.CatchUp.Limit > 0 {
		out = append(out, JobETLCatchUp)
	}
	if d.cfg.MonthlyReport.Enabled {
		out = append(out, JobReportMonthly)
	}
	if d.cfg.QuarterlyReport.Enabled {
		out = append(out, JobReportQuarterly)
	}
	return out
}

// Run listens, schedules the enabled jobs, runs the catch-up, and on
// ctx's end stops scheduling, lets a running job finish within the
// shutdown grace (then aborts it before publication) and returns nil.
func (d *Daemon) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", d.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", d.cfg.Listen, err)
	}
	srv := &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	d.logger.Info("observability listener up", "addr", ln.Addr().String())

	// Jobs run on their own context: a signal stops scheduling at once but
	// aborts running jobs only after the grace period.
	jobCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	defer abort()
	if _, err := d.warehouse(jobCtx); err != nil {
		d.logger.Warn("warehouse not reachable at start; jobs retry", "error", err)
	} else {
		d.refreshProgress(jobCtx)
	}

	cl := cronLogger{d.logger}
	c := cron.New(cron.WithLocation(d.loc), cron.WithLogger(cl),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	if err := d.schedule(jobCtx, c); err != nil {
		return err
	}
	c.Start()
	d.logger.Info("scheduler started", "time_zone", TimeZone, "jobs", len(d.entries))

	var catchUp sync.WaitGroup
	if d.cfg.CatchUp.Enabled && d.cfg.CatchUp.Limit > 0 {
		catchUp.Add(1)
		go func() {
			defer catchUp.Done()
			d.CatchUp(jobCtx)
		}()
	}

	<-ctx.Done()
	d.logger.Info("shutting down: no new jobs; waiting for running ones", "grace", d.cfg.ShutdownGrace.String())
	stopped := c.Stop()
	done := make(chan struct{})
	go func() {
		<-stopped.Done()
		catchUp.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d.cfg.ShutdownGrace):
		d.logger.Warn("shutdown grace over: aborting running jobs before publication")
		abort()
		<-done
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	d.dropWarehouse()
	d.logger.Info("stopped")
	return nil
}

// schedule adds the enabled jobs to c.
func (d *Daemon) schedule(ctx context.Context, c *cron.Cron) error {
	add := func(name, spec string, run func(ctx context.Context, fired time.Time)) error {
		s, err := ParseSchedule(spec, d.loc)
		if err != nil {
			return fmt.Errorf("scheduling %s: %w", name, err)
		}
		id := c.Schedule(s, cron.FuncJob(func() { run(ctx, d.opts.Now()) }))
		d.mu.Lock()
		d.cron, d.entries[name] = c, id
		d.mu.Unlock()
		return nil
	}
	if d.cfg.ETL.Enabled {
		if err := add(JobETLMonthly, d.cfg.ETL.Schedule, d.MonthlyETL); err != nil {
			return err
		}
	}
	if d.cfg.ETL.Watch.Enabled {
		spec := "@every " + d.cfg.ETL.Watch.Interval.String()
		if err := add(JobETLWatch, spec, func(ctx context.Context, _ time.Time) { d.Watch(ctx) }); err != nil {
			return err
		}
	}
	if d.cfg.MonthlyReport.Enabled {
		if err := add(JobReportMonthly, d.cfg.MonthlyReport.Schedule, func(ctx context.Context, fired time.Time) {
			d.Report(ctx, JobReportMonthly, "monthly", PreviousMonth(fired, d.loc))
		}); err != nil {
			return err
		}
	}
	if d.cfg.QuarterlyReport.Enabled {
		if err := add(JobReportQuarterly, d.cfg.QuarterlyReport.Schedule, func(ctx context.Context, fired time.Time) {
			d.Report(ctx, JobReportQuarterly, "quarterly", PreviousQuarter(fired, d.loc))
		}); err != nil {
			return err
		}
	}
	return nil
}

// MonthlyETL runs the previous month of fired, unless it is published
// already (by the watch, the catch-up or a manual run).
func (d *Daemon) MonthlyETL(ctx context.Context, fired time.Time) {
	d.etl.Lock()
	defer d.etl.Unlock()
	period := PreviousMonth(fired, d.loc)
	w, err := d.warehouseRetrying(ctx, JobETLMonthly)
	if err != nil {
		return
	}
	published, err := PublishedPeriods(ctx, w.Conn())
	if err != nil {
		d.logger.Error("monthly etl", "period", period.String(), "error", err)
		d.metrics.attempt(JobETLMonthly, pipeline.StatusFailed, 0)
		return
	}
	if _, ok := published[period]; ok {
		d.skip(ctx, JobETLMonthly, period, "统计期已发布 (already published); 需重新运行请用 zengshou run")
		return
	}
	d.runPeriod(ctx, JobETLMonthly, period)
}

// Watch runs every complete, quiet period of the inbox not yet published
// from these very files (a re-delivery after publication runs again). A
// period whose files were tried once is not tried again until they change.
func (d *Daemon) Watch(ctx context.Context) {
	d.etl.Lock()
	defer d.etl.Unlock()
	w, err := d.warehouse(ctx)
	if err != nil {
		d.logger.Warn("watch: warehouse not reachable", "error", err)
		return
	}
	published, err := PublishedPeriods(ctx, w.Conn())
	if err != nil {
		d.logger.Warn("watch", "error", err)
		return
	}
	periods, err := CompletePeriods(d.opts.Inbox, d.cfg.ETL.Watch.RequiredSources(), d.cfg.ETL.Watch.Quiet, d.opts.Now())
	if err != nil {
		d.logger.Warn("watch", "error", err)
		return
	}
	for _, p := range periods {
		if last, ok := published[p.Period]; ok && !p.Newest.After(last) {
			continue
		}
		if d.watchTried[p.Period] == p.Signature {
			continue
		}
		d.watchTried[p.Period] = p.Signature
		if ctx.Err() != nil {
			return
		}
		if !d.runPeriod(ctx, JobETLWatch, p.Period) {
			return // later periods build on this one
		}
	}
}

// CatchUp runs, oldest first, the complete periods of the inbox after the
// latest published period and up to the previous month, at most
// catch_up.limit of them; it stops at the first that does not publish.
func (d *Daemon) CatchUp(ctx context.Context) {
	d.etl.Lock()
	defer d.etl.Unlock()
	w, err := d.warehouseRetrying(ctx, JobETLCatchUp)
	if err != nil {
		return
	}
	published, err := PublishedPeriods(ctx, w.Conn())
	if err != nil {
		d.logger.Error("catch-up", "error", err)
		return
	}
	last, found := latest(published)
	upTo := PreviousMonth(d.opts.Now(), d.loc)
	periods, err := CompletePeriods(d.opts.Inbox, d.cfg.ETL.Watch.RequiredSources(), d.cfg.ETL.Watch.Quiet, d.opts.Now())
	if err != nil {
		d.logger.Error("catch-up", "error", err)
		return
	}
	var todo []values.Month
	for _, p := range periods {
		if (!found || p.Period > last) && p.Period <= upTo {
			todo = append(todo, p.Period)
		}
	}
	if len(todo) > d.cfg.CatchUp.Limit {
		d.logger.Warn("catch-up limit reached; later periods wait for the next start, the watch or a manual run",
			"limit", d.cfg.CatchUp.Limit, "left", len(todo)-d.cfg.CatchUp.Limit, "first_left", todo[d.cfg.CatchUp.Limit].String())
		todo = todo[:d.cfg.CatchUp.Limit]
	}
	d.logger.Info("catch-up", "periods", len(todo))
	for _, p := range todo {
		if ctx.Err() != nil || !d.runPeriod(ctx, JobETLCatchUp, p) {
			return
		}
	}
}

// Report runs a report job: the report builder under retries, or, while
// there is none, a skipped record.
func (d *Daemon) Report(ctx context.Context, job, kind string, period values.Month) {
	if d.opts.Reports == nil {
		d.skip(ctx, job, period, "报告生成尚未接入 (the report builder is not on main yet)")
		return
	}
	d.retrying(ctx, job, func(w Warehouse) (string, error) {
		run := &pipeline.Run{ID: pipeline.NewRunID(), Job: job, Period: period, Started: time.Now().UTC(), Status: pipeline.StatusRunning}
		err := d.opts.Reports(ctx, w, kind, period)
		run.Finished, run.Status = time.Now().UTC(), pipeline.StatusPublished
		if err != nil {
			run.Status, run.Error = pipeline.StatusFailed, err.Error()
		}
		if rerr := w.Record(context.WithoutCancel(ctx), run); rerr != nil {
			d.logger.Error("recording report run", "job", job, "error", rerr)
		}
		return run.Status, err
	})
}

// runPeriod runs one period under its lock with retries; it reports
// whether the period was published.
func (d *Daemon) runPeriod(ctx context.Context, job string, period values.Month) bool {
	// The lock names the first attempt's run from the start; a retry names
	// its own run.
	id := pipeline.NewRunID()
	lock, err := d.opts.Locks.Lock(ctx, period, NewHolder(id, "zengshou serve "+job), d.cfg.LockWait)
	var held *HeldError
	switch {
	case errors.As(err, &held):
		d.skip(ctx, job, period, held.Error())
		return false
	case err != nil:
		d.logger.Error("locking period", "job", job, "period", period.String(), "error", err)
		d.metrics.attempt(job, pipeline.StatusFailed, 0)
		d.recordRefused(ctx, job, period, id, err)
		return false
	}
	defer lock.Release() //nolint:errcheck // released at exit anyway
	if lock.Abandoned != nil {
		d.logger.Warn("period lock was left by a process that died", "period", period.String(), "holder_run", lock.Abandoned.RunID)
	}
	var failed *pipeline.Run // the last failed attempt, recorded again once ClickHouse is back
	status := d.retrying(ctx, job, func(w Warehouse) (string, error) {
		if failed != nil {
			if err := w.Fail(ctx, failed); err != nil {
				d.logger.Warn("recording failed attempt", "run_id", failed.ID, "error", err)
			}
			failed = nil
		}
		if id == "" {
			id = pipeline.NewRunID()
		}
		self := id
		id = "" // the next attempt is a run of its own
		runner := d.opts.NewRunner(&jobSink{Warehouse: w, job: job, lock: lock, logger: d.logger})
		// An attempt refused before its run could start is recorded as a
		// failed run (again before the next attempt if ClickHouse was away).
		refuse := func(err error) (string, error) {
			failed = runner.Refused(ctx, self, period, err)
			return pipeline.StatusFailed, err
		}
		if err := lock.SetRunID(self); err != nil {
			return refuse(err)
		}
		// Runs of the period that dead processes left are settled first
		// (a publishing one completed, a running one marked failed).
		if err := runner.Settle(ctx, period, self); err != nil {
			return refuse(err)
		}
		extracts, err := InboxExtracts(d.opts.Inbox, period, d.opts.Mem)
		if err != nil {
			// A data error before the run: recorded, never retried.
			return refuse(err)
		}
		run, err := runner.RunAs(ctx, self, period, extracts)
		if err != nil {
			if run != nil && run.Status != pipeline.StatusPublishing {
				// Recorded by the Runner unless ClickHouse was away; then
				// recorded again before the next attempt.
				run.Status = pipeline.StatusFailed
				if run.Error == "" {
					run.Error = err.Error()
				}
				if run.Finished.IsZero() {
					run.Finished = time.Now().UTC()
				}
				failed = run
			}
			return pipeline.StatusFailed, err
		}
		d.metrics.published(run)
		return pipeline.StatusPublished, nil
	})
	if status == pipeline.StatusPublished {
		d.refreshProgress(ctx)
		return true
	}
	return false
}

// retrying runs attempt until it succeeds, fails with an error that is not
// retryable, the attempts are used up or ctx ends; between attempts it
// reconnects and waits the backoff. It returns the last status.
func (d *Daemon) retrying(ctx context.Context, job string, attempt func(Warehouse) (string, error)) string {
	for n := 1; ; n++ {
		start := time.Now()
		w, err := d.warehouse(ctx)
		status := pipeline.StatusFailed
		if err == nil {
			status, err = attempt(w)
		}
		d.metrics.attempt(job, status, time.Since(start).Seconds())
		if err == nil {
			d.metrics.lastSuccess.WithLabelValues(job).SetToCurrentTime()
			return status
		}
		log := d.logger.With("job", job, "attempt", n)
		if !Retryable(err) || n >= d.cfg.Retry.Attempts || ctx.Err() != nil {
			log.Error("job failed", "retryable", Retryable(err), "error", err)
			return status
		}
		wait := Backoff(d.cfg.Retry, n)
		log.Warn("retryable error; trying again", "wait", wait.String(), "error", err)
		d.metrics.retries.WithLabelValues(job).Inc()
		d.dropWarehouse()
		if !sleep(ctx, wait) {
			return status
		}
	}
}

// recordRefused records an attempt refused before it could run (its
// period could not be locked) as a failed run.
func (d *Daemon) recordRefused(ctx context.Context, job string, period values.Month, id string, cause error) {
	w, err := d.warehouse(ctx)
	if err != nil {
		d.logger.Error("recording refused run", "job", job, "error", err)
		return
	}
	now := time.Now().UTC()
	run := &pipeline.Run{ID: id, Job: job, Period: period, Started: now, Finished: now, Status: pipeline.StatusFailed, Error: cause.Error()}
	if err := w.Record(context.WithoutCancel(ctx), run); err != nil {
		d.logger.Error("recording refused run", "job", job, "error", err)
	}
}

// skip records a job that did not run its period, with the reason.
func (d *Daemon) skip(ctx context.Context, job string, period values.Month, reason string) {
	d.logger.Info("job skipped", "job", job, "period", period.String(), "reason", reason)
	d.metrics.attempt(job, StatusSkipped, 0)
	w, err := d.warehouse(ctx)
	if err != nil {
		d.logger.Error("recording skipped job", "job", job, "error", err)
		return
	}
	now := time.Now().UTC()
	run := &pipeline.Run{ID: pipeline.NewRunID(), Job: job, Period: period, Started: now, Finished: now, Status: StatusSkipped, Error: reason}
	if err := w.Record(ctx, run); err != nil {
		d.logger.Error("recording skipped job", "job", job, "error", err)
	}
}

// warehouse returns the open warehouse, connecting if there is none.
func (d *Daemon) warehouse(ctx context.Context) (Warehouse, error) {
	d.whMu.Lock()
	defer d.whMu.Unlock()
	if d.wh != nil {
		return d.wh, nil
	}
	w, err := d.opts.Connect(ctx)
	if err != nil {
		return nil, err
	}
	d.wh = w
	return w, nil
}

// warehouseRetrying connects with the retry policy, for a job's first read.
func (d *Daemon) warehouseRetrying(ctx context.Context, job string) (Warehouse, error) {
	for n := 1; ; n++ {
		w, err := d.warehouse(ctx)
		if err == nil {
			return w, nil
		}
		if !Retryable(err) || n >= d.cfg.Retry.Attempts || !sleep(ctx, Backoff(d.cfg.Retry, n)) {
			d.logger.Error("connecting to the warehouse", "job", job, "error", err)
			d.metrics.attempt(job, pipeline.StatusFailed, 0)
			return nil, err
		}
	}
}

// dropWarehouse closes the connection after a retryable error; the next
// attempt reconnects (and completes an interrupted publication).
func (d *Daemon) dropWarehouse() {
	d.whMu.Lock()
	defer d.whMu.Unlock()
	if d.wh != nil {
		d.wh.Close() //nolint:errcheck // a broken connection
		d.wh = nil
	}
}

// refreshProgress sets the target progress of the latest published period.
func (d *Daemon) refreshProgress(ctx context.Context) {
	w, err := d.warehouse(ctx)
	if err != nil {
		return
	}
	published, err := PublishedPeriods(ctx, w.Conn())
	if err != nil {
		d.logger.Warn("reading target progress", "error", err)
		return
	}
	period, ok := latest(published)
	if !ok {
		return
	}
	heads, err := reports.Headlines(ctx, w.Conn(), period)
	if err != nil {
		d.logger.Warn("reading target progress", "error", err)
		return
	}
	d.metrics.latestPeriod.Set(float64(period.Year()*100 + period.Number()))
	for _, h := range heads {
		if h.Target != nil && *h.Target != 0 {
			d.metrics.progress.WithLabelValues(h.Code).Set(h.Value / *h.Target)
		}
	}
}

// jobSink is the warehouse as one job's runs see it: runs are recorded
// under the job's name, the lock names the run, and publication is never
// started after the job was aborted nor interrupted once started.
type jobSink struct {
	Warehouse
	job    string
	lock   *PeriodLock
	logger *slog.Logger
}

func (s *jobSink) Begin(ctx context.Context, run *pipeline.Run) error {
	run.Job = s.job
	if err := s.lock.SetRunID(run.ID); err != nil {
		s.logger.Warn("naming the run in the period lock", "error", err)
	}
	return s.Warehouse.Begin(ctx, run)
}

func (s *jobSink) Publish(ctx context.Context, run *pipeline.Run) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publishing %s: aborted before publication: %w", run.Period, err)
	}
	return s.Warehouse.Publish(context.WithoutCancel(ctx), run)
}

func (s *jobSink) Fail(ctx context.Context, run *pipeline.Run) error {
	run.Job = s.job
	return s.Warehouse.Fail(ctx, run)
}

// nextRunCollector reports the next scheduled run of every job.
type nextRunCollector struct{ d *Daemon }

var nextRunDesc = prometheus.NewDesc("zengshou_job_next_run_timestamp_seconds",
	"Unix time of the next scheduled run of each job.", []string{"job_name"}, nil)

func (c nextRunCollector) Describe(ch chan<- *prometheus.Desc) { ch <- nextRunDesc }

func (c nextRunCollector) Collect(ch chan<- prometheus.Metric) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	if c.d.cron == nil {
		return
	}
	for name, id := range c.d.entries {
		if next := c.d.cron.Entry(id).Next; !next.IsZero() {
			ch <- prometheus.MustNewConstMetric(nextRunDesc, prometheus.GaugeValue, float64(next.Unix()), name)
		}
	}
}

// cronLogger hands cron's own messages to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "error", err)...)
}
