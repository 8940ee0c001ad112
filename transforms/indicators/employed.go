package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
)

// EmployedPersons counts distinct roster persons with an employment row
// 务工就业 or 灵活就业 in Y-01..P (target 130.9万 at province level).
var EmployedPersons = Definition{
	Code: "EMPLOYED_PERSONS", Unit: "人",
	Needs: []string{schemas.Roster, schemas.Employment},
	Measure: func(in *Input, acc *Acc) {
		eachPerson(in.P, func(hh join.Household, m int32, relocated bool) {
			acc.Add(hh.County, relocated, bit(in.P.PersonEverInYear(schemas.Employed, m)), 0)
		})
	},
	Target: func(in *Input, level string) *float64 {
		return provinceOnly(in.P.Params.Targets.EmployedPersons)(in, level)
	},
}
