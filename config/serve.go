package config

import (
	"fmt"
	"net"
	"time"

	"github.com/robfig/cron/v3"

	"zengshou/schemas"
)

// Serve configures the scheduler daemon, `zengshou serve` (the serve: key).
// Schedules are standard five-field cron specs (or @every <duration>) in
// Asia/Shanghai time.
type Serve struct {
	// Listen is the address of the observability HTTP listener (/metrics,
	// /healthz, /readyz); loopback by default.
	Listen string `yaml:"listen"`
	// LogFormat is text or json.
	LogFormat string `yaml:"log_format"`
	// ETL is the monthly pipeline job (the previous month) and its watch.
	ETL ETLJob `yaml:"etl"`
	// MonthlyReport builds the report of the previous month.
	MonthlyReport Job `yaml:"monthly_report"`
	// QuarterlyReport builds the report of the previous quarter.
	QuarterlyReport Job `yaml:"quarterly_report"`
	// CatchUp runs, at start, the complete periods missed while the daemon
	// was down.
	CatchUp CatchUp `yaml:"catch_up"`
	// Retry bounds the retries of retryable ClickHouse and network errors.
	Retry Retry `yaml:"retry"`
	// LockWait is how long a job waits for a period another run holds
	// before it skips the period (recorded as skipped); 0 skips at once.
	LockWait time.Duration `yaml:"lock_wait"`
	// ShutdownGrace is how long SIGTERM/SIGINT lets a running job finish
	// before it is aborted (never during publication).
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
}

// Job is a cron job that can be switched off.
type Job struct {
	Enabled  bool   `yaml:"enabled"`
	Schedule string `yaml:"schedule"`
}

// ETLJob is the monthly pipeline job.
type ETLJob struct {
	Job   `yaml:",inline"`
	Watch Watch `yaml:"watch"`
}

// Watch runs a period as soon as its inbox folder is complete: every
// required source present and no file changed for Quiet.
type Watch struct {
	Enabled bool `yaml:"enabled"`
	// Interval is how often the inbox is looked at.
	Interval time.Duration `yaml:"interval"`
	// Quiet is how long every file of the period must be unchanged.
	Quiet time.Duration `yaml:"quiet"`
	// Required are the sources a complete period has; empty means every
	// department but the optional ones (housing, water, collective).
	Required []string `yaml:"required"`
}

// CatchUp runs unpublished complete periods after the latest published one
// at start, oldest first.
type CatchUp struct {
	Enabled bool `yaml:"enabled"`
	// Limit is the most periods one start runs.
	Limit int `yaml:"limit"`
}

// Retry is exponential backoff with jitter: attempt n waits
// min(Max, Initial·2^(n−1)) ± Jitter·that.
type Retry struct {
	// Attempts is the most attempts of one job run (1 = no retry).
	Attempts int           `yaml:"attempts"`
	Initial  time.Duration `yaml:"initial"`
	Max      time.Duration `yaml:"max"`
	// Jitter is the fraction (0–1) by which a wait is randomly shortened
	// or lengthened.
	Jitter float64 `yaml:"jitter"`
}

// DefaultServe returns the daemon settings when nothing is set.
func DefaultServe() Serve {
	return Serve{
		Listen:    "127.0.0.1:9464",
		LogFormat: "text",
		ETL: ETLJob{
			Job:   Job{Enabled: true, Schedule: "0 2 5 * *"},
			Watch: Watch{Enabled: false, Interval: time.Minute, Quiet: 30 * time.Minute},
		},
		MonthlyReport:   Job{Enabled: true, Schedule: "0 8 6 * *"},
		QuarterlyReport: Job{Enabled: true, Schedule: "0 8 10 1,4,7,10 *"},
		CatchUp:         CatchUp{Enabled: true, Limit: 3},
		Retry:           Retry{Attempts: 5, Initial: 10 * time.Second, Max: 5 * time.Minute, Jitter: 0.2},
		LockWait:        10 * time.Minute,
		ShutdownGrace:   5 * time.Minute,
	}
}

// RequiredSources returns the sources a complete period must have: by
// default every department but the optional ones (schemas.AwaitedSources).
func (w Watch) RequiredSources() []string {
	if len(w.Required) > 0 {
		return w.Required
	}
	return schemas.AwaitedSources()
}

// Validate checks the daemon settings without I/O.
func (s Serve) Validate() error {
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		return fmt.Errorf("config serve.listen: %q is not host:port", s.Listen)
	}
	switch s.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("config serve.log_format: %q is not text or json", s.LogFormat)
	}
	for key, j := range map[string]Job{"etl": s.ETL.Job, "monthly_report": s.MonthlyReport, "quarterly_report": s.QuarterlyReport} {
		if _, err := cron.ParseStandard(j.Schedule); err != nil {
			return fmt.Errorf("config serve.%s.schedule: %q: %v", key, j.Schedule, err)
		}
	}
	w := s.ETL.Watch
	if w.Interval <= 0 {
		return fmt.Errorf("config serve.etl.watch.interval: %s is not positive", w.Interval)
	}
	if w.Quiet < 0 {
		return fmt.Errorf("config serve.etl.watch.quiet: %s is negative", w.Quiet)
	}
	for _, name := range w.Required {
		if _, err := schemas.SourceByName(name); err != nil {
			return fmt.Errorf("config serve.etl.watch.required: %q is no source", name)
		}
	}
	if s.CatchUp.Limit < 0 {
		return fmt.Errorf("config serve.catch_up.limit: %d is negative", s.CatchUp.Limit)
	}
	r := s.Retry
	switch {
	case r.Attempts < 1:
		return fmt.Errorf("config serve.retry.attempts: %d is less than 1", r.Attempts)
	case r.Initial <= 0:
		return fmt.Errorf("config serve.retry.initial: %s is not positive", r.Initial)
	case r.Max < r.Initial:
		return fmt.Errorf("config serve.retry.max: %s is less than initial %s", r.Max, r.Initial)
	case r.Jitter < 0 || r.Jitter > 1:
		return fmt.Errorf("config serve.retry.jitter: %g is not between 0 and 1", r.Jitter)
	}
	if s.LockWait < 0 {
		return fmt.Errorf("config serve.lock_wait: %s is negative", s.LockWait)
	}
	if s.ShutdownGrace < 0 {
		return fmt.Errorf("config serve.shutdown_grace: %s is negative", s.ShutdownGrace)
	}
	return nil
}
