package clickhouse

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// PeriodGuard keeps recovery and repair away from a period that a live run
// holds. jobs.Locks provides one (the per-period file lock); without a
// guard the sink assumes no other process runs (tests, tools).
type PeriodGuard interface {
	// TryPeriod takes the period's lock if no live process holds it. ok is
	// false when one does; release lets go of a lock taken.
	TryPeriod(period values.Month) (release func(), ok bool, err error)
}

// SetGuard makes Connect take each period's lock before it recovers or
// repairs that period, and lets it settle runs left by dead processes.
func (s *Sink) SetGuard(g PeriodGuard) { s.guard = g }

// withPeriod runs fn holding the period's lock; it reports false (fn not
// run) when a live process holds it.
func (s *Sink) withPeriod(period values.Month, fn func() error) (bool, error) {
	if s.guard == nil {
		return true, fn()
	}
	release, ok, err := s.guard.TryPeriod(period)
	if err != nil || !ok {
		return false, err
	}
	defer release()
	return true, fn()
}

// recover settles the runs that dead processes left: a run left
// publishing is completed from its staging tables. With a guard, every
// period whose lock is free is settled whole (a run still running there is
// dead and is marked failed); periods a live run holds are left to it.
func (s *Sink) recover(ctx context.Context) error {
	existing, err := s.tables(ctx)
	if err != nil {
		return err
	}
	if !existing["etl_run"] {
		return nil // a new warehouse: nothing to recover
	}
	states, err := s.runStates(ctx)
	if err != nil {
		return err
	}
	periods := map[values.Month]bool{}
	for _, st := range states {
		if st.status == pipeline.StatusPublishing || (s.guard != nil && st.status == pipeline.StatusRunning) {
			periods[st.period] = true
		}
	}
	for _, p := range sortedMonths(periods) {
		settled, err := s.withPeriod(p, func() error {
			// Read again under the lock: the run seen may have ended since.
			states, err := s.runStates(ctx)
			if err != nil {
				return err
			}
			return s.settle(ctx, p, "", states, s.guard != nil)
		})
		if err != nil {
			return err
		}
		if !settled {
			s.logger.Debug("period held by a live run; left to it", "period", p.String())
		}
	}
	return nil
}

// Settle settles the runs of period that dead processes left (the caller
// holds the period's lock, so no other run of it is alive): a run left
// publishing is completed, or marked failed when a later run of the period
// was published; a run left running is marked failed. self is the caller's
// own run, left alone. Their staging tables are dropped.
func (s *Sink) Settle(ctx context.Context, period values.Month, self string) error {
	states, err := s.runStates(ctx)
	if err != nil {
		return err
	}
	return s.settle(ctx, period, self, states, true)
}

func (s *Sink) settle(ctx context.Context, period values.Month, self string, states []runState, running bool) error {
	for _, st := range states {
		if st.period != period || st.id == self {
			continue
		}
		switch {
		case st.status == pipeline.StatusPublishing:
			// Superseded only by a run of the period published after this
			// one began publishing (its last record is later): completing
			// this one then would bring back older figures. A run published
			// before is the old publication this one was replacing — some
			// tables may already hold this run's rows, so it must be
			// completed, never abandoned (abandoning it left those tables
			// to a repair that found none of the old run's rows, and
			// emptied them).
			superseded := false
			for _, other := range states {
				superseded = superseded || (other.id != st.id && other.period == period &&
					other.status == pipeline.StatusPublished && other.latest > st.latest)
			}
			if superseded {
				if err := s.markDead(ctx, st.id, "abandoned while publishing; a later run of the period was published"); err != nil {
					return err
				}
				continue
			}
			if err := s.complete(ctx, st.id); err != nil {
				return err
			}
		case running && st.status == pipeline.StatusRunning:
			if err := s.markDead(ctx, st.id, "abandoned: the process ended while the run was running (its period lock was recovered)"); err != nil {
				return err
			}
		}
	}
	return nil
}

// markDead records a run whose process died as failed.
func (s *Sink) markDead(ctx context.Context, id, reason string) error {
	run, err := s.loadRun(ctx, id)
	if err != nil {
		return err
	}
	s.logger.Warn("marking a dead run failed", "run_id", id, "period", run.Period.String(), "reason", reason)
	run.Status, run.Error, run.Finished = pipeline.StatusFailed, reason, time.Now().UTC()
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	return s.dropStages(ctx, id)
}

// complete finishes the publication of a run left publishing, from its
// staging tables (or the shared twins of earlier versions). REPLACE
// PARTITION copies, so repeating a swap that already succeeded is harmless.
func (s *Sink) complete(ctx context.Context, id string) error {
	run, err := s.loadRun(ctx, id)
	if err != nil {
		return err
	}
	existing, err := s.tables(ctx)
	if err != nil {
		return err
	}
	own := false
	for _, t := range schemas.Tables {
		own = own || (t.Published && existing[stageOf(t, id)])
	}
	s.logger.Warn("completing interrupted publication", "run_id", id, "period", run.Period.String())
	// Tables a newer version adds do not exist yet; the run staged none.
	if err := s.swapRun(ctx, id, run.Period, func(t schemas.Table) string {
		name := stageOf(t, id)
		if !own {
			name = legacyStage(t)
		}
		if !existing[t.Name] || !existing[name] {
			return ""
		}
		return name
	}); err != nil {
		return fmt.Errorf("completing run %s: %w", id, err)
	}
	run.Status, run.Finished = pipeline.StatusPublished, time.Now().UTC()
	if err := s.writeRun(ctx, run); err != nil {
		return err
	}
	return s.dropStages(ctx, id)
}

// reconcile repairs what a server restart revived: every period partition
// of a published table that holds rows of a run other than the period's
// published run is rebuilt from the published run's rows and replaced
// again; a dim_county holding a county twice is rebuilt from its distinct
// rows. Periods a live run holds are left to it.
func (s *Sink) reconcile(ctx context.Context) error {
	published, err := s.publishedRuns(ctx)
	if err != nil {
		return err
	}
	for _, t := range schemas.Tables {
		if !t.Published {
			continue
		}
		byPeriod, err := s.runsInTable(ctx, t)
		if err != nil {
			return err
		}
		for _, p := range sortedMonths(keys(byPeriod)) {
			runs := byPeriod[p]
			want, ok := published[p]
			if !ok {
				s.logger.Warn("period holds rows but has no published run", "table", t.Name, "period", p.String(), "runs", runs)
				continue
			}
			if len(runs) == 1 && runs[0] == want {
				continue
			}
			if _, err := s.withPeriod(p, func() error { return s.repair(ctx, t, p, want, runs) }); err != nil {
				return err
			}
		}
	}
	return s.reconcileDimensions(ctx)
}

// repair rebuilds a period partition of t from the rows of run want.
func (s *Sink) repair(ctx context.Context, t schemas.Table, p values.Month, want string, found []string) error {
	s.logger.Warn("repairing a period that holds rows of superseded runs (revived by a server restart)",
		"table", t.Name, "period", p.String(), "published_run", want, "runs_found", strings.Join(found, ","))
	stage := stageOf(t, want)
	if err := s.createStage(ctx, t, want); err != nil {
		return err
	}
	cols := strings.Join(t.Names(), ", ")
	if err := s.conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s WHERE toYYYYMM(period) = %s AND run_id = '%s'",
		quoteIdent(stage), cols, cols, quoteIdent(s.localName(t.Name)), partitionOf(p), want)); err != nil {
		return fmt.Errorf("repairing %s of %s: %w", t.Name, p, err)
	}
	if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION %s FROM %s",
		quoteIdent(s.localName(t.Name)), partitionOf(p), quoteIdent(stage))); err != nil {
		return fmt.Errorf("repairing %s of %s: %w", t.Name, p, err)
	}
	if err := s.awaitReplaced(ctx, s.localName(t.Name), partitionOf(p), time.Now().Add(s.cfg.CleanupTimeout)); err != nil {
		return err
	}
	if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(stage)); err != nil {
		return fmt.Errorf("dropping %s: %w", stage, err)
	}
	return nil
}

// dimensionRepair names the staging table of a dimension repair.
const dimensionRepair = "reconcile"

// reconcileDimensions rebuilds a dimension table that holds a row twice
// (a replaced copy revived by a restart, or two replacements that raced)
// from its distinct rows.
func (s *Sink) reconcileDimensions(ctx context.Context) error {
	for _, t := range schemas.Tables {
		if !t.Dimension {
			continue
		}
		n, distinct, err := s.keyCounts(ctx, t)
		if err != nil {
			return err
		}
		if n == distinct {
			continue
		}
		s.logger.Warn("repairing a dimension that holds rows twice (revived by a server restart)", "table", t.Name, "rows", n, "keys", distinct)
		stage := stageOf(t, dimensionRepair)
		if err := s.createStage(ctx, t, dimensionRepair); err != nil {
			return err
		}
		cols := strings.Join(t.Names(), ", ")
		if err := s.conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT DISTINCT %s FROM %s",
			quoteIdent(stage), cols, cols, quoteIdent(t.Name))); err != nil {
			return fmt.Errorf("repairing %s: %w", t.Name, err)
		}
		if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s REPLACE PARTITION tuple() FROM %s",
			quoteIdent(t.Name), quoteIdent(stage))); err != nil {
			return fmt.Errorf("repairing %s: %w", t.Name, err)
		}
		if err := s.awaitReplaced(ctx, t.Name, "all", time.Now().Add(s.cfg.CleanupTimeout)); err != nil {
			return err
		}
		if err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS "+quoteIdent(stage)); err != nil {
			return fmt.Errorf("dropping %s: %w", stage, err)
		}
		if n, distinct, err = s.keyCounts(ctx, t); err != nil {
			return err
		}
		if n != distinct {
			s.logger.Warn("dimension still holds differing rows for a key; the next run replaces it", "table", t.Name, "rows", n, "keys", distinct)
		}
	}
	return nil
}

// publishedRuns maps each period to its published run: the run whose
// published state was recorded last.
func (s *Sink) publishedRuns(ctx context.Context) (map[values.Month]string, error) {
	rows, err := s.conn.Query(ctx, `SELECT period, argMax(run_id, version) FROM etl_run WHERE status = 'published' GROUP BY period`)
	if err != nil {
		return nil, fmt.Errorf("reading published runs: %w", err)
	}
	defer rows.Close()
	out := map[values.Month]string{}
	for rows.Next() {
		var period time.Time
		var id string
		if err := rows.Scan(&period, &id); err != nil {
			return nil, fmt.Errorf("reading published runs: %w", err)
		}
		out[values.MonthOf(period)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading published runs: %w", err)
	}
	return out, nil
}

// runsInTable lists, per period, the runs a published table holds rows of.
func (s *Sink) runsInTable(ctx context.Context, t schemas.Table) (map[values.Month][]string, error) {
	rows, err := s.conn.Query(ctx, fmt.Sprintf("SELECT period, groupUniqArray(run_id) FROM %s GROUP BY period", quoteIdent(s.localName(t.Name))))
	if err != nil {
		return nil, fmt.Errorf("reading the runs in %s: %w", t.Name, err)
	}
	defer rows.Close()
	out := map[values.Month][]string{}
	for rows.Next() {
		var period time.Time
		var ids []string
		if err := rows.Scan(&period, &ids); err != nil {
			return nil, fmt.Errorf("reading the runs in %s: %w", t.Name, err)
		}
		m := values.MonthOf(period)
		out[m] = append(out[m], ids...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the runs in %s: %w", t.Name, err)
	}
	for m, ids := range out {
		sort.Strings(ids)
		out[m] = dedupe(ids)
	}
	return out, nil
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func keys[V any](m map[values.Month]V) map[values.Month]bool {
	out := map[values.Month]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedMonths(set map[values.Month]bool) []values.Month {
	out := make([]values.Month, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
