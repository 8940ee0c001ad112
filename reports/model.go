package reports

import (
	"github.com/shopspring/decimal"

	"zengshou/transforms/values"
)

// Report is everything a monthly or quarterly report shows, read from the
// warehouse by load and rendered to HTML, XLSX and the summary text.
type Report struct {
	Kind Kind
	// Period is the report's last month (the quarter's last month for a
	// quarterly report); First is its first month (Period for a monthly
	// report).
	Period, First values.Month
	// Title is the report's Chinese title, Label its period ("2025年12月",
	// "2025年第4季度").
	Title, Label string
	// Prev and PrevYear are the comparison periods (the previous month or
	// quarter, the same period a year earlier); their labels are empty when
	// the warehouse has no published data for them.
	Prev, PrevYear           values.Month
	PrevLabel, PrevYearLabel string
	HasPrev, HasPrevYear     bool
	// Months are the published months of the year up to Period (the trend).
	Months []values.Month
	// Targets are the headline targets with progress, first the plan's six.
	Targets []TargetRow
	// Trend holds, per headline code, the province value of each of Months
	// (nil where a month has no row).
	Trend map[string][]*float64
	// Cities and Counties are ranked best first.
	Cities, Counties []RankRow
	// Structure is the income structure of the province, the groups, each
	// city and each key county.
	Structure []StructureRow
	// Growth is PER_CAPITA_INCOME_GROWTH of the province and the groups.
	Growth []GrowthRow
	// Rules counts findings by rule; CityFindings by city.
	Rules        []RuleCount
	CityFindings []CityCount
	// Ledger is one row per finding of Period (数据比对台账).
	Ledger []LedgerRow
	// Actions is one row per household that needs action (一户一策清单).
	Actions []ActionRow
	// Quarter is the month-by-month breakdown of a quarterly report's
	// months (empty for a monthly report), QuarterTotal its sums.
	Quarter      []QuarterMonth
	QuarterTotal QuarterMonth
	// Completeness is the data-completeness box.
	Completeness Completeness
	// SourceRuns are the run_id of each month the report reads, in order.
	SourceRuns []string
	// Summary is the few lines for a message to leaders.
	Summary []string
}

// TargetRow is one province-level indicator against its target.
type TargetRow struct {
	Code, Title, Unit string
	Value             float64
	Target            *float64
	Complete          bool
	// NoBase marks a ratio with nobody to count (denominator 0); it has no
	// progress and is not lagging.
	NoBase bool
	// Cumulative targets (persons, sales) are judged against the linear
	// path through the year (序时进度): Linear = Target × months / 12.
	Cumulative bool
	Linear     *float64
	// Progress is Value / Target; Gap is Value − Linear for a cumulative
	// target and Value − Target otherwise (nil without a target).
	Progress, Gap *float64
	// Prev and PrevYear are the values of the comparison periods.
	Prev, PrevYear *float64
	// Lagging marks a target behind its linear path or below its ratio.
	Lagging bool
}

// RankRow is one city or county in the ranking (考核排名).
type RankRow struct {
	Rank                   int
	Code, Name, CityName   string
	KeyCounty              bool
	IncomeRatio, Target    *float64
	PerCapita, ShareAbove  *float64
	Employed, ZeroEmployed float64
	Sales                  float64
	HighFindings           uint64
	PrevRank               int // 0 when the previous period has no rank
	BelowTarget, Bottom    bool
}

// Lagging reports whether the region is marked in the ranking.
func (r RankRow) Lagging() bool { return r.BelowTarget || r.Bottom }

// StructureRow is the year-to-date income structure of one population,
// per capita and annualized (Σ / Σ household_size × 12 / m).
type StructureRow struct {
	Group, Name        string
	Households         uint64
	Persons            uint64
	Wage, Business     decimal.Decimal // per capita, annualized, yuan (2 places)
	Property, Transfer decimal.Decimal
	Net                decimal.Decimal
}

// Share returns part / Net, 0 when Net is 0.
func (s StructureRow) Share(part decimal.Decimal) float64 {
	if s.Net.IsZero() {
		return 0
	}
	f, _ := part.Div(s.Net).Float64()
	return f
}

// GrowthRow is the per-capita income growth of a population against the
// province (the plan's relational targets).
type GrowthRow struct {
	Code, Name string
	Growth     float64
	Province   *float64
	// Meets is nil for the province itself.
	Meets *bool
	Rule  string
}

// RuleCount counts the findings of one rule in the period and the
// comparison periods.
type RuleCount struct {
	Code, Name, Severity  string
	Count, Prev, PrevYear uint64
}

// CityCount counts findings by severity in one city.
type CityCount struct {
	Code, Name              string
	High, Medium, Low, Prev uint64
}

// Total returns the city's findings of the period.
func (c CityCount) Total() uint64 { return c.High + c.Medium + c.Low }

// Person is the masked identity of a finding's person or household head.
type Person struct {
	Village, IDMasked, NameMasked string
}

// LedgerRow is one finding (数据比对台账).
type LedgerRow struct {
	CountyCode, County, CityName string
	Person
	Rule, RuleName, Severity, Detail string
}

// ActionRow is one household of the 一户一策 list.
type ActionRow struct {
	CountyCode, County string
	Person
	HouseholdType                       string
	HouseholdSize                       uint16
	PerCapita                           decimal.Decimal // annualized
	Wage, Business, Property, Transfer  decimal.Decimal // year to date, household
	Below10K, BelowLine, ZeroEmployment bool
	// Rules are the reasons the household is listed: BELOW_10K,
	// BELOW_MONITORING_LINE and every rule that fired for it in the period.
	Rules    []string
	Measures []string
}

// Completeness is the data-completeness box.
type Completeness struct {
	// Missing lists, per month of the year up to Period, the sources not
	// delivered (only months with a missing source).
	Missing []MissingMonth
	// Quarantine counts the quarantined rows of the report's months.
	Quarantine []QuarantineCount
	// RowsIn is the number of extract rows read in the report's months.
	RowsIn uint64
	// Incomplete lists the province indicators with complete = 0.
	Incomplete []string
	// Unpublished lists months of the year up to Period with no data.
	Unpublished []values.Month
}

// MissingMonth is a month with sources not delivered.
type MissingMonth struct {
	Month   values.Month
	Sources []string
}

// QuarantineCount counts quarantined rows of one source and reason.
type QuarantineCount struct {
	Source, Reason string
	Count          uint64
}

// QuarterMonth is one month of a quarterly report: what happened in the
// month itself (sales, findings, quarantined rows) and the year-to-date
// employment at its end.
type QuarterMonth struct {
	Month values.Month
	// Published is false for a month of the quarter without data.
	Published bool
	// Sales is HELP_SALES of the month alone (the year-to-date difference).
	Sales float64
	// Employed and Vocational are year to date at the month's end.
	Employed, Vocational float64
	// Findings counts the month's findings, High the high-severity ones.
	Findings, High uint64
	Quarantined    uint64
	Missing        []string
}
