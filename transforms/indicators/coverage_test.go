package indicators_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/values"
)

// coverage is the hand-worked period of the coverage indicators: June of
// year (m = 6, annualizing × 2), five households in 于都 (key county, 赣州)
// and 进贤 (南昌). Labour is 普通劳动力 unless noted; "aid" is 资助金额.
//
//	hh  county type          reloc  size  net YTD  members
//	E   于都   脱贫户        yes    3     15 000   户主 employed in March, insured
//	                                               配偶 insured
//	                                               子女 无劳动力, 在读 in June with aid 1 500, insured
//	F   于都   脱贫户        yes    2      9 000   户主 insured (nobody employed)
//	                                               子女 无劳动力, 在读 in April, no aid, not insured
//	G   于都   突发严重困难户 yes    2      4 000   户主 丧失劳动力, died in November of Y−1 (registered
//	                                               then, still on the roster), not insured
//	                                               配偶 无劳动力, 毕业 in June, insured
//	H   进贤   脱贫户        no     4      16 000  户主 弱劳动力或半劳动力, insured (nobody employed)
//	                                               配偶 not insured
//	                                               子女 无劳动力, 在读 in April with aid 1 000, insured
//	I   进贤   脱贫不稳定户  yes    2      6 000   户主 employed in June, 低保 3 000, insured
//	                                               配偶 died in June, still 正常参保 in the extract
//
// H has 家庭人口数 4 but three roster members; I is a safety-net household.
func coverage(year int) world {
	june := values.NewMonth(year, 6)
	return world{
		period: june,
		households: []household{
			{no: "H11", village: yudu + "100211", netIncome: 15000_00, members: []member{
				{relation: "户主", typ: "脱贫户", relocated: true, size: 3, employedBefore: true, insured: true},
				{relation: "配偶", typ: "脱贫户", relocated: true, size: 3, insured: true},
				{relation: "子女", typ: "脱贫户", relocated: true, size: 3, labor: "无劳动力",
					studentNow: "在读", aidNow: 1500_00, insured: true},
			}},
			{no: "H12", village: yudu + "100212", netIncome: 9000_00, members: []member{
				{relation: "户主", typ: "脱贫户", relocated: true, size: 2, insured: true},
				{relation: "子女", typ: "脱贫户", relocated: true, size: 2, labor: "无劳动力", inSchoolBefore: true},
			}},
			{no: "H13", village: yudu + "100213", netIncome: 4000_00, members: []member{
				{relation: "户主", typ: "突发严重困难户", relocated: true, size: 2, labor: "丧失劳动力",
					deathBefore: fmt.Sprintf("%d-11-20", year-1)},
				{relation: "配偶", typ: "突发严重困难户", relocated: true, size: 2, labor: "无劳动力",
					studentNow: "毕业", insured: true},
			}},
			{no: "H21", village: jinxian + "200321", netIncome: 16000_00, members: []member{
				{relation: "户主", typ: "脱贫户", size: 4, labor: "弱劳动力或半劳动力", insured: true},
				{relation: "配偶", typ: "脱贫户", size: 4},
				{relation: "子女", typ: "脱贫户", size: 4, labor: "无劳动力",
					inSchoolBefore: true, aidBefore: 1000_00, insured: true},
			}},
			{no: "H22", village: jinxian + "200322", netIncome: 6000_00, members: []member{
				{relation: "户主", typ: "脱贫不稳定户", relocated: true, size: 2, employedNow: true,
					dibao: 3000_00, insured: true},
				{relation: "配偶", typ: "脱贫不稳定户", relocated: true, size: 2, deceasedNow: true, insured: true},
			}},
		},
		present: fixture.AllSources(),
		missing: fixture.Published(june),
	}
}

// TestCoverageIndicatorsHandWorked checks the household and person coverage
// indicators of coverage(2025) at county, city and province level, with the
// numerator and denominator of each ratio.
func TestCoverageIndicatorsHandWorked(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := coverage(2025).build(t, mem)
	defer in.P.Roster.Release()
	rows := byKey(t, indicators.Compute(in))

	// ratio is an expected value as numerator / denominator.
	type ratio struct {
		num, den float64
		target   *float64
	}
	province := schemas.ProvinceCode
	expected := map[rowKey]ratio{
		// ZERO_EMPLOYMENT_HOUSEHOLDS: labour and nobody employed in 2025-01..06.
		// 于都: F (E employed in March, G has no labour) = 1; 进贤: H (I
		// employed in June) = 1; province 2, target 0; counts, so den = 1.
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "county", yudu}:       {1, 1, nil},
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "county", jinxian}:    {1, 1, nil},
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "county", lianhua}:    {0, 1, nil},
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "city", ganzhou}:      {1, 1, nil},
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "city", nanchang}:     {1, 1, nil},
		{"ZERO_EMPLOYMENT_HOUSEHOLDS", "province", province}: {2, 1, target(0)},

		// RELOCATED_EMPLOYMENT_COVERAGE: relocated households with labour
		// (E, F, I; G has none, H is not relocated), share employed.
		// 于都: E of E, F = 1 / 2 = 0.5; 进贤: I = 1 / 1; province 2 / 3.
		{"RELOCATED_EMPLOYMENT_COVERAGE", "county", yudu}:       {1, 2, target(1)},
		{"RELOCATED_EMPLOYMENT_COVERAGE", "county", jinxian}:    {1, 1, target(1)},
		{"RELOCATED_EMPLOYMENT_COVERAGE", "county", lianhua}:    {0, 0, target(1)},
		{"RELOCATED_EMPLOYMENT_COVERAGE", "city", ganzhou}:      {1, 2, target(1)},
		{"RELOCATED_EMPLOYMENT_COVERAGE", "city", nanchang}:     {1, 1, target(1)},
		{"RELOCATED_EMPLOYMENT_COVERAGE", "province", province}: {2, 3, target(1)},

		// INSURED_RATE: living persons, share 正常参保 in June's extract.
		// 于都: E×3, F户主, G配偶 insured, F子女 not; G户主 died → 5 / 6.
		// 进贤: H户主, H子女, I户主 insured, H配偶 not; I配偶 died (insured
		// all the same, left out of both) → 3 / 4. Province 8 / 10 = 0.8.
		{"INSURED_RATE", "county", yudu}:       {5, 6, target(1)},
		{"INSURED_RATE", "county", jinxian}:    {3, 4, target(1)},
		{"INSURED_RATE", "city", ganzhou}:      {5, 6, target(1)},
		{"INSURED_RATE", "city", nanchang}:     {3, 4, target(1)},
		{"INSURED_RATE", "province", province}: {8, 10, target(1)},

		// STUDENT_AID_COVERAGE: persons 在读 in 2025, share with aid > 0.
		// 于都: E子女 (1 500 in June) yes, F子女 (在读 in April, no aid) no,
		// G配偶 graduated, not a student → 1 / 2. 进贤: H子女 (1 000 in
		// April) → 1 / 1. Province 2 / 3.
		{"STUDENT_AID_COVERAGE", "county", yudu}:       {1, 2, target(1)},
		{"STUDENT_AID_COVERAGE", "county", jinxian}:    {1, 1, target(1)},
		{"STUDENT_AID_COVERAGE", "city", ganzhou}:      {1, 2, target(1)},
		{"STUDENT_AID_COVERAGE", "city", nanchang}:     {1, 1, target(1)},
		{"STUDENT_AID_COVERAGE", "province", province}: {2, 3, target(1)},

		// SHARE_ABOVE_10K: roster persons of households with labour and no
		// safety net (E, F, H; not G: no labour; not I: 低保), annualized
		// per-capita = net × 2 / size:
		// E 15 000 × 2 / 3 = 10 000 ≥ 10 000 → 3 persons above
		// F  9 000 × 2 / 2 =  9 000          → 2 persons below
		// H 16 000 × 2 / 4 =  8 000          → 3 roster persons below (not 4)
		// 于都 3 / 5 = 0.6; 进贤 0 / 3; province 3 / 8 = 0.375. Target 1.0 in 2025.
		{"SHARE_ABOVE_10K", "county", yudu}:       {3, 5, target(1)},
		{"SHARE_ABOVE_10K", "county", jinxian}:    {0, 3, target(1)},
		{"SHARE_ABOVE_10K", "city", ganzhou}:      {3, 5, target(1)},
		{"SHARE_ABOVE_10K", "city", nanchang}:     {0, 3, target(1)},
		{"SHARE_ABOVE_10K", "province", province}: {3, 8, target(1)},
	}
	for k, w := range expected {
		r, ok := rows[k]
		require.True(t, ok, "no row %v", k)
		require.Equal(t, w.num, r.Numerator, "%v numerator", k)
		require.Equal(t, w.den, r.Denominator, "%v denominator", k)
		want := w.num / w.den
		if w.den == 0 {
			want = 0 // no unit to count: the row is written with value 0
		}
		require.InDelta(t, want, r.Value, 1e-9, "%v value", k)
		if w.target == nil {
			require.Nil(t, r.Target, "%v target", k)
		} else {
			require.NotNil(t, r.Target, "%v target", k)
			require.InDelta(t, *w.target, *r.Target, 1e-9, "%v target", k)
		}
		require.True(t, r.Complete, "%v complete", k)
	}
	require.Equal(t, "户", rows[rowKey{"ZERO_EMPLOYMENT_HOUSEHOLDS", "province", province}].Unit)
	require.Equal(t, "比例", rows[rowKey{"INSURED_RATE", "province", province}].Unit)

	// None of them has group rows.
	for k := range rows {
		if k.level == indicators.LevelGroup {
			require.Contains(t, []string{"PER_CAPITA_NET_INCOME", "PER_CAPITA_INCOME_GROWTH"}, k.code)
		}
	}
}

// TestShareAbove10kTargetIn2025Only: the floor is a 2025 target; in 2024 the
// same households give the same share with no target at any level.
func TestShareAbove10kTargetIn2025Only(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := coverage(2024).build(t, mem)
	defer in.P.Roster.Release()
	rows := byKey(t, indicators.Compute(in))

	n := 0
	for k, r := range rows {
		if k.code == "SHARE_ABOVE_10K" {
			n++
			require.Nil(t, r.Target, "%v target", k)
		}
	}
	require.Equal(t, 112, n)
	// 3 / 8 as in 2025: the 10 000 floor does not change with the year.
	require.InDelta(t, 0.375, rows[rowKey{"SHARE_ABOVE_10K", "province", schemas.ProvinceCode}].Value, 1e-9)
	require.NotNil(t, rows[rowKey{"INSURED_RATE", "county", yudu}].Target, "other ratio targets stay")
}
