package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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
	h := &model.History{
		Persons: map[string]model.PersonYTD{}, Surveys: map[string]model.Survey{},
		PrevYearPerCapita: map[string]int64{}, PrevYearVerifiedPerCapita: map[string]int64{},
		PrevYearIndicators: map[model.IndicatorKey]float64{}, SalesYTD: map[string]int64{},
		YuluEver: map[string]bool{}, DeathDates: map[string]arrow.Date32{},
		Missing: map[values.Month][]string{}, PrevRows: map[string]int64{},
		HouseholdFacts: map[string]map[string]int64{}, Villages: map[string]map[string]bool{},
	}
	yearStart := dateLit(values.NewMonth(period.Year(), 1))
	p := dateLit(period)
	steps := []struct {
		what string
		fn   func() error
	}{
		{"person history", func() error { return s.personHistory(ctx, h, yearStart, p) }},
		{"雨露计划 and death history", func() error { return s.lifeHistory(ctx, h, p) }},
		{"department facts history", func() error { return s.householdFactsHistory(ctx, h, period.Year(), p) }},
		{"survey history", func() error { return s.surveyHistory(ctx, h, period.Year(), p) }},
		{"last year's incomes", func() error { return s.prevYear(ctx, h, dateLit(values.NewMonth(period.Year()-1, 12))) }},
		{"sales history", func() error { return s.salesHistory(ctx, h, yearStart, p) }},
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

func dateLit(m values.Month) string { return fmt.Sprintf("toDate('%s-01')", m) }

func fen(d decimal.Decimal) int64 { return d.Shift(2).IntPart() }

func (s *Sink) personHistory(ctx context.Context, h *model.History, from, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT person_key,
    sum(wage), sum(travel_subsidy), sum(pension), sum(dibao), sum(tekun), sum(temp_relief),
    sum(disability_allowance), sum(disability_care), sum(education_aid), sum(yulu_aid), sum(medical_oop),
    max(employed), max(new_vocational_enrollment), max(student_status = '在读'),
    maxIf(period, employed = 1),
    max(ifNull(graduation_month, toDate('1970-01-01'))),
    argMax(graduation_stage, (ifNull(graduation_month, toDate('1970-01-01')), period)),
    argMax(graduation_destination, (ifNull(graduation_month, toDate('1970-01-01')), period))
FROM person_month WHERE period >= %s AND period < %s GROUP BY person_key`, from, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	var key string
	var d [11]decimal.Decimal
	var employed, vocational, inSchool uint8
	var lastEmployed, graduated time.Time
	var gradStage, gradDestination string
	for rows.Next() {
		if err := rows.Scan(&key, &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7], &d[8], &d[9], &d[10],
			&employed, &vocational, &inSchool, &lastEmployed, &graduated, &gradStage, &gradDestination); err != nil {
			return err
		}
		h.Persons[key] = model.PersonYTD{
			Wage: fen(d[0]), TravelSubsidy: fen(d[1]), Pension: fen(d[2]), Dibao: fen(d[3]), Tekun: fen(d[4]),
			TempRelief: fen(d[5]), Disability: fen(d[6]), DisabilityCare: fen(d[7]), EducationAid: fen(d[8]),
			YuluAid: fen(d[9]), MedicalOutOfPocket: fen(d[10]), Employed: employed == 1, NewVocational: vocational == 1,
			InSchool: inSchool == 1, LastEmployed: monthOrZero(lastEmployed),
			Graduation: model.Graduation{Month: monthOrZero(graduated), Stage: gradStage, Destination: gradDestination},
		}
	}
	return rows.Err()
}

// monthOrZero is the month of a date, or 0 for ClickHouse's empty date.
func monthOrZero(t time.Time) values.Month {
	if t.Year() <= 1970 {
		return 0
	}
	return values.MonthOf(t)
}

// lifeHistory reads, over every published period before P of any year (no
// year bound: these facts outlive the calendar year), who received 雨露计划
// aid and who is registered dead, with the death date of the latest
// registration (person_month carries it into every month after the one the
// registration arrived in; 0 when not recorded, see model.History).
func (s *Sink) lifeHistory(ctx context.Context, h *model.History, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT person_key, max(yulu_aid > 0), max(deceased),
    argMaxIf(assumeNotNull(death_date), period, isNotNull(death_date))
FROM person_month WHERE period < %s AND (yulu_aid > 0 OR deceased = 1) GROUP BY person_key`, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	var key string
	var yulu, deceased uint8
	var death time.Time
	for rows.Next() {
		if err := rows.Scan(&key, &yulu, &deceased, &death); err != nil {
			return err
		}
		if yulu == 1 {
			h.YuluEver[key] = true
		}
		if deceased == 1 {
			h.DeathDates[key] = 0
			if death.Year() > 1970 {
				h.DeathDates[key] = arrow.Date32FromTime(death)
			}
		}
	}
	return rows.Err()
}

func (s *Sink) surveyHistory(ctx context.Context, h *model.History, year int, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT household_key, max(period),
    argMax(business_income, period), argMax(business_cost, period), argMax(property_income, period),
    argMax(transfer_other, period), argMax(wage_self_reported, period)
FROM household_year WHERE year = %d AND period < %s AND survey_present = 1 GROUP BY household_key`, year, to))
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

func (s *Sink) prevYear(ctx context.Context, h *model.History, december string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(
		`SELECT household_key, per_capita_net_income, wage_verified + transfer_dept, household_size
FROM household_year WHERE period = %s`, december))
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

func (s *Sink) salesHistory(ctx context.Context, h *model.History, from, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(
		`SELECT county_code, sum(amount) FROM sales_month WHERE period >= %s AND period < %s GROUP BY county_code`, from, to))
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
