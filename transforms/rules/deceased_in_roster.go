package rules

import "fmt"

// DeceasedInRoster: a roster person registered dead by the end of the period
// (Period.Deceased: a civil 死亡登记 with 死亡日期 ≤ the end of its period,
// arrived in this period or any earlier published one, of any year). One
// finding per period while the person stays on the roster; the detail names
// the registered death date.
var DeceasedInRoster = Rule{
	Code: "DECEASED_IN_ROSTER", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			for _, m := range hh.Members {
				if !p.Deceased(m) {
					continue
				}
				what := "已有民政死亡登记"
				if d, ok := p.DeathDate(m); ok {
					what = "民政死亡登记日期 " + d.FormattedString()
				}
				emit(personFinding(p, h, m, fmt.Sprintf("%s, 本人仍在帮扶对象名册中, 请核实并办理减员", what)))
			}
		}
	},
}
