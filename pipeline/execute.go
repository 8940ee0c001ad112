package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/internal/crashpoint"
	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/income"
	"zengshou/transforms/indicators"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/privacy"
	"zengshou/transforms/rules"
	"zengshou/transforms/tables"
	"zengshou/transforms/values"
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
	if err := r.replaceDimensions(ctx, run); err != nil {
		return err
	}
	crashpoint.Hit("after-dimension")

	// The history of the period depends on nothing this run reads: the
	// server aggregates it while the client decodes the extracts (two
	// cores: one each), and the run waits for it only before the tables.
	history := r.readHistoryAlongside(ctx, run.Period)
	defer history.stop()

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
	if roster.Len() == 0 {
		roster.Release()
		return ErrRosterEmpty
	}
	defer roster.Release()
	start := time.Now()
	households, householdOf := join.Households(roster)
	run.addStage("households", int64(len(households)), start)
	p := &model.Period{
		Month: run.Period, RunID: run.ID, Params: r.params, Year: yp, Regions: r.regions,
		Roster: roster, Households: households, HouseholdOf: householdOf,
		HouseholdFacts: deptfacts.New(schemas.Departments, schemas.HouseholdYearTable.Name, len(households), run.Period),
		PersonFacts:    deptfacts.New(schemas.Departments, schemas.PersonMonthTable.Name, roster.Len(), run.Period),
		Surveys:        make([]*model.Survey, len(households)),
	}
	keyer, err := privacy.NewKeyer(r.hmacKey)
	if err != nil {
		return fmt.Errorf("pseudonymising: %w", err)
	}
	start = time.Now()
	pseudonymise(p, keyer)
	run.addStage("pseudonymise", int64(len(p.PersonKeys)), start)

	sales := newSalesAgg(r.elsewhere())
	if err := r.readDepartments(ctx, run, p, byName, q, sales); err != nil {
		return err
	}
	p.PersonFacts.Seal()
	p.HouseholdFacts.Seal()
	p.Sales = sales.rows()
	for _, s := range run.Sources {
		if s.In == 0 {
			run.Empty = append(run.Empty, s.Source)
		}
	}
	p.Present = slices.DeleteFunc(run.Present(), func(s string) bool { return slices.Contains(run.Empty, s) })
	sort.Strings(p.Present)

	r.progress("读取历史", 0)
	start = time.Now()
	hist, took, err := history.wait()
	if err != nil {
		return err
	}
	run.Stages = append(run.Stages, StageTime{Stage: "history read", Seconds: took.Seconds()})
	run.addStage("history wait", 0, start)
	p.History = hist
	start = time.Now()
	hist.PersonYear.IndexBy(p.PersonKeys)
	hist.PersonLife.IndexBy(p.PersonKeys)
	run.addStage("history index", int64(len(p.PersonKeys)), start)
	if err := r.checkRowCounts(run, hist); err != nil {
		return err
	}
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
	crashpoint.Hit("before-publish")
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
	in := &indicators.Input{P: p, Incomes: incomes}
	partials := indicators.Measure(in)
	var keep func(level, code string) bool
	if len(r.Cities) > 0 {
		partials, keep = indicators.OfCities(r.regions, partials, r.Cities)
		run.Part = &Part{Cities: r.Cities, Fingerprint: r.fingerprint, Partials: partials, PrevYear: prevYearOfProvince(p.History)}
	}
	rows := indicators.Rollup(in, partials, keep)
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
// key-assistance list, and dim_indicator, dim_rule and dim_reason from the
// code's registries.
func (r *Runner) replaceDimensions(ctx context.Context, run *Run) error {
	dims := []struct {
		table schemas.Table
		build func() (arrow.RecordBatch, error)
	}{
		{schemas.DimCountyTable, func() (arrow.RecordBatch, error) { return tables.DimCounty(r.regions, r.params, r.mem) }},
		{schemas.DimIndicatorTable, func() (arrow.RecordBatch, error) { return tables.DimIndicator(r.mem) }},
		{schemas.DimRuleTable, func() (arrow.RecordBatch, error) { return tables.DimRule(r.mem) }},
		{schemas.DimReasonTable, func() (arrow.RecordBatch, error) { return tables.DimReason(r.mem) }},
	}
	for _, d := range dims {
		rec, err := d.build()
		if err != nil {
			return fmt.Errorf("building %s: %w", d.table.Name, err)
		}
		err = r.sink.ReplaceDimension(ctx, run, d.table, rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// checkRowCounts fails the run when a source's rows read changed by more
// than RowCountChange against the latest published period (a delivery cut
// off mid-file, a month delivered twice), unless AcceptRowCountChange.
func (r *Runner) checkRowCounts(run *Run, hist *model.History) error {
	if r.RowCountChange <= 0 || r.AcceptRowCountChange {
		return nil
	}
	var problems []string
	for _, s := range run.Sources {
		prev, ok := hist.PrevRows[s.Source]
		if !ok || max(prev, s.In) < rowCountFloor {
			continue
		}
		if d, err := schemas.DepartmentByName(s.Source); err == nil && d.Irregular {
			continue
		}
		change := float64(s.In-prev) / float64(prev)
		if change > r.RowCountChange || change < -r.RowCountChange {
			problems = append(problems, fmt.Sprintf("%s: %d rows read, %d in %s (%+.0f%%)", s.Source, s.In, prev, hist.PrevRowsPeriod, 100*change))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("checking row counts: %s changed by more than %.0f%% against the last published period; check the delivery, or re-run with --accept-row-count-change",
		strings.Join(problems, "; "), 100*r.RowCountChange)
}

// pendingHistory is a history read running alongside the extracts.
type pendingHistory struct {
	done   chan struct{}
	hist   *model.History
	err    error
	took   time.Duration
	cancel context.CancelFunc
}

// readHistoryAlongside starts reading the period's history from the sink.
func (r *Runner) readHistoryAlongside(ctx context.Context, period values.Month) *pendingHistory {
	ctx, cancel := context.WithCancel(ctx)
	h := &pendingHistory{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(h.done)
		start := time.Now()
		if scoped, ok := r.sink.(ScopedHistory); ok && len(r.Cities) > 0 {
			h.hist, h.err = scoped.HistoryOf(ctx, period, r.counties())
		} else {
			h.hist, h.err = r.sink.History(ctx, period)
		}
		h.took = time.Since(start)
	}()
	return h
}

// stop cancels the read if it still runs and waits for it to end (a run
// that failed early leaves nothing reading the warehouse behind it).
func (h *pendingHistory) stop() {
	h.cancel()
	<-h.done
}

// wait returns the history read, how long the read itself took, and its
// error.
func (h *pendingHistory) wait() (*model.History, time.Duration, error) {
	<-h.done
	return h.hist, h.took, h.err
}

// readDepartments reads the delivered departments' extracts onto the
// roster, ReadWorkers at a time (each department's rows feed its own
// facts; the quarantine is shared under a lock), and records their
// accounting in registration order whatever order they finish in. The
// first failure, in registration order, stops the others.
func (r *Runner) readDepartments(ctx context.Context, run *Run, p *model.Period, byName map[string]Extract, q *quarantine, sales *salesAgg) error {
	type job struct {
		d      schemas.Department
		ex     Extract
		handle batchHandler
		stage  string
	}
	var jobs []job
	for _, d := range schemas.Departments {
		ex, ok := byName[d.Name]
		if !ok || d.Join == schemas.JoinRoster {
			continue
		}
		handle, stage, err := r.departmentHandler(p, d, sales)
		if err != nil {
			return err
		}
		jobs = append(jobs, job{d, ex, handle, stage})
	}
	workers := r.ReadWorkers
	if workers <= 0 {
		workers = min(2, runtime.GOMAXPROCS(0))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]extractRead, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = r.readOne(ctx, run, jobs[i].ex, q, jobs[i].stage, jobs[i].handle)
				if results[i].err != nil {
					cancel()
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var canceled error
	for _, res := range results {
		switch {
		case res.err == nil:
		case errors.Is(res.err, context.Canceled) && ctx.Err() != nil && canceled == nil:
			canceled = res.err
		case !errors.Is(res.err, context.Canceled):
			return res.err
		}
	}
	if canceled != nil {
		return canceled
	}
	for _, res := range results {
		res.record(run)
	}
	return nil
}
