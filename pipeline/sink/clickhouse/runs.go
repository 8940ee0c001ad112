package clickhouse

import (
	"context"
	"fmt"
	"time"

	"zengshou/pipeline"
	"zengshou/transforms/values"
)

const runColumns = "run_id, job, period, started_at, finished_at, status, sources, files, rows_in, rows_accepted, rows_quarantined, rows_unmatched, missing_sources, empty_sources, error, version"

// writeRun inserts the run's current state into etl_run; the row with the
// highest version is the run's state.
func (s *Sink) writeRun(ctx context.Context, run *pipeline.Run) error {
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO etl_run ("+runColumns+")")
	if err != nil {
		return fmt.Errorf("recording run %s: %w", run.ID, err)
	}
	defer batch.Close() //nolint:errcheck // Close after Send is a no-op
	var sources, files []string
	var in, acc, quar, unm []uint64
	for _, st := range run.Sources {
		sources = append(sources, st.Source)
		files = append(files, st.File)
		in = append(in, uint64(st.In))
		acc = append(acc, uint64(st.Accepted))
		quar = append(quar, uint64(st.Quarantined))
		unm = append(unm, uint64(st.Unmatched))
	}
	var finished *time.Time
	if !run.Finished.IsZero() {
		finished = &run.Finished
	}
	missing := run.Missing
	if missing == nil {
		missing = []string{}
	}
	empty := run.Empty
	if empty == nil {
		empty = []string{}
	}
	if sources == nil {
		sources, files, in, acc, quar, unm = []string{}, []string{}, []uint64{}, []uint64{}, []uint64{}, []uint64{}
	}
	if err := batch.Append(run.ID, run.Job, run.Period.FirstDay(), run.Started, finished, run.Status,
		sources, files, in, acc, quar, unm, missing, empty, run.Error, uint64(time.Now().UnixNano())); err != nil {
		return fmt.Errorf("recording run %s: %w", run.ID, err)
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("recording run %s: %w", run.ID, err)
	}
	return nil
}

// loadRun reads the latest state of a run.
func (s *Sink) loadRun(ctx context.Context, id string) (*pipeline.Run, error) {
	row := s.conn.QueryRow(ctx, fmt.Sprintf(`SELECT job, period, started_at, status, sources, files, rows_in, rows_accepted,
rows_quarantined, rows_unmatched, missing_sources, empty_sources FROM etl_run WHERE run_id = '%s' ORDER BY version DESC LIMIT 1`, id))
	var run pipeline.Run
	var period time.Time
	var sources, files []string
	var in, acc, quar, unm []uint64
	if err := row.Scan(&run.Job, &period, &run.Started, &run.Status, &sources, &files, &in, &acc, &quar, &unm, &run.Missing, &run.Empty); err != nil {
		return nil, fmt.Errorf("reading run %s: %w", id, err)
	}
	run.ID, run.Period = id, values.MonthOf(period)
	for i := range sources {
		run.Sources = append(run.Sources, pipeline.SourceStats{Source: sources[i], File: files[i],
			In: int64(in[i]), Accepted: int64(acc[i]), Quarantined: int64(quar[i]), Unmatched: int64(unm[i])})
	}
	return &run, nil
}
