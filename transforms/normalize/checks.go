package normalize

import (
	"fmt"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// rowCheck is a rule across the parsed values of one row; it returns a
// reason code and detail when the row must be quarantined.
type rowCheck func(n *Normalizer, row []cell) (reason, detail string)

// checksFor returns the row rules of a source, in the order they are applied.
func checksFor(src schemas.Source) []rowCheck {
	var checks []rowCheck
	if src.PeriodColumn != "" {
		idx := src.ColumnIndex(src.PeriodColumn)
		col := src.Columns[idx]
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			if m := values.Month(row[idx].num); m != n.period {
				return schemas.ReasonPeriodMismatch, fmt.Sprintf("%s %s 不属于本期 %s", col.Header, m, n.period)
			}
			return "", ""
		})
	}
	if src.VillageColumn != "" {
		village := src.ColumnIndex(src.VillageColumn)
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			code := row[village].str
			if len(code) != 12 {
				return schemas.ReasonUnknownRegion, fmt.Sprintf("区划代码 %s 不是12位村级代码", code)
			}
			if _, ok := n.regions.County(code[:6]); !ok {
				return schemas.ReasonUnknownRegion, fmt.Sprintf("区划代码 %s 的县级代码 %s 不在区划表中", code, code[:6])
			}
			return "", ""
		})
	}
	if src.CountyColumn != "" {
		county := src.ColumnIndex(src.CountyColumn)
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			if _, ok := n.regions.County(row[county].str); !ok {
				return schemas.ReasonUnknownRegion, fmt.Sprintf("区划代码 %s 不在区划表中", row[county].str)
			}
			return "", ""
		})
	}
	switch src.Name {
	case schemas.Roster:
		size := src.ColumnIndex("household_size")
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			if row[size].num < 1 {
				return schemas.ReasonBadValue, fmt.Sprintf("家庭人口数 %d 小于1", row[size].num)
			}
			return "", ""
		})
	case schemas.HouseholdIncome:
		year := src.ColumnIndex("year")
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			if int(row[year].num) != n.period.Year() {
				return schemas.ReasonPeriodMismatch, fmt.Sprintf("年度 %d 不属于本期 %s", row[year].num, n.period)
			}
			return "", ""
		})
	case schemas.Medical:
		total, basic, critical, assist, oop := src.ColumnIndex("total_cost"), src.ColumnIndex("basic_reimbursement"),
			src.ColumnIndex("critical_reimbursement"), src.ColumnIndex("medical_assistance"), src.ColumnIndex("out_of_pocket")
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			want := row[total].num - row[basic].num - row[critical].num - row[assist].num
			if diff := row[oop].num - want; diff > 1 || diff < -1 {
				return schemas.ReasonAmountInconsistent, fmt.Sprintf("个人自付 %s 应为 医疗总费用−三项报销 = %s",
					values.FormatFen(row[oop].num), values.FormatFen(want))
			}
			return "", ""
		})
	case schemas.Civil:
		typ, death := src.ColumnIndex("aid_type"), src.ColumnIndex("death_date")
		checks = append(checks, func(n *Normalizer, row []cell) (string, string) {
			if row[typ].str == "死亡登记" && row[death].null {
				return schemas.ReasonMissingValue, "死亡登记缺少死亡日期"
			}
			return "", ""
		})
	}
	return checks
}
