package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/indicators"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/monthly"
	"zengshou/transforms/privacy"
	"zengshou/transforms/rules"
	"zengshou/transforms/tables"
)

// execute does the work of a run between Begin and Publish.
func (r *Runner) execute(ctx context.Context, run *Run, extracts []Extract, log *slog.Logger) error {
	yp, err := r.params.Year(run.Period.Year())
	if err != nil {
		return err
	}
	if err := r.checkDelivery(ctx, run); err != nil {
		return err
	}
	q := newQuarantine(run, r.mem)
	defer q.release()
	if err := r.replaceDimensions(ctx); err != nil {
		return err
	}

	byName := map[string]Extract{}
	for _, ex := range extracts {
		byName[ex.Contract.Name] = ex
	}
	rosterEx, ok := byName[schemas.Roster]
	if !ok {
		return ErrRosterMissing
	}
	roster, dups, err := r.readRoster(ctx, run, rosterEx, q)
	if err != nil {
		return err
	}
	defer roster.Release()
	start := time.Now()
	households, householdOf := join.Households(roster)
	run.addStage("households", int64(len(households)), start)
	p := &model.Period{
		Month: run.Period, RunID: run.ID, Params: r.params, Year: yp, Regions: r.regions,
		Roster: roster, Households: households, HouseholdOf: householdOf,
		Facts:   monthly.New(roster.Len(), run.Period),
		Surveys: make([]*model.Survey, len(households)),
	}
	keyer, err := privacy.NewKeyer(r.hmacKey)
	if err != nil {
		return fmt.Errorf("pseudonymising: %w", err)
	}
	start = time.Now()
	pseudonymise(p, keyer)
	run.addStage("pseudonymise", int64(len(p.PersonKeys)), start)

	sales := newSalesAgg()
	for _, src := range schemas.Sources {
		ex, ok := byName[src.Name]
		if !ok || src.Name == schemas.Roster {
			continue
		}
		var handle batchHandler
		stage := "join " + src.Name
		switch {
		case src.PersonLevel:
			handle = r.joinDepartment(p, src)
		case src.Name == schemas.HouseholdIncome:
			handle, stage = surveyHandler(p), "survey "+src.Name
		case src.Name == schemas.Sales:
			handle, stage = sales.add, "aggregate "+src.Name
		default:
			return fmt.Errorf("reading %s: no handler for source", src.Name)
		}
		if err := r.readExtract(ctx, run, ex, q, stage, handle); err != nil {
			return err
		}
	}
	p.Sales = sales.rows()
	p.Present = run.Present()
	sort.Strings(p.Present)

	r.progress("读取历史", 0)
	start = time.Now()
	hist, err := r.sink.History(ctx, run.Period)
	if err != nil {
		return err
	}
	run.addStage("history read", 0, start)
	p.History = hist
	if err := r.stageAll(ctx, run, p, q, dups, keyer); err != nil {
		return err
	}
	for _, s := range run.Sources {
		if s.In != s.Accepted+s.Quarantined {
			return fmt.Errorf("accounting %s: %d rows read ≠ %d accepted + %d quarantined", s.File, s.In, s.Accepted, s.Quarantined)
		}
		log.Info("extract accounted", "source", s.Source, "file", s.File, "encoding", s.Encoding,
			"in", s.In, "accepted", s.Accepted, "quarantined", s.Quarantined, "unmatched", s.Unmatched, "extra_columns", s.Extra)
	}
	run.Status = StatusPublishing
	r.progress("发布", 0)
	start = time.Now()
	// The publication's own time is recorded after it: etl_run is written
	// by Publish, so "publish" is in the stats, not in etl_run.
	defer run.addStage("publish", 0, start)
	return r.sink.Publish(ctx, run)
}

// checkDelivery refuses to replace a publication of the period that read a
// source this delivery lacks, unless AllowMissing is set.
func (r *Runner) checkDelivery(ctx context.Context, run *Run) error {
	if r.AllowMissing || len(run.Missing) == 0 {
		return nil
	}
	pub, err := r.sink.Publication(ctx, run.Period)
	if err != nil || pub == nil {
		return err
	}
	had := map[string]bool{}
	for _, s := range pub.Sources {
		had[s] = true
	}
	var lacking []string
	for _, s := range run.Missing {
		if had[s] {
			lacking = append(lacking, s)
		}
	}
	if len(lacking) == 0 {
		return nil
	}
	return &MissingSourcesError{Period: run.Period, RunID: pub.RunID, Sources: lacking}
}

// stageAll computes the period and stages every published table.
func (r *Runner) stageAll(ctx context.Context, run *Run, p *model.Period, q *quarantine, dups []join.DuplicatePerson, keyer *privacy.Keyer) error {
	r.progress("计算收入", int64(len(p.Households)))
	start := time.Now()
	incomes := income.Compute(p)
	run.addStage("income", int64(len(p.Households)), start)
	chunk := max(r.ChunkHouseholds, 1)
	for from := 0; from < len(p.Households); from += chunk {
		to := min(from+chunk, len(p.Households))
		r.progress("写入明细 (户)", int64(from))
		if err := r.stage(ctx, run, schemas.PersonMonthTable, func() (arrow.RecordBatch, error) {
			return tables.PersonMonth(p, from, to, r.mem)
		}); err != nil {
			return err
		}
		if err := r.stage(ctx, run, schemas.HouseholdYearTable, func() (arrow.RecordBatch, error) {
			return tables.HouseholdYear(p, incomes[from:to], r.mem)
		}); err != nil {
			return err
		}
	}
	r.progress("计算指标", 0)
	start = time.Now()
	rows := indicators.Compute(&indicators.Input{P: p, Incomes: incomes})
	run.addStage("indicators", int64(len(rows)), start)
	if err := r.stage(ctx, run, schemas.IndicatorTable, func() (arrow.RecordBatch, error) {
		return tables.Indicator(p, rows, r.mem)
	}); err != nil {
		return err
	}
	if err := r.stage(ctx, run, schemas.SalesMonthTable, func() (arrow.RecordBatch, error) {
		return tables.SalesMonth(p, r.mem)
	}); err != nil {
		return err
	}
	r.progress("比对规则", 0)
	start = time.Now()
	findings := rules.Evaluate(&rules.Input{
		P: p, Incomes: incomes, Duplicates: dups,
		HouseholdKey: keyer.HouseholdKey, PersonKey: keyer.PersonKey,
	})
	run.addStage("rules", int64(len(findings)), start)
	if err := r.stage(ctx, run, schemas.DiscrepancyTable, func() (arrow.RecordBatch, error) {
		return tables.Discrepancy(p, findings, r.mem)
	}); err != nil {
		return err
	}
	return r.stage(ctx, run, schemas.QuarantineTable, q.finish)
}

// stage builds a batch of table t and stages it, timing the two as the
// stages "build <table>" and "load <table>".
func (r *Runner) stage(ctx context.Context, run *Run, t schemas.Table, build func() (arrow.RecordBatch, error)) error {
	start := time.Now()
	rec, err := build()
	if err != nil {
		return fmt.Errorf("building %s: %w", t.Name, err)
	}
	defer rec.Release()
	run.addStage("build "+t.Name, rec.NumRows(), start)
	if rec.NumRows() == 0 {
		return nil
	}
	start = time.Now()
	defer run.addStage("load "+t.Name, rec.NumRows(), start)
	return r.sink.Stage(ctx, t, rec)
}

// pseudonymise computes the person and household keys.
func pseudonymise(p *model.Period, k *privacy.Keyer) {
	ids := p.Roster.Rec.Column(rosterSource.ColumnIndex("id_number")).(*array.String)
	p.PersonKeys = make([]string, ids.Len())
	for i := range p.PersonKeys {
		p.PersonKeys[i] = k.PersonKey(ids.Value(i))
	}
	p.HouseholdKeys = make([]string, len(p.Households))
	for h, hh := range p.Households {
		p.HouseholdKeys[h] = k.HouseholdKey(hh.County, hh.No)
	}
}

var rosterSource, _ = schemas.SourceByName(schemas.Roster)

// replaceDimensions refreshes dim_county from regions.csv and the configured
// key-assistance list.
func (r *Runner) replaceDimensions(ctx context.Context) error {
	rec, err := tables.DimCounty(r.regions, r.params, r.mem)
	if err != nil {
		return fmt.Errorf("building dim_county: %w", err)
	}
	defer rec.Release()
	return r.sink.ReplaceDimension(ctx, schemas.DimCountyTable, rec)
}
