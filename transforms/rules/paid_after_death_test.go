package rules_test

import (
	"testing"

	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/rules"
)

// TestPaidAfterDeath: the period is June 2025, so a death registered in May
// or earlier (this period, or any published period before it) makes a June
// payment suspect; a June death does not.
func TestPaidAfterDeath(t *testing.T) {
	runRule(t, rules.PaidAfterDeath, true, []ruleCase{{
		name: "payments in a month after the death month fire, once per person",
		world: world{households: []house{{no: "h", members: []person{
			// Died in May, registered in June's extract; pension paid in June.
			{now: month{deathDay: "2025-05-20", pension: fixture.Yuan("200")}},
			// Died in June: June's payments are the month of death's.
			{now: month{deathDay: "2025-06-03", pension: fixture.Yuan("200"), dibao: fixture.Yuan("350")}},
			// Died in April and paid in May (May's finding), nothing in June.
			{deathBefore: "2025-04-30", before: fixture.Before{Pension: fixture.Yuan("200")}},
			// Death known only from an earlier period's registration.
			{deathBefore: "2025-03-15", now: month{pension: fixture.Yuan("200"), dibao: fixture.Yuan("350")}},
			// Died last year; every kind of payment this month, still one finding.
			{deathBefore: "2024-11-02", now: month{
				tekun: fixture.Yuan("100"), tempRelief: fixture.Yuan("50"), disability: fixture.Yuan("80"),
				disabilityCare: fixture.Yuan("90"), educationAid: fixture.Yuan("500"), wage: fixture.Yuan("1,500"),
				travelSubsidy: fixture.Yuan("300"),
			}},
			// Registered dead before the death dates were recorded: the death
			// month is unknown, so no payment can be judged after it.
			{deathBefore: "1970-01-01", now: month{pension: fixture.Yuan("200")}},
			// Alive.
			{now: month{pension: fixture.Yuan("200"), dibao: fixture.Yuan("350"), wage: fixture.Yuan("2000")}},
			// Died in May; a 低保 payment reversed within June nets to 0.
			{deathBefore: "2025-05-08", now: month{dibao: fixture.Yuan("350"), tempRelief: -fixture.Yuan("350")}},
			// Died in December of the year before, registered only this month:
			// June's pension is paid after the death month.
			{now: month{deathDay: "2024-12-20", pension: fixture.Yuan("200")}},
		}}}},
		fires: []string{personKey("h", 0), personKey("h", 3), personKey("h", 4), personKey("h", 8)},
		details: map[string]string{
			personKey("h", 0): "死亡日期 2025-05-20, 本期 2025-06 仍有发放: 养老金 200.00 元, 请核实并追回",
			personKey("h", 3): "死亡日期 2025-03-15, 本期 2025-06 仍有发放: 养老金 200.00 元, 城乡低保 350.00 元, 请核实并追回",
			personKey("h", 4): "死亡日期 2024-11-02, 本期 2025-06 仍有发放: 特困供养 100.00 元, 临时救助 50.00 元, " +
				"残疾人生活补贴 80.00 元, 重度残疾人护理补贴 90.00 元, 学生资助 500.00 元, 工资 1500.00 元, 一次性交通补助 300.00 元, 请核实并追回",
			personKey("h", 8): "死亡日期 2024-12-20, 本期 2025-06 仍有发放: 养老金 200.00 元, 请核实并追回",
		},
	}, {
		name: "a death registered without payments does not fire",
		world: world{households: []house{{no: "h", members: []person{
			{},
			{now: month{deathDay: "2025-02-10"}},
			{deathBefore: "2025-01-31"},
		}}}},
	}})
}
