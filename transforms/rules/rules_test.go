package rules_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
	"zengshou/transforms/rules"
)

// ruleLevels is the level and severity of each rule, as domain.md's table
// of cross-department comparison rules gives them.
var ruleLevels = map[string]struct{ level, severity string }{
	"DUPLICATE_PERSON":           {"person", rules.High},
	"DECEASED_IN_ROSTER":         {"person", rules.High},
	"PAID_AFTER_DEATH":           {"person", rules.High},
	"NOT_MONITORED_BELOW_LINE":   {"household", rules.High},
	"RISK_ELIMINATED_BELOW_LINE": {"household", rules.High},
	"LOW_INCOME_NO_SAFETY_NET":   {"household", rules.High},
	"SAFETY_NET_HIGH_INCOME":     {"household", rules.Medium},
	"NOT_INSURED":                {"person", rules.Medium},
	"INSURANCE_SUBSIDY_MISSING":  {"person", rules.Medium},
	"STUDENT_NO_AID":             {"person", rules.Medium},
	"ZERO_EMPLOYMENT_HOUSEHOLD":  {"household", rules.Medium},
	"RELOCATED_NO_EMPLOYMENT":    {"household", rules.Medium},
	"WAGE_UNVERIFIED":            {"household", rules.Medium},
	"INCOME_SPIKE_UNBACKED":      {"household", rules.Medium},
	"HIGH_MEDICAL_BURDEN":        {"household", rules.Medium},
	"HOUSEHOLD_SIZE_MISMATCH":    {"household", rules.Low},
	"HOUSING_UNSAFE_NOT_PLANNED": {"household", rules.High},
	"HOUSING_RENOVATION_STALLED": {"household", rules.Medium},
	"WATER_UNSAFE":               {"household", rules.High},
	"SEASONAL_WATER_SHORTAGE":    {"household", rules.Medium},
	"COLLECTIVE_SHARE_MISSING":   {"household", rules.Medium},
}

func TestRegistrySeverities(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.Registry {
		want, ok := ruleLevels[r.Code]
		require.True(t, ok, "%s is not a rule of domain.md", r.Code)
		require.Equal(t, want.severity, r.Severity, r.Code)
		require.False(t, seen[r.Code], "%s registered twice", r.Code)
		seen[r.Code] = true
	}
}

// TestEvaluateOneFindingEach runs the whole registry over households that
// trip many rules at once: each rule still names each household (or person)
// once, with its code, severity and level, and no ID number or name.
func TestEvaluateOneFindingEach(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	poor := person{labor: "普通劳动力", size: 4, before: fixture.Before{InSchool: true, MedicalOutOfPocket: fixture.Yuan("6000")}}
	w := world{households: []house{
		{no: "poor", relocated: true, survey: &model.Survey{WageSelfReported: fixture.Yuan("3000")},
			members: []person{poor, poor, {size: 3, now: month{deathDay: "2025-05-31", pension: fixture.Yuan("10")}}}},
		{no: "unstable", typ: "脱贫不稳定户", riskEliminated: ptr(true), relocated: true,
			prevPerCapita: ptr(fixture.Yuan("100")), prevVerified: ptr(fixture.Yuan("100")),
			survey: business(fixture.Yuan("3000")),
			members: []person{
				{labor: "技能劳动力", now: month{insured: true, subsidyCategory: "无", studentStatus: "在读"}},
				{before: fixture.Before{Dibao: fixture.Yuan("10")}, now: month{insured: true, subsidyCategory: "无"}},
			}},
		{no: "rich-safety-net", survey: business(fixture.Yuan("40000")),
			members: []person{{before: fixture.Before{Dibao: fixture.Yuan("10")}}}},
		{no: "unsafe-dwelling", members: []person{{}},
			set: facts(dwelling("C级", "2025-05", false, ""), water("2025-06", true, true, false, true, true), villageDividend)},
		{no: "stalled-renovation", members: []person{{}}, set: facts(dwelling("D级", "2024-03", true, "在建"))},
	}}
	b := w.build(t, mem)
	defer b.in.P.Roster.Release()

	type key struct{ rule, household, person string }
	seen := map[key]bool{}
	fired := map[string]int{}
	for _, f := range rules.Evaluate(b.in) {
		want := ruleLevels[f.Rule]
		require.Equal(t, want.severity, f.Severity, f.Rule)
		require.Equal(t, want.level == "person", f.PersonKey != "", "%s: person key %q", f.Rule, f.PersonKey)
		k := key{f.Rule, f.HouseholdKey, f.PersonKey}
		require.False(t, seen[k], "%v found twice", k)
		seen[k] = true
		fired[f.Rule]++
		checkDetail(t, b, f.Detail)
	}
	// Every rule but DUPLICATE_PERSON (no duplicates here) found something.
	for _, r := range rules.Registry {
		if r.Code != "DUPLICATE_PERSON" {
			require.Positive(t, fired[r.Code], "%s found nothing", r.Code)
		}
	}
}
