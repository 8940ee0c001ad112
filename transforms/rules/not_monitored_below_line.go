package rules

import "fmt"

// NotMonitoredBelowLine (应纳尽纳): a household of 户类型 脱贫户 — that is,
// not a monitoring object — whose annualized per-capita net income is below
// the monitoring line of Y (income.Household.BelowMonitoringLine:
// net × 12 < line × size × m, exact in fen). On the line does not fire.
var NotMonitoredBelowLine = Rule{
	Code: "NOT_MONITORED_BELOW_LINE", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			if !inc.BelowMonitoringLine || householdType(p, p.Households[inc.Index]) != "脱贫户" {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("年化人均纯收入 %s 元, 低于监测线 %d 元, 未纳入监测 (应纳尽纳)%s",
				yuan(inc.PerCapitaAnnualized), p.Year.MonitoringLine, noSurveyNote(inc))))
		}
	},
}
