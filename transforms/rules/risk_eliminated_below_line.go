package rules

import (
	"fmt"

	"zengshou/transforms/model"
)

// RiskEliminatedBelowLine: a monitored household (户类型 脱贫不稳定户,
// 边缘易致贫户 or 突发严重困难户) whose 户主 row (else first member) has
// 风险是否消除 是, yet whose annualized per-capita net income is below the
// monitoring line of Y (exact, as BelowMonitoringLine). A null 风险是否消除
// counts as not eliminated.
var RiskEliminatedBelowLine = Rule{
	Code: "RISK_ELIMINATED_BELOW_LINE", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			hh := p.Households[inc.Index]
			typ := householdType(p, hh)
			if !inc.BelowMonitoringLine || !model.IsMonitored(typ) || !p.RosterBool("risk_eliminated", hh.Head) {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("监测户(%s)已标记风险消除, 但年化人均纯收入 %s 元, 低于监测线 %d 元, 请核实风险消除是否属实%s",
				typ, yuan(inc.PerCapitaAnnualized), p.Year.MonitoringLine, noSurveyNote(inc))))
		}
	},
}
