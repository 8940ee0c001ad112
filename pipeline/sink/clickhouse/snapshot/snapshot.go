// Package snapshot lets a reader of the warehouse see every period whole:
// all its tables from one publication, the old one or the new one, never
// some tables swapped and others not.
//
// Publication swaps a period's tables in one after another (ALTER TABLE …
// REPLACE PARTITION, atomic per table only), so a reader that queries
// person_month and then household_year while a re-run of the period is
// being published can see the new person_month beside the old
// household_year. Every swap happens while the run's latest etl_run record
// says publishing: the record is written before the first swap and the
// published record after the last one. A reader therefore reads the
// publication mark (Read) before and after its queries; when no run was
// publishing and the mark is unchanged, no swap happened in between and its
// results are one publication of every period. Otherwise it waits for the
// publication to end and reads again — the optimistic-read pattern of a
// seqlock, needing nothing of the server but that a statement it
// acknowledged is seen by the statements after it.
//
// The mark is order-independent and survives merges of etl_run (a
// ReplacingMergeTree keeps each run's latest record): the runs whose latest
// state is publishing or published, each with the version of that state.
package snapshot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// MarkQuery reads the publication mark: how many runs are publishing now,
// and a hash of every publishing or published run with the version of its
// latest state. Analysts run the same query (README, docs/reliability.md).
const MarkQuery = `SELECT toUInt64(countIf(st = 'publishing')) AS publishing, toString(sum(cityHash64(run_id, v))) AS mark
FROM (SELECT run_id, argMax(status, version) AS st, max(version) AS v FROM etl_run GROUP BY run_id)
WHERE st IN ('publishing', 'published')`

// Mark is the state of the warehouse's publications at one moment.
type Mark struct {
	// Publishing counts the runs whose tables are being swapped in now (or
	// whose process died while swapping: the next connection completes it).
	Publishing uint64
	// Sum changes whenever a publication begins or ends.
	Sum string
}

// ReadMark reads the publication mark.
func ReadMark(ctx context.Context, conn driver.Conn) (Mark, error) {
	var m Mark
	if err := conn.QueryRow(ctx, MarkQuery).Scan(&m.Publishing, &m.Sum); err != nil {
		return Mark{}, fmt.Errorf("reading the publication mark: %w", err)
	}
	return m, nil
}

// Options bound a consistent read.
type Options struct {
	// Wait is how long Read waits, in all, for publications under way to
	// end (default 5m: a publication waits up to the sink's cleanup_timeout,
	// 1m, after its swaps).
	Wait time.Duration
	// Poll is the pause between two looks at the mark (default 200ms).
	Poll time.Duration
}

// ErrBusy is returned when publications kept the read from being
// consistent for longer than Options.Wait.
var ErrBusy = errors.New("a publication was under way for the whole wait")

// Read calls read when no publication is under way, and again whenever a
// publication began or ended while it ran, until one call saw none: that
// call's results are one publication of every period. read must start
// afresh each time (it is called again after an interrupted attempt). It
// returns the number of calls made.
func Read(ctx context.Context, conn driver.Conn, opts Options, read func(context.Context) error) (int, error) {
	if opts.Wait <= 0 {
		opts.Wait = 5 * time.Minute
	}
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
	}
	deadline := time.Now().Add(opts.Wait)
	calls := 0
	for {
		before, err := ReadMark(ctx, conn)
		if err != nil {
			return calls, err
		}
		if before.Publishing == 0 {
			calls++
			if err := read(ctx); err != nil {
				return calls, err
			}
			after, err := ReadMark(ctx, conn)
			if err != nil {
				return calls, err
			}
			if after == before {
				return calls, nil
			}
		}
		if !time.Now().Before(deadline) {
			return calls, fmt.Errorf("reading a consistent snapshot of the warehouse: %w (%s)", ErrBusy, opts.Wait)
		}
		select {
		case <-ctx.Done():
			return calls, fmt.Errorf("reading a consistent snapshot of the warehouse: %w", ctx.Err())
		case <-time.After(opts.Poll):
		}
	}
}
