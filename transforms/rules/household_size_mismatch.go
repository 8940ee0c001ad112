package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HouseholdSizeMismatch: 家庭人口数 differs among the household's roster
// members, or is below the number of roster members
// (join.Household.SizeMismatch).
var HouseholdSizeMismatch = Rule{
	Code: "HOUSEHOLD_SIZE_MISMATCH", Severity: Low,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			if !hh.SizeMismatch {
				continue
			}
			var sizes []string
			for _, m := range hh.Members {
				if s := strconv.FormatInt(p.RosterInt("household_size", m), 10); !slices.Contains(sizes, s) {
					sizes = append(sizes, s)
				}
			}
			emit(householdFinding(p, h, fmt.Sprintf("成员登记的家庭人口数为 %s, 名册成员 %d 人, 请核实并统一家庭人口数",
				strings.Join(sizes, "、"), len(hh.Members))))
		}
	},
}
