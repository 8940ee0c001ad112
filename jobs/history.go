package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"zengshou/transforms/values"
)

// RunSummary is one run of etl_run in its latest state, as `zengshou runs`
// shows it.
type RunSummary struct {
	ID       string
	Job      string
	Period   values.Month
	Started  time.Time
	Finished *time.Time
	Status   string
	// RowsIn and Quarantined are summed over the run's sources.
	RowsIn, Quarantined uint64
	Missing             []string
	Error               string
}

// Duration is how long the run took (zero while it runs).
func (r RunSummary) Duration() time.Duration {
	if r.Finished == nil {
		return 0
	}
	return r.Finished.Sub(r.Started)
}

// RecentRuns reads the latest limit runs of etl_run, newest first.
func RecentRuns(ctx context.Context, conn driver.Conn, limit int) ([]RunSummary, error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT run_id, job, period, started_at, finished_at, status,
arraySum(rows_in), arraySum(rows_quarantined), missing_sources, error
FROM etl_run FINAL ORDER BY started_at DESC, run_id DESC LIMIT %d`, limit))
	if err != nil {
		return nil, fmt.Errorf("reading recent runs: %w", err)
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		var r RunSummary
		var period time.Time
		if err := rows.Scan(&r.ID, &r.Job, &period, &r.Started, &r.Finished, &r.Status,
			&r.RowsIn, &r.Quarantined, &r.Missing, &r.Error); err != nil {
			return nil, fmt.Errorf("reading recent runs: %w", err)
		}
		r.Period = values.MonthOf(period)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading recent runs: %w", err)
	}
	return out, nil
}

// PublishedPeriods reads, for every published period, when its latest
// published run started.
func PublishedPeriods(ctx context.Context, conn driver.Conn) (map[values.Month]time.Time, error) {
	rows, err := conn.Query(ctx, `SELECT period, max(started_at) FROM etl_run FINAL
WHERE status = 'published' GROUP BY period`)
	if err != nil {
		return nil, fmt.Errorf("reading published periods: %w", err)
	}
	defer rows.Close()
	out := map[values.Month]time.Time{}
	for rows.Next() {
		var period, started time.Time
		if err := rows.Scan(&period, &started); err != nil {
			return nil, fmt.Errorf("reading published periods: %w", err)
		}
		out[values.MonthOf(period)] = started
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading published periods: %w", err)
	}
	return out, nil
}

// latest returns the latest period of a set (false if empty).
func latest(periods map[values.Month]time.Time) (values.Month, bool) {
	var last values.Month
	found := false
	for p := range periods {
		if !found || p > last {
			last, found = p, true
		}
	}
	return last, found
}
