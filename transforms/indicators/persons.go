package indicators

import (
	"zengshou/transforms/join"
	"zengshou/transforms/model"
)

// eachPerson calls fn for every roster person, with the person's household
// and whether that household is relocated (its head row's flag).
func eachPerson(p *model.Period, fn func(hh join.Household, m int32, relocated bool)) {
	for _, hh := range p.Households {
		relocated := isRelocated(p, hh.Head)
		for _, m := range hh.Members {
			fn(hh, m, relocated)
		}
	}
}

// bit counts a condition as 1 or 0.
func bit(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
