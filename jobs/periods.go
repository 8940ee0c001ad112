package jobs

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/transforms/values"
)

// RunPeriods runs each period of from..to in order from the inbox and stops
// at the first failure (later months depend on earlier ones' history).
func RunPeriods(ctx context.Context, r *pipeline.Runner, inbox string, from, to values.Month, mem memory.Allocator) ([]*pipeline.Run, error) {
	return runPeriods(ctx, r, from, to, func(m values.Month) ([]pipeline.Extract, error) { return InboxExtracts(inbox, m, mem) })
}

// runPeriods runs from..to in order with the extracts find returns.
func runPeriods(ctx context.Context, r *pipeline.Runner, from, to values.Month, find func(values.Month) ([]pipeline.Extract, error)) ([]*pipeline.Run, error) {
	if to < from {
		return nil, fmt.Errorf("running periods %s..%s: the range is empty", from, to)
	}
	var runs []*pipeline.Run
	for m := from; m <= to; m++ {
		extracts, err := find(m)
		if err != nil {
			return runs, err
		}
		run, err := r.Run(ctx, m, extracts)
		runs = append(runs, run)
		if err != nil {
			return runs, err
		}
	}
	return runs, nil
}
