package rules

import (
	"fmt"
	"strings"

	"zengshou/transforms/join"
)

// DuplicatePerson: one ID appears in two (or more) roster households. The
// first row in file order is kept; one finding per ID counts the distinct
// households (county + 户编号) the ID is registered in and names each other
// household's county with all its roster lines for the ID ("另一户在360731,
// 名册第3、4行"): an ID twice in one other household is in two households.
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
			others := otherHouseholds(dups)
			count := "两个户"
			if len(others) > 1 {
				count = fmt.Sprintf("%d个户", len(others)+1)
			}
			var named []string
			for _, o := range others {
				named = append(named, fmt.Sprintf("另一户在%s, 名册第%s行", o.county, strings.Join(o.lines, "、")))
			}
			emit(Finding{
				County: first.County, HouseholdKey: in.HouseholdKey(first.County, first.Household), PersonKey: in.PersonKey(id),
				Detail: fmt.Sprintf("同一身份证号同时登记在%s中(%s), 请核实户籍归属并删除重复登记", count, strings.Join(named, "; ")),
			})
		}
	},
}

// otherHousehold is a household other than the kept one that registers the
// ID, with the roster lines that do.
type otherHousehold struct {
	county, no string
	lines      []string
}

// otherHouseholds groups an ID's quarantined registrations by household
// (county + 户编号), in order of first appearance.
func otherHouseholds(dups []join.DuplicatePerson) []otherHousehold {
	var out []otherHousehold
	at := map[[2]string]int{}
	for _, d := range dups {
		k := [2]string{d.OtherCounty, d.OtherHousehold}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, otherHousehold{county: d.OtherCounty, no: d.OtherHousehold})
		}
		out[i].lines = append(out[i].lines, fmt.Sprint(d.Line))
	}
	return out
}
