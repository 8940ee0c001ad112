package rules

import (
	"fmt"
	"slices"

	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// householdFinding is a finding about household h: no person key.
func householdFinding(p *model.Period, h int, detail string) Finding {
	return Finding{County: p.Households[h].County, HouseholdKey: p.HouseholdKeys[h], Detail: detail}
}

// personFinding is a finding about roster row m of household h.
func personFinding(p *model.Period, h int, m int32, detail string) Finding {
	return Finding{County: p.Households[h].County, HouseholdKey: p.HouseholdKeys[h], PersonKey: p.PersonKeys[m], Detail: detail}
}

// householdType is 户类型 of the household's 户主 row (else its first
// member), which speaks for the household (domain.md).
func householdType(p *model.Period, hh join.Household) string {
	return p.RosterString("household_type", hh.Head)
}

// yuan renders fen as yuan with two decimals.
func yuan(fen int64) string { return values.FormatFen(fen) }

// annualized is amount (fen, year to date) per person per year, rounded
// half away from zero: amount × 12 / (size × m). For display only; rules
// compare exactly with belowAnnual and friends.
func annualized(amount int64, inc income.Household) int64 {
	return income.DivRound(amount*12, inc.Size*inc.Months)
}

// belowAnnual reports whether amount (fen, year to date), annualized per
// person, is below lineYuan (whole yuan per person per year), exactly:
// amount × 12 < line × size × m.
func belowAnnual(amount int64, inc income.Household, lineYuan int64) bool {
	return amount*12 < lineYuan*100*inc.Size*inc.Months
}

// yearToDate names the months Y-01..P, e.g. "2025-01 至 2025-06".
func yearToDate(p *model.Period) string {
	return fmt.Sprintf("%s 至 %s", values.NewMonth(p.Month.Year(), 1), p.Month)
}

// noSurveyNote qualifies an income figure computed without any household
// survey row this year: it holds department data only.
func noSurveyNote(inc income.Household) string {
	if inc.SurveyPresent {
		return ""
	}
	return "; 本年尚无家庭收入采集记录, 收入仅含部门数据"
}

// delivered reports whether the source was delivered this period.
func delivered(p *model.Period, src string) bool {
	return slices.Contains(p.Present, src)
}

// laborMembers counts the household's roster members with labour (has_labor).
func laborMembers(p *model.Period, hh join.Household) int {
	n := 0
	for _, m := range hh.Members {
		if model.HasLabor(p.RosterString("labor_capacity", m)) {
			n++
		}
	}
	return n
}

// anyEmployed reports whether some member was employed in Y-01..P.
func anyEmployed(p *model.Period, hh join.Household) bool {
	for _, m := range hh.Members {
		if p.PersonEverInYear(schemas.Employed, m) {
			return true
		}
	}
	return false
}
