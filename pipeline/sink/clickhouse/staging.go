package clickhouse

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Every run stages into tables of its own, stage_<table>_<run token>,
// created at Begin (ReplaceDimension for dim_county) as structural copies of
// the real tables and dropped once the run is published or failed. Two runs
// of one period, even at once, therefore never touch each other's staged
// rows; the period lock (jobs.Locks) keeps them from publishing over each
// other on one machine.

// runToken is the part of a staging table's name that names its run: the
// run ID with every character other than a letter or digit made '_'.
func runToken(runID string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, runID)
}

// stageOf is the staging table of table t for run runID.
func stageOf(t schemas.Table, runID string) string {
	return "stage_" + t.Name + "_" + runToken(runID)
}

// legacyStage is the shared staging twin of earlier versions; recovery still
// completes a publication staged there, then it is dropped.
func legacyStage(t schemas.Table) string { return "stage_" + t.Name }

// stagedTables are the tables a run stages: the published ones and the
// dimensions.
func stagedTables() []schemas.Table {
	var out []schemas.Table
	for _, t := range schemas.Tables {
		if t.Published || t.Dimension {
			out = append(out, t)
		}
	}
	return out
}

// createStage (re)creates the staging table of t for a run.
func (s *Sink) createStage(ctx context.Context, t schemas.Table, runID string) error {
	name := stageOf(t, runID)
	if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(name)); err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	// On a shard the staging table copies the shard-local table (a copy of
	// the Distributed one would be another Distributed table).
	if err := s.conn.Exec(ctx, fmt.Sprintf("CREATE TABLE %s AS %s", quoteIdent(name), quoteIdent(s.localName(t.Name)))); err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	return nil
}

// dropStages drops every staging table of a run (those that exist).
func (s *Sink) dropStages(ctx context.Context, runID string) error {
	for _, t := range stagedTables() {
		name := stageOf(t, runID)
		if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(name)); err != nil {
			return fmt.Errorf("dropping %s: %w", name, err)
		}
	}
	return nil
}

// cleanStaleStages drops the staging tables of runs that are over
// (published or failed), and the legacy shared twins once nothing is left
// to recover from them. Staging tables of runs still running or publishing
// are left: the run may be alive; Settle decides under the period lock.
func (s *Sink) cleanStaleStages(ctx context.Context) error {
	existing, err := s.tables(ctx)
	if err != nil {
		return err
	}
	states, err := s.runStates(ctx)
	if err != nil {
		return err
	}
	byToken := map[string]runState{}
	for _, st := range states {
		byToken[runToken(st.id)] = st
	}
	var names []string
	for name := range existing {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, t := range stagedTables() {
			if name == legacyStage(t) {
				if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(name)); err != nil {
					return fmt.Errorf("dropping %s: %w", name, err)
				}
				continue
			}
			token, ok := strings.CutPrefix(name, legacyStage(t)+"_")
			if !ok {
				continue
			}
			st, known := byToken[token]
			if !known || (st.status != "published" && st.status != "failed") {
				continue
			}
			s.logger.Info("dropping the staging table of a finished run", "table", name, "run_id", st.id, "status", st.status)
			if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(name)); err != nil {
				return fmt.Errorf("dropping %s: %w", name, err)
			}
		}
	}
	return nil
}

// runState is a run's latest state in etl_run. first and latest are the
// versions (nanosecond clocks) of its first and latest records: started_at
// has whole seconds only, so two runs begun in one second are ordered by
// first, and "published after this run began publishing" is a later latest.
type runState struct {
	id      string
	status  string
	period  values.Month
	started time.Time
	first   uint64
	latest  uint64
}

// runStates reads the latest state of every run, in the order they began.
func (s *Sink) runStates(ctx context.Context) ([]runState, error) {
	rows, err := s.conn.Query(ctx, `SELECT run_id, argMax(status, version), any(period), any(started_at), min(version), max(version)
FROM etl_run GROUP BY run_id`)
	if err != nil {
		return nil, fmt.Errorf("reading run states: %w", err)
	}
	defer rows.Close()
	var out []runState
	for rows.Next() {
		var st runState
		var period time.Time
		if err := rows.Scan(&st.id, &st.status, &period, &st.started, &st.first, &st.latest); err != nil {
			return nil, fmt.Errorf("reading run states: %w", err)
		}
		st.period = values.MonthOf(period)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading run states: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].first != out[j].first {
			return out[i].first < out[j].first
		}
		return out[i].id < out[j].id
	})
	return out, nil
}
