// Package model is what the computation of one period reads: the roster and
// its households, this month's department facts and survey rows, and the
// history of the year so far as published in the warehouse. The pipeline
// fills it; income, person_month and indicators are pure functions of it.
package model

import (
	"time"

	"zengshou/config"
	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/join"
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

// History is the published state of earlier periods that the period needs.
type History struct {
	// PersonYear holds, by person_key, the declared person facts' year to
	// date over Y-01..P-1 as each fact's Persist declares (PersistMonthSum:
	// the sum; PersistEverInYear: 1 when ever true; PersistLastInYear: the
	// latest month true; PersistEverValueInYear: 1 when ever EverValue;
	// PersistLatestInYear: the value of the latest LatestBy).
	PersonYear *FactHistory
	// PersonLife holds, by person_key, over every published period before P
	// of any year: for Ever facts 1 when ever non-zero or true, for
	// PersistLifetime facts the latest non-empty value (a death
	// registration's flag and date: the date is 0 when that registration's
	// date was not recorded, rows published before migration 0002).
	PersonLife *FactHistory
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
	// SalesYTD sums sales over Y-01..P-1 in fen, by county code.
	SalesYTD map[string]int64
	// Missing lists, per earlier month of the year, the sources that were not
	// delivered (a month never published counts as every source missing).
	Missing map[values.Month][]string
	// HouseholdFacts holds, by household_key, the published values of the
	// declared household facts that persist over the year (PersistYearSum:
	// the latest earlier period's year-to-date value, fen; PersistEverInYear:
	// 1 when true in some earlier period), by column.
	HouseholdFacts *FactHistory
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
