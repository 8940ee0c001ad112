package rules

import (
	"fmt"

	"zengshou/schemas"
)

// StudentNoAid (应助尽助): a roster person with an education row 学籍状态
// 在读 in Y (schemas.StudentStatus ever 在读) whose Σ 资助金额 over Y-01..P is not
// positive (= 0; a net reversal below 0 counts too, the complement of
// STUDENT_AID_COVERAGE's "> 0").
var StudentNoAid = Rule{
	Code: "STUDENT_NO_AID", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			for _, m := range hh.Members {
				aid := p.PersonMoneyYTD(schemas.EducationAid, m)
				if !p.PersonEverInYear(schemas.StudentStatus, m) || aid > 0 {
					continue
				}
				stage := ""
				if s := p.PersonText(schemas.StudentStage, m); s != "" {
					stage = fmt.Sprintf("(%s)", s)
				}
				emit(personFinding(p, h, m, fmt.Sprintf("%d 年在读学生%s, %s 资助金额合计 %s 元, 请核实资助资格 (应助尽助)",
					p.Month.Year(), stage, yearToDate(p), yuan(aid))))
			}
		}
	},
}
