package rules

import "fmt"

// DuplicatePerson: one ID appears in two roster households. The first row
// in file order is kept; one finding per ID.
var DuplicatePerson = Rule{
	Code: "DUPLICATE_PERSON", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		seen := map[string]bool{}
		for _, d := range in.Duplicates {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			emit(Finding{
				County: d.County, HouseholdKey: in.HouseholdKey(d.County, d.Household), PersonKey: in.PersonKey(d.ID),
				Detail: fmt.Sprintf("同一身份证号同时登记在两个户中(另一户在%s, 名册第%d行), 请核实户籍归属并删除重复登记", d.OtherCounty, d.Line),
			})
		}
	},
}
