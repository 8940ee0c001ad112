package clickhouse

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"zengshou/pipeline"
	"zengshou/transforms/values"
)

// CheckKey compares the fingerprint of the run's pseudonymisation key with
// the one the warehouse keeps in key_fingerprint, recording it when the
// warehouse has none yet (its first run). A different key is refused with
// an error wrapping pipeline.ErrKeyMismatch. When two first runs race, the
// earliest recorded fingerprint is the warehouse's.
func (s *Sink) CheckKey(ctx context.Context, fingerprint, runID string) error {
	rec, ok, err := s.recordedFingerprint(ctx)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.recordFingerprint(ctx, fingerprint, runID); err != nil {
			return err
		}
		if rec, _, err = s.recordedFingerprint(ctx); err != nil {
			return err
		}
	}
	if rec.fingerprint != fingerprint {
		return fmt.Errorf("%w: its fingerprint %.12s… is not the %.12s… recorded by run %s at %s UTC; its person and household keys would match no history",
			pipeline.ErrKeyMismatch, fingerprint, rec.fingerprint, rec.runID, rec.at.UTC().Format(time.DateTime))
	}
	return nil
}

type fingerprintRow struct {
	fingerprint, runID string
	at                 time.Time
}

func (s *Sink) recordedFingerprint(ctx context.Context) (fingerprintRow, bool, error) {
	rows, err := s.conn.Query(ctx, "SELECT fingerprint, run_id, recorded_at FROM key_fingerprint ORDER BY recorded_at, fingerprint LIMIT 1")
	if err != nil {
		return fingerprintRow{}, false, fmt.Errorf("reading key_fingerprint: %w", err)
	}
	defer rows.Close()
	var r fingerprintRow
	found := rows.Next()
	if found {
		if err := rows.Scan(&r.fingerprint, &r.runID, &r.at); err != nil {
			return r, false, fmt.Errorf("reading key_fingerprint: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return r, false, fmt.Errorf("reading key_fingerprint: %w", err)
	}
	return r, found, nil
}

func (s *Sink) recordFingerprint(ctx context.Context, fingerprint, runID string) error {
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO key_fingerprint (fingerprint, run_id, recorded_at)")
	if err != nil {
		return fmt.Errorf("recording the key fingerprint: %w", err)
	}
	defer batch.Close() //nolint:errcheck // Close after Send is a no-op
	if err := batch.Append(fingerprint, runID, time.Now().UTC()); err != nil {
		return fmt.Errorf("recording the key fingerprint: %w", err)
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("recording the key fingerprint: %w", err)
	}
	return nil
}

// Publication returns the current publication of the period (its latest
// published run), or nil when the period was never published.
func (s *Sink) Publication(ctx context.Context, period values.Month) (*pipeline.Publication, error) {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT run_id, src FROM (
    SELECT run_id, argMax(sources, version) AS src, argMax(status, version) AS st, max(version) AS v
    FROM etl_run WHERE period = %s GROUP BY run_id
) WHERE st = 'published' ORDER BY v DESC LIMIT 1`, dateLit(period)))
	if err != nil {
		return nil, fmt.Errorf("reading the publication of %s: %w", period, err)
	}
	defer rows.Close()
	var pub *pipeline.Publication
	if rows.Next() {
		pub = &pipeline.Publication{Period: period}
		if err := rows.Scan(&pub.RunID, &pub.Sources); err != nil {
			return nil, fmt.Errorf("reading the publication of %s: %w", period, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the publication of %s: %w", period, err)
	}
	return pub, nil
}

// publishedRun is the current publication of a period as etl_run has it.
type publishedRun struct {
	period  values.Month
	runID   string
	version uint64
}

// MarkStale brings the staleness marks in line with etl_run and returns the
// stale periods in order. A published period is stale when an earlier
// period's current publication is newer than its own (by etl_run version):
// its year-to-date figures, last December's figures or death and 雨露计划
// history were read from data since replaced; and when an earlier period is
// stale, since it was built on that period's wrong figures. A stale period
// whose indicator rows are not all marked gets stale = 1 on them (a
// mutation, awaited), then a newly stale period gets a stale_period row; a
// period re-published since is cleared in stale_period (its new indicator
// rows are fresh). Marks are derived, not remembered, so
// a process killed between a publication and the marking loses nothing: the
// next call catches up.
func (s *Sink) MarkStale(ctx context.Context) ([]values.Month, error) {
	current, err := s.currentPublications(ctx)
	if err != nil {
		return nil, err
	}
	stale := map[values.Month]publishedRun{} // the newer publication of an earlier period
	var newest, inherited *publishedRun
	for i := range current {
		q := current[i]
		switch {
		case newest != nil && newest.version > q.version:
			stale[q.period] = *newest
		case inherited != nil:
			// Built on an earlier period that is itself stale, however
			// recently it was published.
			stale[q.period] = *inherited
		}
		if by, ok := stale[q.period]; ok && inherited == nil {
			inherited = &by
		}
		if newest == nil || q.version > newest.version {
			newest = &current[i]
		}
	}
	marked, err := s.staleMarks(ctx)
	if err != nil {
		return nil, err
	}
	fresh, err := s.freshIndicators(ctx)
	if err != nil {
		return nil, err
	}
	var unmarkedRows, newly, cleared, out []values.Month
	for _, q := range current {
		_, isStale := stale[q.period]
		switch {
		case isStale && !marked[q.period]:
			newly = append(newly, q.period)
		case !isStale && marked[q.period]:
			cleared = append(cleared, q.period)
		}
		if isStale && fresh[q.period] {
			// Newly stale, or re-published while still stale.
			unmarkedRows = append(unmarkedRows, q.period)
		}
		if isStale {
			out = append(out, q.period)
		}
	}
	if len(unmarkedRows) > 0 {
		if err := s.markIndicatorsStale(ctx, unmarkedRows); err != nil {
			return nil, err
		}
	}
	if len(newly)+len(cleared) == 0 {
		return out, nil
	}
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO stale_period (period, stale, superseded_by, superseded_period, marked_at, version)")
	if err != nil {
		return nil, fmt.Errorf("recording stale periods: %w", err)
	}
	defer batch.Close() //nolint:errcheck // Close after Send is a no-op
	now := time.Now().UTC()
	version := uint64(now.UnixNano())
	for _, m := range newly {
		by := stale[m]
		if err := batch.Append(m.FirstDay(), uint8(1), by.runID, by.period.FirstDay(), now, version); err != nil {
			return nil, fmt.Errorf("recording stale periods: %w", err)
		}
	}
	for _, m := range cleared {
		if err := batch.Append(m.FirstDay(), uint8(0), "", m.FirstDay(), now, version); err != nil {
			return nil, fmt.Errorf("recording stale periods: %w", err)
		}
	}
	if err := batch.Send(); err != nil {
		return nil, fmt.Errorf("recording stale periods: %w", err)
	}
	return out, nil
}

// currentPublications lists each published period's latest published run,
// in period order.
func (s *Sink) currentPublications(ctx context.Context) ([]publishedRun, error) {
	rows, err := s.conn.Query(ctx, `SELECT p, argMax(run_id, v), max(v) FROM (
    SELECT run_id, any(period) AS p, argMax(status, version) AS st, max(version) AS v
    FROM etl_run GROUP BY run_id
) WHERE st = 'published' GROUP BY p ORDER BY p`)
	if err != nil {
		return nil, fmt.Errorf("reading published periods: %w", err)
	}
	defer rows.Close()
	var out []publishedRun
	for rows.Next() {
		var at time.Time
		var p publishedRun
		if err := rows.Scan(&at, &p.runID, &p.version); err != nil {
			return nil, fmt.Errorf("reading published periods: %w", err)
		}
		p.period = values.MonthOf(at)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading published periods: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].period < out[j].period })
	return out, nil
}

// staleMarks reads which periods stale_period marks stale now.
func (s *Sink) staleMarks(ctx context.Context) (map[values.Month]bool, error) {
	rows, err := s.conn.Query(ctx, "SELECT period, argMax(stale, version) FROM stale_period GROUP BY period")
	if err != nil {
		return nil, fmt.Errorf("reading stale_period: %w", err)
	}
	defer rows.Close()
	out := map[values.Month]bool{}
	for rows.Next() {
		var at time.Time
		var stale uint8
		if err := rows.Scan(&at, &stale); err != nil {
			return nil, fmt.Errorf("reading stale_period: %w", err)
		}
		if stale == 1 {
			out[values.MonthOf(at)] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading stale_period: %w", err)
	}
	return out, nil
}

// freshIndicators reads which periods have indicator rows not marked stale.
func (s *Sink) freshIndicators(ctx context.Context) (map[values.Month]bool, error) {
	rows, err := s.conn.Query(ctx, fmt.Sprintf("SELECT period FROM %s GROUP BY period HAVING min(stale) = 0", quoteIdent(s.localName("indicator"))))
	if err != nil {
		return nil, fmt.Errorf("reading indicator staleness: %w", err)
	}
	defer rows.Close()
	out := map[values.Month]bool{}
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("reading indicator staleness: %w", err)
		}
		out[values.MonthOf(at)] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading indicator staleness: %w", err)
	}
	return out, nil
}

// staleMutationWait bounds waiting for the indicator mutation.
const staleMutationWait = 5 * time.Minute

// markIndicatorsStale sets stale = 1 on the indicator rows of the periods
// and waits until the mutation is done (18.16 has no mutations_sync).
func (s *Sink) markIndicatorsStale(ctx context.Context, periods []values.Month) error {
	lits := make([]string, len(periods))
	for i, m := range periods {
		lits[i] = dateLit(m)
	}
	what := "marking indicator rows of " + joinMonths(periods) + " stale"
	// On a shard the mutation is of its own rows (a Distributed table has
	// no mutations); every shard of a Cluster marks its own.
	indicator := s.localName("indicator")
	if err := s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s UPDATE stale = 1 WHERE period IN (%s) AND stale = 0",
		quoteIdent(indicator), strings.Join(lits, ", "))); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	deadline := time.Now().Add(staleMutationWait)
	for {
		var pending uint64
		if err := s.conn.QueryRow(ctx, fmt.Sprintf(
			"SELECT count() FROM system.mutations WHERE database = '%s' AND table = '%s' AND is_done = 0",
			s.database, indicator)).Scan(&pending); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: the mutation is not done after %s", what, staleMutationWait)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func joinMonths(ms []values.Month) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return strings.Join(out, ", ")
}
