package rules

import (
	"fmt"
	"strings"

	"zengshou/transforms/join"
)

// DuplicatePerson: one ID appears in two (or more) roster households. The
// first row in file order is kept; one finding per ID names every other
// household's county and roster line.
var DuplicatePerson = Rule{
	Code: "DUPLICATE_PERSON", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		var order []string
		byID := map[string][]join.DuplicatePerson{}
		for _, d := range in.Duplicates {
			if _, seen := byID[d.ID]; !seen {
				order = append(order, d.ID)
			}
			byID[d.ID] = append(byID[d.ID], d)
		}
		for _, id := range order {
			dups := byID[id]
			first := dups[0]
			var others []string
			for _, d := range dups {
				others = append(others, fmt.Sprintf("另一户在%s, 名册第%d行", d.OtherCounty, d.Line))
			}
			count := "两个户"
			if len(dups) > 1 {
				count = fmt.Sprintf("%d个户", len(dups)+1)
			}
			emit(Finding{
				County: first.County, HouseholdKey: in.HouseholdKey(first.County, first.Household), PersonKey: in.PersonKey(id),
				Detail: fmt.Sprintf("同一身份证号同时登记在%s中(%s), 请核实户籍归属并删除重复登记", count, strings.Join(others, "; ")),
			})
		}
	},
}
