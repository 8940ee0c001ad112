package jobs

import (
	"context"
	"fmt"

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

// RunPeriods runs each period of from..to in order from the inbox, then
// re-runs the later published periods built on what it replaced (see
// RunPeriodsWith).
func RunPeriods(ctx context.Context, r *pipeline.Runner, inbox string, from, to values.Month, mem memory.Allocator) ([]*pipeline.Run, error) {
	return RunPeriodsWith(ctx, r, inbox, from, to, mem, Options{})
}

// RunPeriodsWith runs each period of from..to in order from the inbox and
// stops at the first failure (later months depend on earlier ones'
// history). When the range re-published periods that later published
// periods were computed from, those later periods are stale: unless
// opts.NoCascade, they are re-run in order from the inbox, across year
// boundaries (a year's months read December of the year before, and deaths
// and 雨露计划 read every earlier period), and their runs are returned after
// the range's. A failed re-run stops the cascade; it and the periods after
// it stay marked stale.
func RunPeriodsWith(ctx context.Context, r *pipeline.Runner, inbox string, from, to values.Month, mem memory.Allocator, opts Options) ([]*pipeline.Run, error) {
	if to < from {
		return nil, fmt.Errorf("running periods %s..%s: the range is empty", from, to)
	}
	var runs []*pipeline.Run
	runOne := func(m values.Month) error {
		extracts, err := InboxExtracts(inbox, m, mem)
		if err != nil {
			return err
		}
		run, err := r.Run(ctx, m, extracts)
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
