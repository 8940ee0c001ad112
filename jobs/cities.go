package jobs

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/pipeline/sink/parts"
	"zengshou/transforms/values"
)

// RunPart runs period from the deliveries as one part of a per-city run:
// r's sink is a parts.Writer and r.Cities names the part's cities. A part
// writes nothing to the warehouse, so it takes no period lock: the parts
// of a period run side by side, on one machine or many.
func (d Deliveries) RunPart(ctx context.Context, r *pipeline.Runner, m values.Month, mem memory.Allocator) (*pipeline.Run, error) {
	if len(r.Cities) == 0 {
		return nil, fmt.Errorf("running a part of %s: no cities given", m)
	}
	extracts, err := d.Extracts(m, mem)
	if err != nil {
		return nil, err
	}
	return r.RunAs(ctx, pipeline.NewRunID(), m, extracts)
}

// CombinePeriod publishes period from the per-city parts in dirs
// (pipeline.Runner.Combine), under the period's lock like any run of it.
func CombinePeriod(ctx context.Context, r *pipeline.Runner, lk Locking, m values.Month, dirs []string, mem memory.Allocator) (*pipeline.Run, error) {
	id := pipeline.NewRunID()
	lock, err := lk.Locks.Lock(ctx, m, NewHolder(id, lk.Command), lk.Wait)
	if err != nil {
		return r.Refused(ctx, id, m, err), fmt.Errorf("combining period %s: %w", m, err)
	}
	defer lock.Release() //nolint:errcheck // the kernel releases it at exit anyway
	if err := r.Settle(ctx, m, id); err != nil {
		return r.Refused(ctx, id, m, err), fmt.Errorf("combining period %s: %w", m, err)
	}
	var results []pipeline.PartResult
	for _, d := range dirs {
		p, err := parts.Read(d, mem)
		if err != nil {
			return r.Refused(ctx, id, m, err), err
		}
		results = append(results, p)
	}
	return r.Combine(ctx, id, m, results)
}
