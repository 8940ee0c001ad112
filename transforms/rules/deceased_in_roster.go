package rules

import "fmt"

// DeceasedInRoster: a roster person with a civil 死亡登记 dated on or before
// the end of the period, arrived in any month of Y (PersonYTD.Deceased).
// The death date is named when it arrived this period; the warehouse keeps
// only the flag for earlier months.
var DeceasedInRoster = Rule{
	Code: "DECEASED_IN_ROSTER", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			for _, m := range hh.Members {
				if !p.PersonYTD(m).Deceased {
					continue
				}
				what := "本年已有民政死亡登记"
				if d := p.Facts.DeathDay[m]; p.Facts.Deceased[m] && d != 0 {
					what = "民政死亡登记日期 " + d.FormattedString()
				}
				emit(personFinding(p, h, m, fmt.Sprintf("%s, 本人仍在帮扶对象名册中, 请核实并办理减员", what)))
			}
		}
	},
}
