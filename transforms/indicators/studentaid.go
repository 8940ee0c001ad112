package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
)

// StudentAidCoverage is, among roster persons with an education row 学籍状态
// 在读 in some month of Y-01..P, the share whose 资助金额 (every aid item,
// 雨露计划 included) sums to more than 0 over Y-01..P (应助尽助). Target 1.0
// at every level.
var StudentAidCoverage = Definition{
	Code: "STUDENT_AID_COVERAGE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Education},
	Measure: func(in *Input, acc *Acc) {
		eachPerson(in.P, func(hh join.Household, m int32, relocated bool) {
			if in.P.PersonEverInYear(schemas.StudentStatus, m) {
				acc.Add(hh.County, relocated, bit(in.P.PersonMoneyYTD(schemas.EducationAid, m) > 0), 1)
			}
		})
	},
	Target: everyLevel(1),
}
