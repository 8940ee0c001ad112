// Package model is what the computation of one period reads: the roster and
// its households, this month's department facts and survey rows, and the
// history of the year so far as published in the warehouse. The pipeline
// fills it; income, person_month and indicators are pure functions of it.
package model

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/config"
	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/join"
	"zengshou/transforms/monthly"
	"zengshou/transforms/values"
)

// Survey is a household's household_income row: year-to-date amounts in fen.
type Survey struct {
	// Period is the month of the extract the row came from.
	Period           values.Month
	BusinessIncome   int64
	BusinessCost     int64
	PropertyIncome   int64
	TransferOther    int64
	WageSelfReported int64
}

// PersonYTD is what the warehouse holds for a person over the months of the
// year before the period (person_month summed), in fen.
type PersonYTD struct {
	Wage, TravelSubsidy, Pension                         int64
	Dibao, Tekun, TempRelief, Disability, DisabilityCare int64
	EducationAid, YuluAid, MedicalOutOfPocket            int64
	Employed, NewVocational                              bool
	// InSchool: an education row with 学籍状态 在读 in some month of the year.
	InSchool bool
	// LastEmployed is the latest month of Y-01..P with an employment row
	// 务工就业 or 灵活就业 (0 when none).
	LastEmployed values.Month
	// Graduation is the 毕业 record of the latest 毕业年月 seen in Y-01..P
	// and, among the months that repeat it, of the latest period (zero
	// Month when none).
	Graduation Graduation
}

// Graduation is a person's latest 毕业 education record.
type Graduation struct {
	Month              values.Month
	Stage, Destination string
}

// History is the published state of earlier periods that the period needs.
type History struct {
	// Persons sums person_month over Y-01..P-1, by person_key.
	Persons map[string]PersonYTD
	// Surveys is the latest survey row of the year before P, by household_key.
	Surveys map[string]Survey
	// PrevYearPerCapita is the December per-capita net income of Y-1 in fen,
	// by household_key.
	PrevYearPerCapita map[string]int64
	// PrevYearVerifiedPerCapita is December of Y-1's department-verified
	// per-capita income, (wage_verified + transfer_dept) / household_size, in
	// fen (rounded), by household_key.
	PrevYearVerifiedPerCapita map[string]int64
	// PrevYearIndicators holds December of Y-1's indicator values, keyed by
	// IndicatorKey.
	PrevYearIndicators map[IndicatorKey]float64
	// YuluEver holds the person_keys that received 雨露计划 aid in any
	// published period before P (any year).
	YuluEver map[string]bool
	// DeathDates holds, by person_key, the death date (Date32 days) of the
	// latest death registration in any published period before P, of any
	// year: a person is in it when registered dead before P. The date is 0
	// when that registration's date was not recorded (rows published before
	// migration 0002).
	DeathDates map[string]arrow.Date32
	// SalesYTD sums sales over Y-01..P-1 in fen, by county code.
	SalesYTD map[string]int64
	// Missing lists, per earlier month of the year, the sources that were not
	// delivered (a month never published counts as every source missing).
	Missing map[values.Month][]string
	// HouseholdFacts holds, by household_key, the published values of the
	// declared household facts that persist over the year (PersistYearSum:
	// the latest earlier period's year-to-date value, fen; PersistEverInYear:
	// 1 when true in some earlier period), by column.
	HouseholdFacts map[string]map[string]int64
	// Villages holds, per village fact column, the villages for which it was
	// true in some published period of Y-01..P-1.
	Villages map[string]map[string]bool
	// PrevRows holds the rows read per source by the publication of the
	// latest period before P (PrevRowsPeriod), for the row-count check;
	// empty when no earlier period was published.
	PrevRows       map[string]int64
	PrevRowsPeriod values.Month
}

// IndicatorKey names one indicator row of a period.
type IndicatorKey struct {
	Code, Level, Region string
}

// SalesRow is this period's sales, summed by county, channel and category.
type SalesRow struct {
	County, Channel, Category string
	Amount                    int64
	Rows                      uint32
}

// Period is everything the computation of one reporting month reads.
type Period struct {
	Month   values.Month
	RunID   string
	Params  config.Params
	Year    config.YearParams
	Regions *schemas.Regions

	Roster      *join.Roster
	Households  []join.Household
	HouseholdOf []int32
	// PersonKeys and HouseholdKeys are the pseudonymous keys of roster rows
	// and households, aligned with them.
	PersonKeys    []string
	HouseholdKeys []string

	Facts *monthly.Facts
	// HouseholdFacts and PersonFacts are this period's values of the
	// departments' declared facts of household_year (aligned with
	// Households) and person_month (aligned with the roster rows).
	HouseholdFacts *deptfacts.Facts
	PersonFacts    *deptfacts.Facts
	// Surveys holds this month's survey row per household (nil if none).
	Surveys []*Survey
	Sales   []SalesRow
	// Present lists the sources delivered this month.
	Present []string

	History *History
}

// MonthsElapsed is m, the month number of the period.
func (p *Period) MonthsElapsed() int { return p.Month.Number() }

// EndOfPeriod is the last day of the period.
func (p *Period) EndOfPeriod() time.Time { return p.Month.LastDay() }

// PersonYTD returns the person's year-to-date facts: history plus this month.
func (p *Period) PersonYTD(row int32) PersonYTD {
	h := p.History.Persons[p.PersonKeys[row]]
	f := p.Facts
	y := PersonYTD{
		Wage:               h.Wage + f.Wage[row],
		TravelSubsidy:      h.TravelSubsidy + f.TravelSubsidy[row],
		Pension:            h.Pension + f.Pension[row],
		Dibao:              h.Dibao + f.Dibao[row],
		Tekun:              h.Tekun + f.Tekun[row],
		TempRelief:         h.TempRelief + f.TempRelief[row],
		Disability:         h.Disability + f.Disability[row],
		DisabilityCare:     h.DisabilityCare + f.DisabilityCare[row],
		EducationAid:       h.EducationAid + f.EducationAid[row],
		YuluAid:            h.YuluAid + f.YuluAid[row],
		MedicalOutOfPocket: h.MedicalOutOfPocket + f.MedicalOutOfPocket[row],
		Employed:           h.Employed || f.Employed[row],
		NewVocational:      h.NewVocational || f.NewVocational[row],
		InSchool:           h.InSchool || f.StudentStatus[row] == "在读",
		LastEmployed:       h.LastEmployed,
		Graduation:         h.Graduation,
	}
	if f.Employed[row] {
		y.LastEmployed = p.Month
	}
	if g := f.GraduationMonth[row]; g != 0 && g >= y.Graduation.Month {
		y.Graduation = Graduation{Month: g, Stage: f.GraduationStage[row], Destination: f.GraduationDestination[row]}
	}
	return y
}

// YuluEver reports whether the person received 雨露计划 aid in any period
// up to and including this one.
func (p *Period) YuluEver(row int32) bool {
	return p.Facts.YuluAid[row] > 0 || p.History.YuluEver[p.PersonKeys[row]]
}

// Deceased reports whether the person is registered dead by the end of the
// period: a civil 死亡登记 (死亡日期 ≤ the end of its period) arrived in this
// period or in any earlier published period, of any year. It is the one
// notion of "deceased" every rule, indicator and table uses; "living" is its
// negation.
func (p *Period) Deceased(row int32) bool {
	if p.Facts.Deceased[row] {
		return true
	}
	_, ok := p.History.DeathDates[p.PersonKeys[row]]
	return ok
}

// DeathDate returns the death date of the person's latest registration up to
// the period's end: this month's, else the latest earlier one's. ok is false
// when the person is not registered dead (or the date was not recorded).
func (p *Period) DeathDate(row int32) (arrow.Date32, bool) {
	if p.Facts.Deceased[row] {
		return p.Facts.DeathDay[row], true
	}
	d, ok := p.History.DeathDates[p.PersonKeys[row]]
	return d, ok && d != 0
}

// SourceComplete reports whether src was delivered for every month of the
// year up to and including the period.
func (p *Period) SourceComplete(src string) bool {
	if !contains(p.Present, src) {
		return false
	}
	for m := values.NewMonth(p.Month.Year(), 1); m < p.Month; m++ {
		missing, published := p.History.Missing[m]
		if !published || contains(missing, src) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
