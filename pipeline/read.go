package pipeline

import (
	"context"
	"time"

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
// the row accounting and the quarantine. Its time is recorded as three
// stages: "decode <source>" (waiting for the source to read and split the file;
// a CSV source does that on its own goroutine, ahead of normalising), "normalise
// <source>" and handleStage (what handle does with the rows).
func (r *Runner) readExtract(ctx context.Context, run *Run, ex Extract, q *quarantine, handleStage string, handle batchHandler) error {
	res := r.readOne(ctx, run, ex, q, handleStage, handle)
	if res.err != nil {
		return res.err
	}
	res.record(run)
	return nil
}

// extractRead is what reading one extract gave: its accounting and stage
// times, or why it failed.
type extractRead struct {
	stats  SourceStats
	stages []StageTime
	err    error
}

// record appends the read's accounting and stages to the run.
func (x extractRead) record(run *Run) {
	run.Sources = append(run.Sources, x.stats)
	run.Stages = append(run.Stages, x.stages...)
}

// readOne reads one extract (readExtract) without touching the run's
// accounting, so that several can be read at once; q is safe for that.
func (r *Runner) readOne(ctx context.Context, run *Run, ex Extract, q *quarantine, handleStage string, handle batchHandler) extractRead {
	start := time.Now()
	var inNorm, inHandle time.Duration
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
		r.progress("读取 "+ex.Contract.Name, stats.In)
		t0 := time.Now()
		typed, rej, err := norm.Normalize(raw)
		t1 := time.Now()
		inNorm += t1.Sub(t0)
		if err != nil {
			return err
		}
		defer typed.Release()
		reject(rej)
		later, unmatched, err := handle(typed)
		inHandle += time.Since(t1)
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
		return extractRead{err: err} // Read's errors name the extract already
	}
	total := time.Since(start)
	return extractRead{stats: stats, stages: []StageTime{
		{Stage: "decode " + ex.Contract.Name, Rows: stats.In, Seconds: (total - inNorm - inHandle).Seconds()},
		{Stage: "normalise " + ex.Contract.Name, Rows: stats.In, Seconds: inNorm.Seconds()},
		{Stage: handleStage, Rows: stats.In, Seconds: inHandle.Seconds()}}}
}

// readRoster reads the roster extract into a de-duplicated Roster.
func (r *Runner) readRoster(ctx context.Context, run *Run, ex Extract, q *quarantine) (*join.Roster, []join.DuplicatePerson, error) {
	b := join.NewRosterBuilder(r.mem)
	b.Elsewhere = r.elsewhere()
	err := r.readExtract(ctx, run, ex, q, "roster add", func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		// A per-city run's rows of other cities are accepted and unmatched.
		before := b.ElsewhereRows()
		rejected := b.Add(typed)
		return rejected, b.ElsewhereRows() - before, nil
	})
	if err != nil {
		b.Release()
		return nil, nil, err
	}
	start := time.Now()
	roster, err := b.Finish(ctx)
	if err != nil {
		return nil, nil, err
	}
	run.addStage("roster finish", int64(roster.Len()), start)
	return roster, b.Duplicates(), nil
}

// joinDepartment joins a person-level department's batches onto the roster
// and accumulates their facts.
func (r *Runner) joinDepartment(p *model.Period, d schemas.Department) batchHandler {
	idCol := d.ColumnIndex("id_number")
	return func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		rows, unmatched := p.Roster.Lookup(typed.Column(idCol).(*array.String), r.mem)
		defer rows.Release()
		targets := make([]int32, rows.Len())
		for i := range targets {
			targets[i] = -1
			if !rows.IsNull(i) {
				targets[i] = rows.Value(i)
			}
		}
		if err := p.PersonFacts.Add(d, typed, targets, nil); err != nil {
			return nil, 0, err
		}
		return nil, int64(unmatched), nil
	}
}
