package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// YuluGraduatePlacement (雨露计划毕业生就业去向落实率) is, among roster persons
// who ever received 雨露计划 aid (Period.YuluEver: this period or any
// published one, any year) and whose latest 毕业 record of the year has
// 毕业年月 in Y-01..P and 学段 中职 or 高职, the share placed: 毕业去向 就业 or
// 升学, or an employment row 务工就业 or 灵活就业 in a month on or after the
// 毕业年月 (the latest month employed ≥ 毕业年月). Persons are counted
// as roster rows. Target Targets.YuluPlacement (0.90) at every level; none
// when it is not configured.
var YuluGraduatePlacement = Definition{
	Code: "YULU_GRADUATE_PLACEMENT", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Education, schemas.Employment},
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		yearStart := values.NewMonth(p.Month.Year(), 1)
		eachPerson(p, func(hh join.Household, m int32, relocated bool) {
			if !p.YuluEver(m) {
				return
			}
			g := p.PersonLatestMonth(schemas.GraduationMonth, m)
			if g < yearStart || g > p.Month || !isVocational(p.PersonLatestText(schemas.GraduationStage, m)) {
				return
			}
			acc.Add(hh.County, relocated, bit(placed(p, m, g)), 1)
		})
	},
	Target: func(in *Input, level string) *float64 {
		if t := in.P.Params.Targets.YuluPlacement; t > 0 {
			return everyLevel(t)(in, level)
		}
		return nil
	},
}

// isVocational: 学段 中职 or 高职, the stages 雨露计划 supports.
func isVocational(stage string) bool { return stage == "中职" || stage == "高职" }

// placed: the graduate went on to work or further study by destination, or
// was employed in the graduation month or later.
func placed(p *model.Period, m int32, graduated values.Month) bool {
	d := p.PersonLatestText(schemas.GraduationDestination, m)
	return d == "就业" || d == "升学" || p.PersonLastInYear(schemas.Employed, m) >= graduated
}
