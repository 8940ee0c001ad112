package pipeline

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/normalize"
)

// batchHandler consumes one validated batch; it returns rows it rejects on
// grounds that need more than the row itself (duplicates) and how many
// accepted rows matched nobody on the roster.
type batchHandler func(typed arrow.RecordBatch) (rejected []schemas.Rejected, unmatched int64, err error)

// readExtract streams an extract through normalisation into handle, keeping
// the row accounting and the quarantine.
func (r *Runner) readExtract(ctx context.Context, run *Run, ex Extract, q *quarantine, handle batchHandler) error {
	stats := SourceStats{Source: ex.Contract.Name, File: ex.Source.Name(), Reasons: map[string]int64{}}
	norm := normalize.New(ex.Contract, run.Period, r.regions, r.mem)
	reject := func(rej []schemas.Rejected) {
		for _, x := range rej {
			stats.Reasons[x.Reason]++
			q.add(ex.Contract.Name, stats.File, x)
		}
		stats.Quarantined += int64(len(rej))
	}
	info, err := ex.Source.Read(ctx, func(raw arrow.RecordBatch) error {
		stats.In += raw.NumRows()
		typed, rej, err := norm.Normalize(raw)
		if err != nil {
			return err
		}
		defer typed.Release()
		reject(rej)
		later, unmatched, err := handle(typed)
		if err != nil {
			return err
		}
		reject(later)
		stats.Accepted += typed.NumRows() - int64(len(later))
		stats.Unmatched += unmatched
		return nil
	})
	stats.Encoding, stats.Extra = info.Encoding, info.ExtraColumns
	if err != nil {
		return err // Read's errors name the extract already
	}
	run.Sources = append(run.Sources, stats)
	return nil
}

// readRoster reads the roster extract into a de-duplicated Roster.
func (r *Runner) readRoster(ctx context.Context, run *Run, ex Extract, q *quarantine) (*join.Roster, []join.DuplicatePerson, error) {
	b := join.NewRosterBuilder(r.mem)
	err := r.readExtract(ctx, run, ex, q, func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		return b.Add(typed), 0, nil
	})
	if err != nil {
		b.Release()
		return nil, nil, err
	}
	roster, err := b.Finish(ctx)
	if err != nil {
		return nil, nil, err
	}
	return roster, b.Duplicates(), nil
}

// joinDepartment joins a person-level department's batches onto the roster
// and accumulates their facts.
func (r *Runner) joinDepartment(p *model.Period, src schemas.Source) batchHandler {
	idCol := src.ColumnIndex("id_number")
	return func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		rows, unmatched := p.Roster.Lookup(typed.Column(idCol).(*array.String), r.mem)
		defer rows.Release()
		if err := p.Facts.Add(src, rows, typed); err != nil {
			return nil, 0, err
		}
		return nil, int64(unmatched), nil
	}
}
