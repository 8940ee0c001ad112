package rules_test

import (
	"testing"

	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
	"zengshou/transforms/rules"
)

// The households below have two members and the period is 2025-06, so the
// annualized per-capita income is the year-to-date net income:
// net × 12 / (2 × 6) = net.

func TestNotMonitoredBelowLine(t *testing.T) {
	runRule(t, rules.NotMonitoredBelowLine, false, []ruleCase{{
		name: "a cent below the line fires, on the line does not",
		world: world{households: []house{
			pair("below", "脱贫户", business(fixture.Yuan("7899.99"))),
			pair("on", "脱贫户", business(fixture.Yuan("7900.00"))),
			// Already monitored: 应纳尽纳 is satisfied.
			pair("monitored", "脱贫不稳定户", business(fixture.Yuan("5000"))),
			// Three persons: 11849.99 × 12 / 18 = 7899.993… < 7900, shown
			// rounded; 11850 × 12 / 18 = 7900 exactly.
			{no: "three-below", survey: business(fixture.Yuan("11849.99")), members: []person{{}, {}, {}}},
			{no: "three-on", survey: business(fixture.Yuan("11850.00")), members: []person{{}, {}, {}}},
		}},
		fires: []string{"below", "three-below"},
		details: map[string]string{
			"below":       "年化人均纯收入 7899.99 元, 低于监测线 7900 元, 未纳入监测 (应纳尽纳)",
			"three-below": "年化人均纯收入 7899.99 元, 低于监测线 7900 元, 未纳入监测 (应纳尽纳)",
		},
	}, {
		name: "without a survey row the sentence says the income is department data only",
		world: world{households: []house{
			{no: "wages-only", members: []person{{before: fixture.Before{Wage: fixture.Yuan("3000")}}, {}}},
		}},
		fires: []string{"wages-only"},
		details: map[string]string{
			"wages-only": "年化人均纯收入 3000.00 元, 低于监测线 7900 元, 未纳入监测 (应纳尽纳); 本年尚无家庭收入采集记录, 收入仅含部门数据",
		},
	}})
}

func TestRiskEliminatedBelowLine(t *testing.T) {
	withRisk := func(no, typ string, eliminated *bool, net string) house {
		h := pair(no, typ, business(fixture.Yuan(net)))
		h.riskEliminated = eliminated
		return h
	}
	runRule(t, rules.RiskEliminatedBelowLine, false, []ruleCase{{
		name: "eliminated risk below the line fires",
		world: world{households: []house{
			withRisk("eliminated-below", "边缘易致贫户", ptr(true), "7000"),
			withRisk("eliminated-on", "边缘易致贫户", ptr(true), "7900"),
			withRisk("not-eliminated", "边缘易致贫户", ptr(false), "7000"),
			withRisk("risk-unset", "突发严重困难户", nil, "7000"),
			// 脱贫户 are not monitoring objects: NOT_MONITORED_BELOW_LINE's.
			withRisk("not-monitored", "脱贫户", ptr(true), "7000"),
			withRisk("unstable-below", "脱贫不稳定户", ptr(true), "7899.99"),
		}},
		fires: []string{"eliminated-below", "unstable-below"},
		details: map[string]string{
			"eliminated-below": "监测户(边缘易致贫户)已标记风险消除, 但年化人均纯收入 7000.00 元, 低于监测线 7900 元, 请核实风险消除是否属实",
		},
	}})
}

func TestLowIncomeNoSafetyNet(t *testing.T) {
	dibaoBefore := func(no, pay, biz string) house {
		h := pair(no, "脱贫户", business(fixture.Yuan(biz)))
		h.members[1].before.Dibao = fixture.Yuan(pay)
		return h
	}
	tekunNow := pair("tekun", "边缘易致贫户", business(fixture.Yuan("4999.99")))
	tekunNow.members[0].now.tekun = fixture.Yuan("0.01")
	runRule(t, rules.LowIncomeNoSafetyNet, false, []ruleCase{{
		name: "below the 低保 standard without 低保 or 特困 fires",
		world: world{households: []house{
			pair("below", "脱贫户", business(fixture.Yuan("7679.99"))),
			pair("on", "脱贫户", business(fixture.Yuan("7680.00"))),
			// Any type: a monitored household is no exception.
			pair("monitored-below", "突发严重困难户", business(fixture.Yuan("100"))),
			dibaoBefore("dibao", "600", "4400"),
			tekunNow,
		}},
		fires: []string{"below", "monitored-below"},
		details: map[string]string{
			"below": "年化人均纯收入 7679.99 元, 低于农村低保标准 7680 元, 本年无低保或特困供养发放 (应保尽保)",
		},
	}})
}

func TestSafetyNetHighIncome(t *testing.T) {
	// 2 × 7680 = 15360: income excluding 低保/特困 above it fires.
	withPay := func(no, biz string, m month) house {
		h := pair(no, "脱贫户", business(fixture.Yuan(biz)))
		h.members[1].before.Dibao = fixture.Yuan("1000")
		h.members[0].now = m
		return h
	}
	runRule(t, rules.SafetyNetHighIncome, false, []ruleCase{{
		name: "低保 and 特困 payments are left out, other income counts",
		world: world{households: []house{
			// 1000 + 15360.01 − 1000 = 15360.01 > 15360.
			withPay("above", "15360.01", month{}),
			// Net 16360 is above twice the standard, but without 低保 it is 15360.
			withPay("exactly-twice", "15360.00", month{}),
			// 特困 is left out as well: 1000 + 500 + 15360 − 1500 = 15360.
			withPay("tekun-twice", "15360.00", month{tekun: fixture.Yuan("500")}),
			// 临时救助 is income: 15260.01 + 100 = 15360.01.
			withPay("temp-relief", "15260.01", month{tempRelief: fixture.Yuan("100")}),
			pair("no-safety-net", "脱贫户", business(fixture.Yuan("20000"))),
		}},
		fires: []string{"above", "temp-relief"},
		details: map[string]string{
			"above": "兜底户扣除低保/特困后年化人均纯收入 15360.01 元, 超过低保标准 7680 元的 2 倍 (15360 元), 请核实兜底资格",
		},
	}})
}

func TestWageUnverified(t *testing.T) {
	wages := func(no, self, verified string) house {
		h := house{no: no, survey: &model.Survey{WageSelfReported: fixture.Yuan(self)}, members: []person{{}, {}}}
		h.members[0].before.Wage = fixture.Yuan(verified)
		return h
	}
	runRule(t, rules.WageUnverified, false, []ruleCase{{
		name: "over half of the self-reported wage and at least 1000 元 without a record fires",
		world: world{households: []house{
			wages("55-percent", "2000", "900"),
			// 1000 of 2000 is half, not more than half.
			wages("half", "2000", "1000"),
			wages("just-over-half", "2000", "999.99"),
			// Exactly 1000 元 unbacked, two thirds of 1500.
			wages("exactly-1000", "1500", "500"),
			// 999.99 unbacked is under 1000 元.
			wages("under-1000", "1800", "800.01"),
			wages("nothing-reported", "0", "0"),
			wages("all-unbacked", "3000", "0"),
			// Verified above self-reported: nothing is unbacked.
			wages("verified-more", "3000", "5000"),
		}},
		fires: []string{"55-percent", "just-over-half", "exactly-1000", "all-unbacked"},
		details: map[string]string{
			"55-percent":   "自报工资性收入 2000.00 元, 部门核实工资 900.00 元, 无部门记录支撑 1100.00 元 (占 55.0%), 请核实务工收入 (数字增收风险)",
			"all-unbacked": "自报工资性收入 3000.00 元, 部门核实工资 0.00 元, 无部门记录支撑 3000.00 元 (占 100.0%), 请核实务工收入 (数字增收风险)",
		},
	}})
}

func TestIncomeSpikeUnbacked(t *testing.T) {
	// Last year: per-capita net 6000, verified 4000 (or verifiedPrev).
	// This year: wage (verified) + business = net.
	spike := func(no, wage, biz string, prev, verifiedPrev *int64) house {
		h := pair(no, "脱贫户", business(fixture.Yuan(biz)))
		h.members[0].before.Wage = fixture.Yuan(wage)
		h.prevPerCapita, h.prevVerified = prev, verifiedPrev
		return h
	}
	p6000, v4000 := ptr(fixture.Yuan("6000")), ptr(fixture.Yuan("4000"))
	runRule(t, rules.IncomeSpikeUnbacked, false, []ruleCase{{
		name: "a 1.5-fold rise mostly from the survey fires",
		world: world{households: []house{
			// 9000 = 1.5 × 6000; verified rise 0 < (9000 − 6000) / 2.
			spike("spike", "4000", "5000", p6000, v4000),
			spike("under-1.5", "4000", "4999.99", p6000, v4000),
			// Verified rise 1500 is half the net rise of 3000: backed.
			spike("half-backed", "5500", "3500", p6000, v4000),
			spike("just-under-half", "5499.99", "3500.01", p6000, v4000),
			// Verified income fell from 5000 to 3000.
			spike("verified-fell", "3000", "6000", p6000, ptr(fixture.Yuan("5000"))),
			spike("no-last-year", "4000", "5000", nil, nil),
			spike("no-verified-last-year", "4000", "5000", p6000, nil),
			spike("nothing-last-year", "4000", "5000", ptr(int64(0)), ptr(int64(0))),
		}},
		fires: []string{"spike", "just-under-half", "verified-fell"},
		details: map[string]string{
			"spike":         "年化人均纯收入 9000.00 元, 为上年 6000.00 元的 1.50 倍; 部门核实人均收入(工资+部门转移)年化 4000.00 元, 较上年 4000.00 元增加 0.00 元, 不到人均纯收入增加额 3000.00 元的一半, 请入户核实收入来源 (算账增收风险)",
			"verified-fell": "年化人均纯收入 9000.00 元, 为上年 6000.00 元的 1.50 倍; 部门核实人均收入(工资+部门转移)年化 3000.00 元, 较上年 5000.00 元减少 2000.00 元, 不到人均纯收入增加额 3000.00 元的一半, 请入户核实收入来源 (算账增收风险)",
		},
	}})
}

func TestHighMedicalBurden(t *testing.T) {
	oop := func(no, before, now string) house {
		h := house{no: no, members: []person{{}, {}}}
		h.members[0].before.MedicalOutOfPocket = fixture.Yuan(before)
		h.members[1].now.medicalOOP = fixture.Yuan(now)
		return h
	}
	households := []house{oop("at-threshold", "3000", "2000"), oop("under", "3000", "1999.99")}
	runRule(t, rules.HighMedicalBurden, false, []ruleCase{{
		name:  "the household's year-to-date out-of-pocket sum reaching the threshold fires",
		world: world{households: households},
		fires: []string{"at-threshold"},
		details: map[string]string{
			"at-threshold": "2025-01 至 2025-06 家庭医疗个人自付合计 5000.00 元, 达到支出型风险阈值 5000 元, 请评估是否纳入监测",
		},
	}, {
		name:  "a threshold left unset flags nobody",
		world: world{households: households, medicalThreshold: ptr(int64(0))},
	}})
}
