package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"

	"zengshou/internal/crashpoint"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
	"zengshou/transforms/tables"
	"zengshou/transforms/values"
)

// partTables are the published tables a part hands over, in staging order
// (the quarantine is merged apart: see combineQuarantine).
var partTables = []schemas.Table{schemas.PersonMonthTable, schemas.HouseholdYearTable, schemas.IndicatorTable,
	schemas.SalesMonthTable, schemas.DiscrepancyTable}

// Combine publishes period from the parts of a per-city run (part.go), one
// part per set of cities, every city of the province in exactly one: the
// parts' rows (under this run's ID), the province and group indicator rows
// rolled up from the parts' partials, and the accounting of the delivery
// as one run of the whole province would have recorded it. It is an
// ordinary run of the period otherwise (Begin, staging, Publish): a kill
// mid-way is recovered like any other. Parts that do not fit together (a
// city missing or in two parts, another delivery, period or key) fail the
// run before anything is staged.
func (r *Runner) Combine(ctx context.Context, id string, period values.Month, parts []PartResult) (*Run, error) {
	run := &Run{ID: id, Job: "period", Period: period, Started: time.Now().UTC(), Status: StatusRunning}
	if len(parts) > 0 {
		run.Missing = slices.Clone(parts[0].Run.Missing)
	}
	log := r.logger.With("run_id", run.ID, "period", period.String())
	return r.runWith(ctx, run, log, func() error {
		log.Info("combining per-city parts", "parts", len(parts))
		return r.combine(ctx, run, parts)
	})
}

func (r *Runner) combine(ctx context.Context, run *Run, parts []PartResult) error {
	if err := r.checkParts(run.Period, parts); err != nil {
		return err
	}
	yp, err := r.params.Year(run.Period.Year())
	if err != nil {
		return err
	}
	if err := r.replaceDimensions(ctx, run); err != nil {
		return err
	}
	crashpoint.Hit("after-dimension")
	for _, t := range partTables {
		for _, part := range parts {
			start := time.Now()
			var rows int64
			err := part.Batches(ctx, t, func(rec arrow.RecordBatch) error {
				rows += rec.NumRows()
				own, err := r.withRunID(rec, run.ID)
				if err != nil {
					return fmt.Errorf("combining the part in %s: %s: %w", part.Dir, t.Name, err)
				}
				defer own.Release()
				return r.sink.Stage(ctx, t, own)
			})
			if err != nil {
				return err
			}
			run.addStage("load "+t.Name, rows, start)
		}
	}
	quarantined, reasons, err := r.combineQuarantine(ctx, run, parts)
	if err != nil {
		return err
	}

	var partials [][]indicators.Partial
	prev := map[model.IndicatorKey]float64{}
	for _, part := range parts {
		partials = append(partials, part.Run.Part.Partials)
	}
	for _, v := range parts[0].Run.Part.PrevYear {
		prev[model.IndicatorKey{Code: v.Code, Level: v.Level, Region: v.Region}] = v.Value
	}
	merged, err := indicators.MergePartials(partials)
	if err != nil {
		return err
	}
	p := &model.Period{Month: run.Period, RunID: run.ID, Params: r.params, Year: yp, Regions: r.regions,
		History: &model.History{PrevYearIndicators: prev}}
	rows := indicators.Rollup(&indicators.Input{P: p}, merged, indicators.ProvinceAndGroups)
	if err := r.stage(ctx, run, schemas.IndicatorTable, func() (arrow.RecordBatch, error) {
		return tables.Indicator(p, rows, r.mem)
	}); err != nil {
		return err
	}

	run.Empty = slices.Clone(parts[0].Run.Empty)
	for i, s := range parts[0].Run.Sources {
		whole := SourceStats{Source: s.Source, File: s.File, Encoding: s.Encoding, Extra: s.Extra, In: s.In,
			Quarantined: quarantined[s.Source], Reasons: reasons[s.Source]}
		if whole.Reasons == nil {
			whole.Reasons = map[string]int64{}
		}
		whole.Accepted = whole.In - whole.Quarantined
		// A row accepted by the delivery belongs to at most one part (its
		// person, household or county is in one part's cities).
		var matched int64
		for _, part := range parts {
			ps := part.Run.Sources[i]
			matched += ps.Accepted - ps.Unmatched
		}
		whole.Unmatched = whole.Accepted - matched
		if whole.Unmatched < 0 || whole.Accepted < 0 {
			return fmt.Errorf("accounting %s across the parts: %d rows read, %d quarantined, %d matched by the parts: a row was taken by two parts",
				s.File, whole.In, whole.Quarantined, matched)
		}
		run.Sources = append(run.Sources, whole)
	}
	crashpoint.Hit("before-publish")
	run.Status = StatusPublishing
	start := time.Now()
	defer run.addStage("publish", 0, start)
	return r.sink.Publish(ctx, run)
}

// checkParts refuses parts that do not make up the period's delivery
// together.
func (r *Runner) checkParts(period values.Month, parts []PartResult) error {
	if len(parts) == 0 {
		return fmt.Errorf("combining %s: no part given", period)
	}
	cities := map[string]bool{}
	for _, c := range r.regions.Counties() {
		cities[c.CityCode] = true
	}
	owner := map[string]string{}
	first := parts[0].Run
	for _, part := range parts {
		run := part.Run
		if run.Period != period {
			return fmt.Errorf("combining %s: the part in %s is of %s", period, part.Dir, run.Period)
		}
		if run.Part.Fingerprint != r.fingerprint {
			return fmt.Errorf("combining %s: the part in %s was computed with another pseudonymisation key (fingerprint %s, this run's %s)",
				period, part.Dir, run.Part.Fingerprint, r.fingerprint)
		}
		for _, c := range run.Part.Cities {
			if !cities[c] {
				return fmt.Errorf("combining %s: the part in %s names city %s, not a city of regions.csv", period, part.Dir, c)
			}
			if o, dup := owner[c]; dup {
				return fmt.Errorf("combining %s: city %s (%s) is in two parts, %s and %s", period, c, r.regions.CityName(c), o, part.Dir)
			}
			owner[c] = part.Dir
		}
		if !slices.Equal(run.Missing, first.Missing) || !slices.Equal(run.Empty, first.Empty) || len(run.Sources) != len(first.Sources) {
			return fmt.Errorf("combining %s: the parts in %s and %s read different deliveries (sources missing or empty differ)", period, parts[0].Dir, part.Dir)
		}
		for i, s := range run.Sources {
			f := first.Sources[i]
			if s.Source != f.Source || s.File != f.File || s.In != f.In {
				return fmt.Errorf("combining %s: the parts in %s and %s read different deliveries (%s: %s, %d rows; %s, %d rows)",
					period, parts[0].Dir, part.Dir, f.Source, f.File, f.In, s.File, s.In)
			}
		}
	}
	var missing []string
	for c := range cities {
		if _, ok := owner[c]; !ok {
			missing = append(missing, c+" "+r.regions.CityName(c))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("combining %s: no part holds %s; run them (zengshou run --cities) before combining", period, strings.Join(missing, ", "))
	}
	return nil
}

// combineQuarantine stages the parts' quarantine rows once each: every part
// read the whole delivery, so a row rejected on its own grounds (a bad ID,
// a ragged line) is in every part, identical but for run_id; a roster row
// rejected as a duplicate is in one part only. It returns the rows staged
// by source and by source and reason.
func (r *Runner) combineQuarantine(ctx context.Context, run *Run, parts []PartResult) (map[string]int64, map[string]map[string]int64, error) {
	t := schemas.QuarantineTable
	seen := map[string]bool{}
	bySource := map[string]int64{}
	byReason := map[string]map[string]int64{}
	start := time.Now()
	var staged int64
	for _, part := range parts {
		err := part.Batches(ctx, t, func(rec arrow.RecordBatch) error {
			col := func(name string) int { return rec.Schema().FieldIndices(name)[0] }
			source := rec.Column(col("source")).(*array.String)
			reason := rec.Column(col("reason_code")).(*array.String)
			runCol := col("run_id")
			mask := array.NewBooleanBuilder(r.mem)
			defer mask.Release()
			var key strings.Builder
			for i := 0; i < int(rec.NumRows()); i++ {
				key.Reset()
				for c := 0; c < int(rec.NumCols()); c++ {
					if c != runCol {
						key.WriteString(rec.Column(c).ValueStr(i))
						key.WriteByte(0)
					}
				}
				k := key.String()
				if seen[k] {
					mask.Append(false)
					continue
				}
				seen[k] = true
				mask.Append(true)
				// The batch's strings die with it: the maps keep copies.
				s, rc := strings.Clone(source.Value(i)), strings.Clone(reason.Value(i))
				bySource[s]++
				if byReason[s] == nil {
					byReason[s] = map[string]int64{}
				}
				byReason[s][rc]++
			}
			m := mask.NewArray()
			defer m.Release()
			kept, err := compute.FilterRecordBatch(compute.WithAllocator(ctx, r.mem), rec, m, compute.DefaultFilterOptions())
			if err != nil {
				return fmt.Errorf("combining the part in %s: quarantine: %w", part.Dir, err)
			}
			defer kept.Release()
			if kept.NumRows() == 0 {
				return nil
			}
			own, err := r.withRunID(kept, run.ID)
			if err != nil {
				return fmt.Errorf("combining the part in %s: quarantine: %w", part.Dir, err)
			}
			defer own.Release()
			staged += own.NumRows()
			return r.sink.Stage(ctx, t, own)
		})
		if err != nil {
			return nil, nil, err
		}
	}
	run.addStage("load "+t.Name, staged, start)
	return bySource, byReason, nil
}

// withRunID returns rec with its run_id column set to id throughout.
func (r *Runner) withRunID(rec arrow.RecordBatch, id string) (arrow.RecordBatch, error) {
	idx := rec.Schema().FieldIndices("run_id")
	if len(idx) != 1 {
		return nil, fmt.Errorf("no run_id column")
	}
	b := array.NewStringBuilder(r.mem)
	defer b.Release()
	b.Reserve(int(rec.NumRows()))
	for i := 0; i < int(rec.NumRows()); i++ {
		b.Append(id)
	}
	col := b.NewArray()
	defer col.Release()
	cols := slices.Clone(rec.Columns())
	cols[idx[0]] = col
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()), nil
}
