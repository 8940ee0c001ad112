package rules

import (
	"fmt"

	"zengshou/schemas"
)

// NotInsured: a living roster person (not Period.Deceased) without a
// 参保状态 正常参保 row for 参保年度 Y in the period's medical extract. Only
// evaluated when the medical extract was delivered this period: without it
// nobody's insurance is known.
var NotInsured = Rule{
	Code: "NOT_INSURED", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		if !delivered(p, schemas.Medical) {
			return
		}
		detail := fmt.Sprintf("本期医保数据中无 %d 年度正常参保记录, 请核实并动员参保", p.Month.Year())
		for h, hh := range p.Households {
			for _, m := range hh.Members {
				if p.PersonFlag(schemas.Insured, m) || p.Deceased(m) {
					continue
				}
				emit(personFinding(p, h, m, detail))
			}
		}
	},
}
