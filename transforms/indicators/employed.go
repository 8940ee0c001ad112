package indicators

import "zengshou/schemas"

// EmployedPersons counts distinct roster persons with an employment row
// 务工就业 or 灵活就业 in Y-01..P (target 130.9万 at province level).
var EmployedPersons = Definition{
	Code: "EMPLOYED_PERSONS", Unit: "人",
	Needs: []string{schemas.Roster, schemas.Employment},
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for _, hh := range p.Households {
			relocated := isRelocated(p, hh.Head)
			for _, m := range hh.Members {
				if p.PersonYTD(m).Employed {
					acc.Add(hh.County, relocated, 1, 0)
				}
			}
		}
	},
	Target: func(in *Input, level string) *float64 {
		return provinceOnly(in.P.Params.Targets.EmployedPersons)(in, level)
	},
}
