package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Begin records the run and empties the staging partition of its period.
func (s *Sink) Begin(ctx context.Context, run *pipeline.Run) error {
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	for _, t := range schemas.Tables {
		if !t.Published {
			continue
		}
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP PARTITION %s",
			quoteIdent(stageName(t)), partitionOf(run.Period))); err != nil {
			return fmt.Errorf("clearing %s for %s: %w", stageName(t), run.Period, err)
		}
	}
	return nil
}

// Publish swaps the staged period into every published table. The run is
// first recorded as publishing: if the process dies during the swaps, the
// next connection completes them from the intact staging partitions.
func (s *Sink) Publish(ctx context.Context, run *pipeline.Run) error {
	run.Status = pipeline.StatusPublishing
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	if err := s.swap(ctx, run.Period); err != nil {
		return err
	}
	run.Status = pipeline.StatusPublished
	if run.Finished.IsZero() {
		run.Finished = time.Now().UTC()
	}
	return s.writeRun(ctx, run)
}

// Fail records the run as failed — unless it already reached publishing:
// its swaps may be half done, so it stays publishing and the next
// connection completes it from the intact staging partitions.
func (s *Sink) Fail(ctx context.Context, run *pipeline.Run) error {
	var status string
	err := s.conn.QueryRow(ctx, fmt.Sprintf(
		"SELECT argMax(status, version) FROM etl_run WHERE run_id = '%s'", run.ID)).Scan(&status)
	if err != nil {
		return fmt.Errorf("reading the state of run %s: %w", run.ID, err)
	}
	if status == pipeline.StatusPublishing {
		// The runner returns the error; logging it too would say it twice.
		s.logger.Warn("run failed while publishing; left for recovery", "run_id", run.ID)
		return nil
	}
	run.Status = pipeline.StatusFailed
	return s.writeRun(ctx, run)
}

// swap replaces the period's partition of every published table with the
// staged one (an empty staged partition empties the table's).
func (s *Sink) swap(ctx context.Context, period values.Month) error {
	return s.swapTables(ctx, period, func(schemas.Table) bool { return true })
}

// swapTables swaps the period into the published tables that include accepts.
func (s *Sink) swapTables(ctx context.Context, period values.Month, include func(schemas.Table) bool) error {
	for _, t := range schemas.Tables {
		if !t.Published || !include(t) {
			continue
		}
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION %s FROM %s",
			quoteIdent(t.Name), partitionOf(period), quoteIdent(stageName(t)))); err != nil {
			return fmt.Errorf("publishing %s of %s: %w", t.Name, period, err)
		}
	}
	return nil
}

// recover completes publications that a killed run left half done: runs
// whose latest state is publishing have complete staging partitions.
func (s *Sink) recover(ctx context.Context) error {
	existing, err := s.tables(ctx)
	if err != nil {
		return err
	}
	if !existing["etl_run"] {
		return nil // a new warehouse: nothing to recover
	}
	rows, err := s.conn.Query(ctx, `SELECT run_id, argMax(status, version) AS st, any(period)
FROM etl_run GROUP BY run_id HAVING st = 'publishing'`)
	if err != nil {
		return fmt.Errorf("looking for interrupted publications: %w", err)
	}
	type pending struct {
		id     string
		period time.Time
	}
	var todo []pending
	for rows.Next() {
		var p pending
		var st string
		if err := rows.Scan(&p.id, &st, &p.period); err != nil {
			rows.Close()
			return fmt.Errorf("looking for interrupted publications: %w", err)
		}
		todo = append(todo, p)
	}
	rows.Close()
	for _, p := range todo {
		run, err := s.loadRun(ctx, p.id)
		if err != nil {
			return err
		}
		s.logger.Warn("completing interrupted publication", "run_id", p.id, "period", run.Period.String())
		// Tables a newer version adds do not exist yet; the run staged none.
		if err := s.swapTables(ctx, run.Period, func(t schemas.Table) bool {
			return existing[t.Name] && existing[stageName(t)]
		}); err != nil {
			return fmt.Errorf("completing run %s: %w", p.id, err)
		}
		run.Status, run.Finished = pipeline.StatusPublished, time.Now().UTC()
		if err := s.writeRun(ctx, run); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceDimension replaces the whole content of a dimension table with rec,
// atomically (staging twin, then REPLACE PARTITION tuple()).
func (s *Sink) ReplaceDimension(ctx context.Context, t schemas.Table, rec arrow.RecordBatch) error {
	if !t.Dimension {
		return fmt.Errorf("replacing %s: not a dimension table", t.Name)
	}
	if err := s.conn.Exec(ctx, "TRUNCATE TABLE "+quoteIdent(stageName(t))); err != nil {
		return fmt.Errorf("clearing %s: %w", stageName(t), err)
	}
	if err := s.insert(ctx, stageName(t), t, rec); err != nil {
		return err
	}
	if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION tuple() FROM %s",
		quoteIdent(t.Name), quoteIdent(stageName(t)))); err != nil {
		return fmt.Errorf("replacing %s: %w", t.Name, err)
	}
	return nil
}

// tables lists the tables of the warehouse database.
func (s *Sink) tables(ctx context.Context) (map[string]bool, error) {
	rows, err := s.conn.Query(ctx, fmt.Sprintf("SELECT name FROM system.tables WHERE database = '%s'", s.database))
	if err != nil {
		return nil, fmt.Errorf("listing tables of %s: %w", s.database, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("listing tables of %s: %w", s.database, err)
		}
		out[name] = true
	}
	return out, rows.Err()
}
