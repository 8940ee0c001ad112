package jobs

import (
	"github.com/prometheus/client_golang/prometheus"

	"zengshou/pipeline"
	"zengshou/schemas"
)

// Metrics are the daemon's Prometheus series. Every label is bounded: job
// names, run statuses, source names, row outcomes, quarantine reason codes
// and indicator codes — never an ID, a household, a file or a run.
type Metrics struct {
	runs         *prometheus.CounterVec
	retries      *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	rows         *prometheus.CounterVec
	quarantined  *prometheus.CounterVec
	lastSuccess  *prometheus.GaugeVec
	progress     *prometheus.GaugeVec
	latestPeriod prometheus.Gauge
}

// NewMetrics creates the series and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zengshou_job_runs_total",
			Help: "Job attempts by job and outcome (published, failed, skipped).",
		}, []string{"job_name", "status"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zengshou_job_retries_total",
			Help: "Attempts repeated after a retryable ClickHouse or network error, by job.",
		}, []string{"job_name"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zengshou_job_run_duration_seconds",
			Help:    "Duration of job attempts, by job.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600},
		}, []string{"job_name"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zengshou_rows_total",
			Help: "Extract rows of published runs by source and outcome (accepted, quarantined; unmatched is part of accepted).",
		}, []string{"source", "outcome"}),
		quarantined: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zengshou_quarantined_rows_total",
			Help: "Quarantined rows of published runs by reason code.",
		}, []string{"reason"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "zengshou_job_last_success_timestamp_seconds",
			Help: "Unix time of the last successful attempt of each job.",
		}, []string{"job_name"}),
		progress: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "zengshou_target_progress_ratio",
			Help: "Value over target of each province headline indicator of the latest published period.",
		}, []string{"indicator"}),
		latestPeriod: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zengshou_latest_published_period",
			Help: "The latest published period as YYYYMM (e.g. 202512).",
		}),
	}
	reg.MustRegister(m.runs, m.retries, m.duration, m.rows, m.quarantined, m.lastSuccess, m.progress, m.latestPeriod)
	// Every row series starts at 0: Prometheus' increase() counts nothing
	// for a series until it has seen it once, so a series born at its first
	// value would drop the first run after each start of the daemon.
	for _, s := range schemas.Sources {
		for _, outcome := range []string{"accepted", "quarantined", "unmatched"} {
			m.rows.WithLabelValues(s.Name, outcome)
		}
	}
	for _, r := range schemas.Reasons {
		m.quarantined.WithLabelValues(r.Code)
	}
	return m
}

// startJobs starts the series of each job at 0 (every outcome, retries,
// the duration histogram), for the reason the row series are. The last
// success is left unset: 0 would read as a success in 1970.
func (m *Metrics) startJobs(jobs []string) {
	for _, job := range jobs {
		for _, status := range []string{pipeline.StatusPublished, pipeline.StatusFailed, StatusSkipped} {
			m.runs.WithLabelValues(job, status)
		}
		m.retries.WithLabelValues(job)
		m.duration.WithLabelValues(job)
	}
}

// attempt counts one attempt of job with its outcome and duration.
func (m *Metrics) attempt(job, status string, seconds float64) {
	m.runs.WithLabelValues(job, status).Inc()
	m.duration.WithLabelValues(job).Observe(seconds)
}

// published counts the rows of a published run.
func (m *Metrics) published(run *pipeline.Run) {
	for _, s := range run.Sources {
		m.rows.WithLabelValues(s.Source, "accepted").Add(float64(s.Accepted))
		m.rows.WithLabelValues(s.Source, "quarantined").Add(float64(s.Quarantined))
		m.rows.WithLabelValues(s.Source, "unmatched").Add(float64(s.Unmatched))
		for reason, n := range s.Reasons {
			m.quarantined.WithLabelValues(reason).Add(float64(n))
		}
	}
}
