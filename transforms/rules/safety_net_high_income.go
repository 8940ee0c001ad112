package rules

import "fmt"

// SafetyNetHighIncome: an is_safety_net household whose annualized
// per-capita net income excluding its 低保 and 特困 payments
// (net − SafetyNetPay) is above twice the rural 低保 standard of Y —
// exactly, (net − pay) × 12 > 2 × standard × size × m in fen. Exactly twice
// does not fire.
var SafetyNetHighIncome = Rule{
	Code: "SAFETY_NET_HIGH_INCOME", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		limit := 2 * p.Year.DibaoStandard
		for _, inc := range in.Incomes {
			rest := inc.NetIncome - inc.SafetyNetPay
			if !inc.IsSafetyNet || rest*12 <= limit*100*inc.Size*inc.Months {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("兜底户扣除低保/特困后年化人均纯收入 %s 元, 超过低保标准 %d 元的 2 倍 (%d 元), 请核实兜底资格",
				yuan(annualized(rest, inc)), p.Year.DibaoStandard, limit)))
		}
	},
}
