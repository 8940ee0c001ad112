package rules

import (
	"fmt"
	"strings"

	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// PaidAfterDeath: a roster person with a registered death date D
// (Period.DeathDate: this period's registration, else the latest of earlier
// periods, any year) whose death month is before the period, and who is paid
// in this period: civil payments (城乡低保 + 特困供养 + 临时救助 + 残疾人生活补贴
// + 重度残疾人护理补贴) > 0, pension > 0, education aid > 0, wage > 0, or a
// travel subsidy > 0 (paid with the employment record, like a wage).
// Payments in the month of death itself are legitimate and do not fire. Each
// period in which such a payment arrives yields its own finding; the detail
// names D and each payment of the period with its amount.
var PaidAfterDeath = Rule{
	Code: "PAID_AFTER_DEATH", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			for _, m := range hh.Members {
				d, ok := p.DeathDate(m)
				if !ok || values.MonthOf(d.ToTime()) >= p.Month {
					continue
				}
				paid := paymentsOf(p, m)
				if len(paid) == 0 {
					continue
				}
				emit(personFinding(p, h, m, fmt.Sprintf("死亡日期 %s, 本期 %s 仍有发放: %s, 请核实并追回",
					d.FormattedString(), p.Month, strings.Join(paid, ", "))))
			}
		}
	},
}

// payment is one kind of payment a person can receive in a period: its
// name and its person_month money fact.
type payment struct {
	name, column string
}

// civilPayments are the civil affairs payments, judged on their sum so that
// a reversal within the month offsets a payment.
var civilPayments = []payment{
	{"城乡低保", schemas.Dibao},
	{"特困供养", schemas.Tekun},
	{"临时救助", schemas.TempRelief},
	{"残疾人生活补贴", schemas.DisabilityAllowance},
	{"重度残疾人护理补贴", schemas.DisabilityCare},
}

// paymentsOf words the payments person m received this period, "养老金
// 200.00 元", in a fixed order: pension, the civil items (each one that is
// not zero, when their sum is positive), education aid, wage, travel
// subsidy. None: nil.
func paymentsOf(p *model.Period, m int32) []string {
	var out []string
	item := func(name string, fen int64) { out = append(out, fmt.Sprintf("%s %s 元", name, yuan(fen))) }
	positive := func(name, column string) {
		if a := p.PersonMoney(column, m); a > 0 {
			item(name, a)
		}
	}
	positive("养老金", schemas.PensionPaid)
	var civil int64
	for _, c := range civilPayments {
		civil += p.PersonMoney(c.column, m)
	}
	if civil > 0 {
		for _, c := range civilPayments {
			if a := p.PersonMoney(c.column, m); a != 0 {
				item(c.name, a)
			}
		}
	}
	positive("学生资助", schemas.EducationAid)
	positive("工资", schemas.Wage)
	positive("一次性交通补助", schemas.TravelSubsidy)
	return out
}
