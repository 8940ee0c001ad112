package indicators_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/values"
)

// yuluGraduates is the hand-worked period of YULU_GRADUATE_PLACEMENT: June
// 2025, four households in 于都 (赣州) and one in 进贤 (南昌). "Yulu" is
// 雨露计划 aid, this month or in an earlier published period (of any year);
// "grad" is the latest 毕业 record: 毕业年月, 学段, 毕业去向. A graduate of
// 2025 keeps appearing with 学籍状态 毕业 in the months after graduation.
//
//	hh   county reloc  member  yulu           grad                  employed  counted  placed
//	H31  于都   yes    户主    —              —                     —         no
//	                   子女 a  June 1 000     2025-06 中职 就业     —         yes      yes: 就业
//	                   子女 b  earlier        2025-01 高职 待就业   April     yes      yes: April ≥ January
//	H32  于都   no     户主 c  2023 only      2025-03 中职 升学     —         yes      yes: 升学
//	                   子女 d  earlier        2025-05 中职 待就业   March     yes      no: March < May
//	H33  于都   no     户主 e  earlier        2024-06 中职 就业     —         no: graduated last year
//	                   子女 f  earlier        2025-06 本科 就业     —         no: 本科
//	                   子女 g  — (助学金)     2025-06 高职 就业     —         no: never yulu
//	                   子女 h  June 800       — (在读)              —         no: not graduated
//	                   子女 i  earlier        2025-07 中职 就业     —         no: after June
//	H41  进贤   yes    户主 j  earlier        2025-06 高职 待就业   June      yes      yes: June ≥ June
//	                   子女 k  earlier        2025-04 中职 待就业   —         yes      no
//
// 于都 3 / 4 = 0.75; 进贤 1 / 2 = 0.5; 赣州 3 / 4, 南昌 1 / 2; province
// (3 + 1) / (4 + 2) = 4 / 6. Target 0.90 at every level.
func yuluGraduates() world {
	june := values.NewMonth(2025, 6)
	grad := func(month, stage, destination string) fixture.Graduation {
		return fixture.Graduation{Month: fixture.Month(month), Stage: stage, Destination: destination}
	}
	// graduate is m with a 毕业 record in this month's extract; a record of
	// an earlier month of the year also arrived in each month since, the
	// latest of which the warehouse holds.
	graduate := func(m member, g fixture.Graduation) member {
		m.graduationNow, m.studentNow = g, "毕业"
		if g.Month >= fixture.Month("2025-01") && g.Month < june {
			m.graduationBefore = g
		}
		return m
	}
	april, march := fixture.Month("2025-04"), fixture.Month("2025-03")
	return world{
		period: june,
		households: []household{
			{no: "H31", village: yudu + "100231", netIncome: 10000_00, members: []member{
				{relation: "户主", typ: "脱贫户", relocated: true},
				graduate(member{relation: "子女", typ: "脱贫户", relocated: true, labor: "无劳动力", yuluNow: 1000_00},
					grad("2025-06", "中职", "就业")),
				graduate(member{relation: "子女", typ: "脱贫户", relocated: true, labor: "无劳动力",
					yuluBefore: true, employedIn: april}, grad("2025-01", "高职", "待就业")),
			}},
			{no: "H32", village: yudu + "100232", netIncome: 10000_00, members: []member{
				// Aid only in 2023: History.PersonLife, nothing this year.
				graduate(member{relation: "户主", typ: "脱贫户", yuluBefore: true},
					grad("2025-03", "中职", "升学")),
				// Employed only before graduating.
				graduate(member{relation: "子女", typ: "脱贫户", labor: "无劳动力", yuluBefore: true, employedIn: march},
					grad("2025-05", "中职", "待就业")),
			}},
			{no: "H33", village: yudu + "100233", netIncome: 10000_00, members: []member{
				// A 2024 record still in this month's extract.
				graduate(member{relation: "户主", typ: "脱贫户", yuluBefore: true},
					grad("2024-06", "中职", "就业")),
				graduate(member{relation: "子女", typ: "脱贫户", labor: "无劳动力", yuluBefore: true},
					grad("2025-06", "本科", "就业")),
				// 国家助学金 only.
				graduate(member{relation: "子女", typ: "脱贫户", labor: "无劳动力", aidNow: 2000_00},
					grad("2025-06", "高职", "就业")),
				{relation: "子女", typ: "脱贫户", labor: "无劳动力", yuluNow: 800_00, studentNow: "在读"},
				// 毕业年月 after the period: not yet a graduate of 2025-01..06.
				graduate(member{relation: "子女", typ: "脱贫户", labor: "无劳动力", yuluBefore: true},
					grad("2025-07", "中职", "就业")),
			}},
			{no: "H41", village: jinxian + "200341", netIncome: 10000_00, members: []member{
				graduate(member{relation: "户主", typ: "脱贫户", relocated: true, yuluBefore: true, employedNow: true},
					grad("2025-06", "高职", "待就业")),
				graduate(member{relation: "子女", typ: "脱贫户", relocated: true, labor: "无劳动力", yuluBefore: true},
					grad("2025-04", "中职", "待就业")),
			}},
		},
		present: fixture.AllSources(),
		missing: fixture.Published(june),
	}
}

// TestYuluGraduatePlacementHandWorked checks YULU_GRADUATE_PLACEMENT of
// yuluGraduates at county, city and province level, with its numerator,
// denominator, target and completeness.
func TestYuluGraduatePlacementHandWorked(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := yuluGraduates().build(t, mem)
	defer in.P.Roster.Release()
	rows := byKey(t, indicators.Compute(in))

	const code = "YULU_GRADUATE_PLACEMENT"
	expected := map[rowKey][2]float64{
		{code, "county", yudu}:                   {3, 4},
		{code, "county", jinxian}:                {1, 2},
		{code, "county", lianhua}:                {0, 0},
		{code, "city", ganzhou}:                  {3, 4},
		{code, "city", nanchang}:                 {1, 2},
		{code, "province", schemas.ProvinceCode}: {4, 6},
	}
	for k, w := range expected {
		r, ok := rows[k]
		require.True(t, ok, "no row %v", k)
		require.Equal(t, w[0], r.Numerator, "%v numerator", k)
		require.Equal(t, w[1], r.Denominator, "%v denominator", k)
		want := 0.0 // no graduate to count: the row is written with value 0
		if w[1] != 0 {
			want = w[0] / w[1]
		}
		require.InDelta(t, want, r.Value, 1e-9, "%v value", k)
		require.NotNil(t, r.Target, "%v target", k)
		require.InDelta(t, 0.90, *r.Target, 1e-9, "%v target", k)
		require.True(t, r.Complete, "%v complete", k)
		require.Equal(t, "比例", r.Unit)
	}

	// One row per county, city and the province; no groups.
	n := 0
	for k := range rows {
		if k.code == code {
			n++
			require.NotEqual(t, indicators.LevelGroup, k.level, "group row %v", k)
		}
	}
	require.Equal(t, 112, n)
}

// TestYuluGraduatePlacementComplete: the indicator is incomplete when the
// roster, education or employment extract is missing in some month of
// 2025-01..P, and its value is computed all the same; other extracts do not
// matter.
func TestYuluGraduatePlacementComplete(t *testing.T) {
	const code = "YULU_GRADUATE_PLACEMENT"
	province := rowKey{code, "province", schemas.ProvinceCode}
	tests := []struct {
		name     string
		change   func(w *world)
		complete bool
	}{
		{"employment missing in March", func(w *world) { w.missing[fixture.Month("2025-03")] = []string{schemas.Employment} }, false},
		{"education missing in May", func(w *world) { w.missing[fixture.Month("2025-05")] = []string{schemas.Education} }, false},
		{"roster missing this month", func(w *world) {
			w.present = []string{schemas.Employment, schemas.Education}
		}, false},
		{"pension, civil and medical missing: not needed", func(w *world) {
			w.present = []string{schemas.Roster, schemas.Employment, schemas.Education}
			w.missing[fixture.Month("2025-02")] = []string{schemas.Pension, schemas.Civil, schemas.Medical}
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			w := yuluGraduates()
			tc.change(&w)
			in := w.build(t, mem)
			defer in.P.Roster.Release()
			r := byKey(t, indicators.Compute(in))[province]
			require.Equal(t, tc.complete, r.Complete)
			require.InDelta(t, 4.0/6, r.Value, 1e-9, "value computed all the same")
		})
	}
}

// TestYuluGraduatePlacementNoTarget: without a configured placement target
// the rows carry none, rather than a target of 0.
func TestYuluGraduatePlacementNoTarget(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := yuluGraduates().build(t, mem)
	defer in.P.Roster.Release()
	in.P.Params.Targets.YuluPlacement = 0
	for _, r := range indicators.Compute(in) {
		if r.Code == "YULU_GRADUATE_PLACEMENT" {
			require.Nil(t, r.Target, "%s %s", r.Level, r.Region)
		}
	}
}
