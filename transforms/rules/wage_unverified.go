package rules

import (
	"fmt"

	"zengshou/transforms/income"
)

// WageUnverified (数字增收 risk): 自报工资性收入 > 0, wage_reported_only
// (max(0, 自报 − wage_verified)) ≥ 1 000 元, and wage_reported_only more
// than half of 自报 (2 × reported_only > 自报, exact in fen).
var WageUnverified = Rule{
	Code: "WAGE_UNVERIFIED", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			self, only := inc.WageSelfReported, inc.WageReportedOnly
			if self <= 0 || only < 1000_00 || 2*only <= self {
				continue
			}
			perMille := income.DivRound(only*1000, self)
			emit(householdFinding(p, inc.Index, fmt.Sprintf("自报工资性收入 %s 元, 部门核实工资 %s 元, 无部门记录支撑 %s 元 (占 %d.%d%%), 请核实务工收入 (数字增收风险)",
				yuan(self), yuan(inc.WageVerified), yuan(only), perMille/10, perMille%10)))
		}
	},
}
