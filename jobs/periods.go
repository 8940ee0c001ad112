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
	if to < from {
		return nil, fmt.Errorf("running periods %s..%s: the range is empty", from, to)
	}
	var runs []*pipeline.Run
	for m := from; m <= to; m++ {
		extracts, err := InboxExtracts(inbox, m, mem)
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
