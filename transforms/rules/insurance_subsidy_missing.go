package rules

import (
	"fmt"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// InsuranceSubsidyMissing: a person of a monitored household (the 户主 row's
// 户类型 is a monitoring category) or of an is_safety_net household who is
// insured this period (正常参保 for Y) with 资助参保类别 无.
var InsuranceSubsidyMissing = Rule{
	Code: "INSURANCE_SUBSIDY_MISSING", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			hh := p.Households[inc.Index]
			typ := householdType(p, hh)
			monitored := model.IsMonitored(typ)
			if !monitored && !inc.IsSafetyNet {
				continue
			}
			var why string
			switch {
			case monitored && inc.IsSafetyNet:
				why = fmt.Sprintf("本户为监测对象(%s)且为兜底户", typ)
			case monitored:
				why = fmt.Sprintf("本户为监测对象(%s)", typ)
			default:
				why = "本户为兜底户(本年有低保或特困供养)"
			}
			for _, m := range hh.Members {
				if !p.PersonFlag(schemas.Insured, m) || p.PersonText(schemas.InsuranceSubsidyCategory, m) != "无" {
					continue
				}
				emit(personFinding(p, inc.Index, m, fmt.Sprintf("已参保但资助参保类别为 无, %s, 应享受参保资助, 请核实并补办", why)))
			}
		}
	},
}
