package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/transforms/values"
)

// Options tune RunPeriodsWith.
type Options struct {
	// NoCascade leaves the published periods after the range that the
	// range's publications made stale marked stale (indicator.stale,
	// stale_period) instead of re-running them.
	NoCascade bool
}

// Locking says how a job takes period locks.
type Locking struct {
	// Locks are the data directory's period locks.
	Locks *Locks
	// Wait is how long to wait for a period another process holds; 0
	// returns its *HeldError at once.
	Wait time.Duration
	// Command names the job in the lock file, e.g. "zengshou run".
	Command string
}

// RunPeriods runs each period of from..to in order from the inbox, each
// under its period lock (RunPeriod), then re-runs the later published
// periods built on what it replaced (see RunPeriodsWith).
func RunPeriods(ctx context.Context, r *pipeline.Runner, lk Locking, inbox string, from, to values.Month, mem memory.Allocator) ([]*pipeline.Run, error) {
	return RunPeriodsWith(ctx, r, lk, inbox, from, to, mem, Options{})
}

// RunPeriodsWith runs each period of from..to in order from the inbox, each
// under its period lock (RunPeriod), and stops at the first failure (later
// months depend on earlier ones' history). When the range re-published
// periods that later published periods were computed from, those later
// periods are stale: unless opts.NoCascade, they are re-run in order from
// the inbox, across year boundaries (a year's months read December of the
// year before, and deaths and 雨露计划 read every earlier period), and their
// runs are returned after the range's. A failed re-run stops the cascade;
// it and the periods after it stay marked stale.
func RunPeriodsWith(ctx context.Context, r *pipeline.Runner, lk Locking, inbox string, from, to values.Month, mem memory.Allocator, opts Options) ([]*pipeline.Run, error) {
	return runPeriodsWith(ctx, r, lk, from, to, opts, inboxFinder(inbox, mem))
}

// ExtractFinder finds the extracts delivered for a period (the inbox's
// files, a department database's tables).
type ExtractFinder func(values.Month) ([]pipeline.Extract, error)

// inboxFinder finds a period's extracts in the inbox (InboxExtracts).
func inboxFinder(inbox string, mem memory.Allocator) ExtractFinder {
	return func(m values.Month) ([]pipeline.Extract, error) { return InboxExtracts(inbox, m, mem) }
}

// runPeriodsWith is RunPeriodsWith with the extracts find returns.
func runPeriodsWith(ctx context.Context, r *pipeline.Runner, lk Locking, from, to values.Month, opts Options, find ExtractFinder) ([]*pipeline.Run, error) {
	if to < from {
		return nil, fmt.Errorf("running periods %s..%s: the range is empty", from, to)
	}
	var runs []*pipeline.Run
	runOne := func(m values.Month) error {
		run, err := runPeriod(ctx, r, lk, m, find)
		runs = append(runs, run)
		return err
	}
	for m := from; m <= to; m++ {
		if err := runOne(m); err != nil {
			return runs, err
		}
	}
	if opts.NoCascade {
		return runs, nil
	}
	for _, m := range runs[len(runs)-1].Stale {
		if m <= to {
			continue // stale before this run; re-running it would not be a cascade
		}
		if err := runOne(m); err != nil {
			return runs, fmt.Errorf("re-running the published periods after %s: %w", to, err)
		}
	}
	return runs, nil
}

// RunPeriod runs one period from the inbox holding the period's lock:
//
//  1. it takes the lock (waiting up to lk.Wait); when another process holds
//     it, the attempt is recorded as failed and the *HeldError returned;
//  2. it settles runs of the period that dead processes left (a run left
//     publishing is completed, one left running is marked failed);
//  3. it reads the inbox — a folder that cannot be read (a misnamed file,
//     a form that cannot be read, a source delivered twice) is recorded as a
//     failed run;
//  4. it runs the period, and lets go of the lock.
//
// Every attempt thus leaves a row in etl_run.
func RunPeriod(ctx context.Context, r *pipeline.Runner, lk Locking, inbox string, m values.Month, mem memory.Allocator) (*pipeline.Run, error) {
	return runPeriod(ctx, r, lk, m, inboxFinder(inbox, mem))
}

// runPeriod is RunPeriod with the extracts find returns.
func runPeriod(ctx context.Context, r *pipeline.Runner, lk Locking, m values.Month, find ExtractFinder) (*pipeline.Run, error) {
	id := pipeline.NewRunID()
	lock, err := lk.Locks.Lock(ctx, m, NewHolder(id, lk.Command), lk.Wait)
	if err != nil {
		run := r.Refused(ctx, id, m, err)
		var held *HeldError
		if errors.As(err, &held) {
			return run, err
		}
		return run, fmt.Errorf("running period %s: %w", m, err)
	}
	defer lock.Release() //nolint:errcheck // the kernel releases it at exit anyway
	if err := r.Settle(ctx, m, id); err != nil {
		return r.Refused(ctx, id, m, err), fmt.Errorf("running period %s: %w", m, err)
	}
	extracts, err := find(m)
	if err != nil {
		return r.Refused(ctx, id, m, err), err
	}
	return r.RunAs(ctx, id, m, extracts)
}

// TryPeriod takes a period's lock for recovery if no live process holds it
// (clickhouse.PeriodGuard): the sink's Connect settles and repairs only
// periods it could lock.
func (g Guard) TryPeriod(period values.Month) (release func(), ok bool, err error) {
	lock, err := g.Locks.TryLock(period, NewHolder("", g.Command))
	var held *HeldError
	if errors.As(err, &held) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return func() { lock.Release() }, true, nil //nolint:errcheck // recovery is done either way
}

// Guard lends the period locks to the warehouse's recovery.
type Guard struct {
	Locks   *Locks
	Command string
}
