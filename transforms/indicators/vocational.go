package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
)

// VocationalNewEnrollment counts distinct roster persons with an education
// row 学段 中职 or 高职 whose 入学年月 is in Y-01..P (target 2万).
var VocationalNewEnrollment = Definition{
	Code: "VOCATIONAL_NEW_ENROLLMENT", Unit: "人",
	Needs: []string{schemas.Roster, schemas.Education},
	Measure: func(in *Input, acc *Acc) {
		eachPerson(in.P, func(hh join.Household, m int32, relocated bool) {
			acc.Add(hh.County, relocated, bit(in.P.PersonEverInYear(schemas.NewVocational, m)), 0)
		})
	},
	Target: func(in *Input, level string) *float64 {
		return provinceOnly(in.P.Params.Targets.VocationalEnrollment)(in, level)
	},
}
