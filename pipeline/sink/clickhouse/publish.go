package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/internal/crashpoint"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Begin records the run and creates its staging tables (empty).
func (s *Sink) Begin(ctx context.Context, run *pipeline.Run) error {
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	for _, t := range schemas.Tables {
		if !t.Published {
			continue
		}
		if err := s.createStage(ctx, t, run.ID); err != nil {
			return err
		}
	}
	return nil
}

// Publish swaps the run's staged period into every published table. The run
// is first recorded as publishing: if the process dies during the swaps, the
// next connection (or the next run of the period) completes them from the
// intact staging tables. It is recorded as published once the parts the
// swaps replaced are gone from disk (or the wait is over), then its staging
// tables are dropped.
func (s *Sink) Publish(ctx context.Context, run *pipeline.Run) error {
	run.Status = pipeline.StatusPublishing
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	crashpoint.Hit("publishing")
	if err := s.swapRun(ctx, run.ID, run.Period, nil); err != nil {
		return err
	}
	run.Status = pipeline.StatusPublished
	if run.Finished.IsZero() {
		run.Finished = time.Now().UTC()
	}
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	crashpoint.Hit("published")
	return s.dropStages(ctx, run.ID)
}

// Fail records the run as failed — unless it already reached publishing:
// its swaps may be half done, so it stays publishing and the next
// connection completes it from the intact staging tables. A run that never
// began (refused before it read anything) is recorded too.
func (s *Sink) Fail(ctx context.Context, run *pipeline.Run) error {
	status, err := s.runStatus(ctx, run.ID)
	if err != nil {
		return err
	}
	if status == pipeline.StatusPublishing {
		// The runner returns the error; logging it too would say it twice.
		s.logger.Warn("run failed while publishing; left for recovery", "run_id", run.ID)
		return nil
	}
	run.Status = pipeline.StatusFailed
	if run.Finished.IsZero() {
		run.Finished = time.Now().UTC()
	}
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	return s.dropStages(ctx, run.ID)
}

// runStatus is the run's latest status in etl_run ("" when it has none).
func (s *Sink) runStatus(ctx context.Context, id string) (string, error) {
	var status string
	err := s.conn.QueryRow(ctx, fmt.Sprintf(
		"SELECT argMax(status, version) FROM etl_run WHERE run_id = '%s'", id)).Scan(&status)
	if err != nil {
		return "", fmt.Errorf("reading the state of run %s: %w", id, err)
	}
	return status, nil
}

// swapRun replaces the period's partition of every published table with
// the run's staged one (an empty staged partition empties the table's),
// then waits for the replaced parts to leave the disk. source names the
// staging table of each table (nil: the run's own); a table it names as ""
// is skipped.
func (s *Sink) swapRun(ctx context.Context, runID string, period values.Month, source func(schemas.Table) string) error {
	if source == nil {
		source = func(t schemas.Table) string { return stageOf(t, runID) }
	}
	var swapped []string
	for _, t := range schemas.Tables {
		if !t.Published || source(t) == "" {
			continue
		}
		crashpoint.Hit("before-swap:" + t.Name)
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION %s FROM %s",
			quoteIdent(s.localName(t.Name)), partitionOf(period), quoteIdent(source(t)))); err != nil {
			return fmt.Errorf("publishing %s of %s: %w", t.Name, period, err)
		}
		crashpoint.Hit("after-swap:" + t.Name)
		swapped = append(swapped, s.localName(t.Name))
	}
	crashpoint.Hit("before-cleanup-wait")
	deadline := time.Now().Add(s.cfg.CleanupTimeout)
	for _, name := range swapped {
		if err := s.awaitReplaced(ctx, name, partitionOf(period), deadline); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceDimension replaces the whole content of a dimension table with rec,
// atomically: a staging table of the run's own, then REPLACE PARTITION
// tuple(). Two REPLACEs of one partition that overlap can leave both copies
// active (seen on 18.16: each drops only the parts older than its own new
// block), so the result is checked — each key once — and the replacement
// repeated, after a random pause, until it is.
func (s *Sink) ReplaceDimension(ctx context.Context, run *pipeline.Run, t schemas.Table, rec arrow.RecordBatch) error {
	if !t.Dimension {
		return fmt.Errorf("replacing %s: not a dimension table", t.Name)
	}
	stage := stageOf(t, run.ID)
	if err := s.createStage(ctx, t, run.ID); err != nil {
		return err
	}
	if err := s.insert(ctx, stage, t, rec); err != nil {
		return err
	}
	crashpoint.Hit("before-dimension-swap")
	for attempt := 1; ; attempt++ {
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION tuple() FROM %s",
			quoteIdent(t.Name), quoteIdent(stage))); err != nil {
			return fmt.Errorf("replacing %s: %w", t.Name, err)
		}
		if err := s.awaitReplaced(ctx, t.Name, "all", time.Now().Add(s.cfg.CleanupTimeout)); err != nil {
			return err
		}
		n, distinct, err := s.keyCounts(ctx, t)
		if err != nil {
			return err
		}
		if n == distinct {
			break
		}
		if attempt == maxDimensionAttempts {
			s.logger.Warn("dimension holds keys twice after concurrent replacements; the next connection repairs it",
				"table", t.Name, "rows", n, "keys", distinct)
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("replacing %s: %w", t.Name, ctx.Err())
		case <-time.After(time.Duration(20+rand.IntN(200)) * time.Millisecond):
		}
	}
	if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(stage)); err != nil {
		return fmt.Errorf("dropping %s: %w", stage, err)
	}
	return nil
}

// maxDimensionAttempts bounds the replacements of a dimension that races
// with another run's.
const maxDimensionAttempts = 10

// keyCounts counts a dimension's rows and its distinct keys (first column).
func (s *Sink) keyCounts(ctx context.Context, t schemas.Table) (rows, keys uint64, err error) {
	err = s.conn.QueryRow(ctx, fmt.Sprintf("SELECT count(), uniqExact(%s) FROM %s",
		quoteIdent(t.Columns[0].Name), quoteIdent(t.Name))).Scan(&rows, &keys)
	if err != nil {
		return 0, 0, fmt.Errorf("checking %s: %w", t.Name, err)
	}
	return rows, keys, nil
}

// tables lists the tables of the warehouse database.
func (s *Sink) tables(ctx context.Context) (map[string]bool, error) {
	// 18.16 fails a read of system.tables with UNKNOWN_TABLE (60) when
	// another process drops a table while it is listed (a concurrent run
	// dropping its staging tables): the listing is taken again.
	for attempt := 1; ; attempt++ {
		out, err := s.listTables(ctx)
		var ex *ch.Exception
		if err == nil || attempt == 5 || !errors.As(err, &ex) || ex.Code != 60 {
			return out, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}

func (s *Sink) listTables(ctx context.Context) (map[string]bool, error) {
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing tables of %s: %w", s.database, err)
	}
	return out, nil
}
