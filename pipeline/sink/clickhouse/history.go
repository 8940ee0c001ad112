package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"zengshou/transforms/income"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// History reads what the computation of period needs from the published
// months of its year (Y-01..P-1), from December of the year before, and —
// for the facts that outlive the year (deaths, 雨露计划 aid) — from every
// published period before P, of any year.
func (s *Sink) History(ctx context.Context, period values.Month) (*model.History, error) {
	return s.HistoryOf(ctx, period, nil)
}

// HistoryOf is History with the household reads narrowed to the
// households of counties (all when nil): what a per-city run
// (pipeline.Runner.Cities) reads, so that its memory holds its own cities'
// households' history. A household_key is a county's (it is keyed by
// county and 户编号), so nothing of the part's households is left out. The
// person facts are read for the whole province: a person_key is not, and a
// person whose household moved from another city keeps the months of the
// year spent there. December's indicators, the deliveries and row counts
// are the province's either way.
func (s *Sink) HistoryOf(ctx context.Context, period values.Month, counties []string) (*model.History, error) {
	scope := countyScope(counties)
	h := &model.History{
		Surveys:           map[string]model.Survey{},
		PrevYearPerCapita: map[string]int64{}, PrevYearVerifiedPerCapita: map[string]int64{},
		PrevYearIndicators: map[model.IndicatorKey]float64{}, SalesYTD: map[string]int64{},
		Missing: map[values.Month][]string{}, PrevRows: map[string]int64{},
		Villages: map[string]map[string]bool{},
	}
	yearStart := dateLit(values.NewMonth(period.Year(), 1))
	p := dateLit(period)
	steps := []struct {
		what string
		fn   func() error
	}{
		{"person facts history", func() error { return s.personFactsHistory(ctx, h, yearStart, p) }},
		{"department facts history", func() error { return s.householdFactsHistory(ctx, h, period.Year(), yearStart, p, scope) }},
		{"survey history", func() error { return s.surveyHistory(ctx, h, period.Year(), p, scope) }},
		{"last year's incomes", func() error { return s.prevYear(ctx, h, dateLit(values.NewMonth(period.Year()-1, 12)), scope) }},
		{"sales history", func() error { return s.salesHistory(ctx, h, yearStart, p, scope) }},
		{"source deliveries", func() error { return s.deliveries(ctx, h, yearStart, p) }},
		{"previous row counts", func() error { return s.prevRows(ctx, h, p) }},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return nil, fmt.Errorf("reading %s for %s: %w", st.what, period, err)
		}
	}
	return h, nil
}

// countyScope is the condition narrowing a read to counties ("" for all),
// appended to a WHERE. County codes are checked digits: nothing else can
// reach the SQL.
func countyScope(counties []string) string {
	if counties == nil {
		return ""
	}
	quoted := make([]string, 0, len(counties))
	for _, c := range counties {
		if len(c) != 6 || strings.Trim(c, "0123456789") != "" {
			continue
		}
		quoted = append(quoted, "'"+c+"'")
	}
	if len(quoted) == 0 {
		return " AND 0"
	}
	return " AND county_code IN (" + strings.Join(quoted, ", ") + ")"
}

func dateLit(m values.Month) string { return fmt.Sprintf("toDate('%s-01')", m) }

func fen(d decimal.Decimal) int64 { return d.Shift(2).IntPart() }

func (s *Sink) surveyHistory(ctx context.Context, h *model.History, year int, to, scope string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT household_key, max(period),
    argMax(business_income, period), argMax(business_cost, period), argMax(property_income, period),
    argMax(transfer_other, period), argMax(wage_self_reported, period)
FROM household_year WHERE year = %d AND period < %s AND survey_present = 1%s GROUP BY household_key`, year, to, scope))
	if err != nil {
		return err
	}
	defer rows.Close()
	var key string
	var at time.Time
	var d [5]decimal.Decimal
	for rows.Next() {
		if err := rows.Scan(&key, &at, &d[0], &d[1], &d[2], &d[3], &d[4]); err != nil {
			return err
		}
		h.Surveys[key] = model.Survey{Period: values.MonthOf(at), BusinessIncome: fen(d[0]), BusinessCost: fen(d[1]),
			PropertyIncome: fen(d[2]), TransferOther: fen(d[3]), WageSelfReported: fen(d[4])}
	}
	return rows.Err()
}

func (s *Sink) prevYear(ctx context.Context, h *model.History, december, scope string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(
		`SELECT household_key, per_capita_net_income, wage_verified + transfer_dept, household_size
FROM household_year WHERE period = %s%s`, december, scope))
	if err != nil {
		return err
	}
	defer rows.Close()
	var key string
	var perCapita, verified decimal.Decimal
	var size uint16
	for rows.Next() {
		if err := rows.Scan(&key, &perCapita, &verified, &size); err != nil {
			return err
		}
		h.PrevYearPerCapita[key] = fen(perCapita)
		h.PrevYearVerifiedPerCapita[key] = income.DivRound(fen(verified), int64(max(size, 1)))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.prevYearIndicators(ctx, h, december)
}

func (s *Sink) prevYearIndicators(ctx context.Context, h *model.History, december string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(
		`SELECT indicator_code, region_level, region_code, value FROM indicator WHERE period = %s`, december))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k model.IndicatorKey
		var v float64
		if err := rows.Scan(&k.Code, &k.Level, &k.Region, &v); err != nil {
			return err
		}
		h.PrevYearIndicators[k] = v
	}
	return rows.Err()
}

func (s *Sink) salesHistory(ctx context.Context, h *model.History, from, to, scope string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(
		`SELECT county_code, sum(amount) FROM sales_month WHERE period >= %s AND period < %s%s GROUP BY county_code`, from, to, scope))
	if err != nil {
		return err
	}
	defer rows.Close()
	var county string
	var d decimal.Decimal
	for rows.Next() {
		if err := rows.Scan(&county, &d); err != nil {
			return err
		}
		h.SalesYTD[county] = fen(d)
	}
	return rows.Err()
}

// deliveries reads which sources were missing in each published month; a
// month with no published run has no entry (every source counts as missing).
func (s *Sink) deliveries(ctx context.Context, h *model.History, from, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT period, arrayConcat(argMax(missing_sources, version), argMax(empty_sources, version))
FROM etl_run WHERE status = 'published' AND period >= %s AND period < %s GROUP BY period`, from, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	var at time.Time
	for rows.Next() {
		var missing []string
		if err := rows.Scan(&at, &missing); err != nil {
			return err
		}
		h.Missing[values.MonthOf(at)] = missing
	}
	return rows.Err()
}

// prevRows reads the rows read per source by the latest publication of a
// period before p.
func (s *Sink) prevRows(ctx context.Context, h *model.History, p string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT period, sources, rows_in FROM etl_run
WHERE status = 'published' AND period < %s ORDER BY period DESC, version DESC LIMIT 1`, p))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		var sources []string
		var in []uint64
		if err := rows.Scan(&at, &sources, &in); err != nil {
			return err
		}
		h.PrevRowsPeriod = values.MonthOf(at)
		for i, src := range sources {
			h.PrevRows[src] = int64(in[i])
		}
	}
	return rows.Err()
}
