package rules

import "fmt"

// HighMedicalBurden (支出型风险): the household's Σ 个人自付 over Y-01..P
// (income.Household.MedicalOOP, all members) is at least the year's
// MedicalOOPThreshold (whole yuan; compared in fen). A threshold that is not
// configured (≤ 0) disables the rule rather than flagging every household.
var HighMedicalBurden = Rule{
	Code: "HIGH_MEDICAL_BURDEN", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		threshold := p.Year.MedicalOOPThreshold
		if threshold <= 0 {
			return
		}
		for _, inc := range in.Incomes {
			if inc.MedicalOOP < threshold*100 {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("%s 家庭医疗个人自付合计 %s 元, 达到支出型风险阈值 %d 元, 请评估是否纳入监测",
				yearToDate(p), yuan(inc.MedicalOOP), threshold)))
		}
	},
}
