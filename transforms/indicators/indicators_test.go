package indicators_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// Counties of the hand-worked period: 于都县 (赣州市, a key county) and
// 进贤县 (南昌市, not a key county); 莲花县 (萍乡市) only sells.
const (
	yudu      = "360731"
	ganzhou   = "360700"
	jinxian   = "360124"
	nanchang  = "360100"
	lianhua   = "360321"
	pingxiang = "360300"
)

// june2025 is the hand-worked period: June 2025, m = 6, so annualizing
// multiplies year-to-date income by 12 / 6 = 2. The 2025 parameters are the
// defaults: rural income 24 033 yuan, ratio target 0.90.
//
//	household  county  type (户主 row)  relocated  size  net income YTD
//	A H01      于都    脱贫户           no         3     30 000
//	B H02      于都    脱贫不稳定户     yes        2     12 000
//	C H03      进贤    脱贫户           no         4     21 000
//	D H04      进贤    边缘易致贫户     yes        1      9 000
//
// B's first row is a child whose own row says 脱贫户 and not relocated: the
// household follows its 户主 row. D is a monitoring object but not 脱贫人口.
func june2025() world {
	june := values.NewMonth(2025, 6)
	return world{
		period: june,
		households: []household{
			{no: "H01", village: yudu + "100201", netIncome: 30000_00, members: []member{
				{relation: "户主", typ: "脱贫户", size: 3, employedBefore: true},
				{relation: "配偶", typ: "脱贫户", size: 3, employedNow: true},
				{relation: "子女", typ: "脱贫户", size: 3, vocationalNow: true},
			}},
			{no: "H02", village: yudu + "100202", netIncome: 12000_00, members: []member{
				{relation: "子女", typ: "脱贫户", size: 2, vocationalBefore: true},
				{relation: "户主", typ: "脱贫不稳定户", relocated: true, size: 2, employedBefore: true, employedNow: true},
			}},
			{no: "H03", village: jinxian + "200301", netIncome: 21000_00, members: []member{
				{relation: "户主", typ: "脱贫户", size: 4},
				{relation: "配偶", typ: "脱贫户", size: 4},
			}},
			{no: "H04", village: jinxian + "200302", netIncome: 9000_00, members: []member{
				{relation: "户主", typ: "边缘易致贫户", relocated: true, size: 1, employedNow: true},
			}},
		},
		salesBefore: map[string]int64{yudu: 1_200_000_00, jinxian: 800_000_00},
		sales: []model.SalesRow{
			{County: yudu, Channel: "832平台", Category: "脐橙", Amount: 300_000_50, Rows: 3},
			{County: yudu, Channel: "电商平台", Category: "茶油", Amount: 45_000_25, Rows: 1},
			{County: lianhua, Channel: "社会采购", Category: "大米", Amount: 10_000_00, Rows: 2},
		},
		present: fixture.AllSources(),
		// Every month before June was published with every source.
		missing: fixture.Published(june),
		// December 2024's PER_CAPITA_NET_INCOME, for PER_CAPITA_INCOME_GROWTH:
		// 进贤 has none, 南昌 has 0 and 莲花 has no 脱贫人口 household this
		// year, so those three get no growth row.
		prevDecember: map[model.IndicatorKey]float64{
			{Code: "PER_CAPITA_NET_INCOME", Level: "county", Region: yudu}:                       15000,
			{Code: "PER_CAPITA_NET_INCOME", Level: "county", Region: lianhua}:                    9000,
			{Code: "PER_CAPITA_NET_INCOME", Level: "city", Region: ganzhou}:                      16000,
			{Code: "PER_CAPITA_NET_INCOME", Level: "city", Region: nanchang}:                     0,
			{Code: "PER_CAPITA_NET_INCOME", Level: "province", Region: schemas.ProvinceCode}:     12500,
			{Code: "PER_CAPITA_NET_INCOME", Level: "group", Region: indicators.GroupKeyCounties}: 14000,
			{Code: "PER_CAPITA_NET_INCOME", Level: "group", Region: indicators.GroupRelocated}:   12500,
			{Code: "EMPLOYED_PERSONS", Level: "province", Region: schemas.ProvinceCode}:          1300000,
		},
	}
}

// want is an expected indicator value and its target (nil: no target).
type want struct {
	value  float64
	target *float64
}

func target(v float64) *float64 { return &v }

// TestIndicatorsHandWorked checks the indicators of june2025 at county, city,
// province and group level against figures worked by hand.
func TestIndicatorsHandWorked(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := june2025().build(t, mem)
	defer in.P.Roster.Release()
	require.Equal(t, []int64{3, 2, 4, 1}, []int64{in.P.Households[0].Size, in.P.Households[1].Size, in.P.Households[2].Size, in.P.Households[3].Size})

	rows := byKey(t, indicators.Compute(in))
	const rural = 24033.0

	expected := map[rowKey]want{
		// EMPLOYED_PERSONS: distinct roster persons employed in 2025-01..06.
		// 于都: A户主 (March), A配偶 (June), B户主 (both, once) = 3; 进贤: D户主 = 1.
		{"EMPLOYED_PERSONS", "county", yudu}:                   {3, nil},
		{"EMPLOYED_PERSONS", "county", jinxian}:                {1, nil},
		{"EMPLOYED_PERSONS", "county", lianhua}:                {0, nil},
		{"EMPLOYED_PERSONS", "city", ganzhou}:                  {3, nil},
		{"EMPLOYED_PERSONS", "city", nanchang}:                 {1, nil},
		{"EMPLOYED_PERSONS", "province", schemas.ProvinceCode}: {4, target(1309000)},

		// VOCATIONAL_NEW_ENROLLMENT: A子女 (June) + B子女 (earlier) = 2, both 于都.
		{"VOCATIONAL_NEW_ENROLLMENT", "county", yudu}:                   {2, nil},
		{"VOCATIONAL_NEW_ENROLLMENT", "county", jinxian}:                {0, nil},
		{"VOCATIONAL_NEW_ENROLLMENT", "city", ganzhou}:                  {2, nil},
		{"VOCATIONAL_NEW_ENROLLMENT", "province", schemas.ProvinceCode}: {2, target(20000)},

		// HELP_SALES in yuan, Jan–May from the warehouse plus June:
		// 于都 1 200 000 + 300 000.50 + 45 000.25 = 1 545 000.75
		// 进贤   800 000 + 0                      =   800 000.00
		// 莲花         0 + 10 000                 =    10 000.00
		// province 1 545 000.75 + 800 000 + 10 000 = 2 355 000.75
		{"HELP_SALES", "county", yudu}:                   {1545000.75, nil},
		{"HELP_SALES", "county", jinxian}:                {800000, nil},
		{"HELP_SALES", "county", lianhua}:                {10000, nil},
		{"HELP_SALES", "city", ganzhou}:                  {1545000.75, nil},
		{"HELP_SALES", "city", nanchang}:                 {800000, nil},
		{"HELP_SALES", "city", pingxiang}:                {10000, nil},
		{"HELP_SALES", "province", schemas.ProvinceCode}: {2355000.75, target(14e9)},

		// PER_CAPITA_NET_INCOME over 脱贫人口 households (A, B, C; not D),
		// Σ net / Σ size × 12 / 6:
		// 于都 (30000 + 12000) / (3 + 2) × 2 = 16 800
		// 进贤 21000 / 4 × 2                 = 10 500
		// province 63000 / 9 × 2             = 14 000 (not the mean of 16 800 and 10 500)
		// KEY_COUNTIES: 于都 only            = 16 800
		// RELOCATED: B only, 12000 / 2 × 2   = 12 000 (D is relocated but not 脱贫人口)
		// Province target 0.90 × 24 033 = 21 629.7; none below it.
		{"PER_CAPITA_NET_INCOME", "county", yudu}:                       {16800, nil},
		{"PER_CAPITA_NET_INCOME", "county", jinxian}:                    {10500, nil},
		{"PER_CAPITA_NET_INCOME", "city", ganzhou}:                      {16800, nil},
		{"PER_CAPITA_NET_INCOME", "city", nanchang}:                     {10500, nil},
		{"PER_CAPITA_NET_INCOME", "province", schemas.ProvinceCode}:     {14000, target(0.90 * rural)},
		{"PER_CAPITA_NET_INCOME", "group", indicators.GroupKeyCounties}: {16800, nil},
		{"PER_CAPITA_NET_INCOME", "group", indicators.GroupRelocated}:   {12000, nil},

		// MONITORED_PER_CAPITA_NET_INCOME over B (户主 脱贫不稳定户) and D:
		// 于都 12000 / 2 × 2 = 12 000; 进贤 9000 / 1 × 2 = 18 000;
		// province (12000 + 9000) / 3 × 2 = 14 000.
		{"MONITORED_PER_CAPITA_NET_INCOME", "county", yudu}:                   {12000, nil},
		{"MONITORED_PER_CAPITA_NET_INCOME", "county", jinxian}:                {18000, nil},
		{"MONITORED_PER_CAPITA_NET_INCOME", "province", schemas.ProvinceCode}: {14000, nil},

		// INCOME_RATIO_TO_RURAL = PER_CAPITA_NET_INCOME / 24 033; the ratio
		// target 0.90 at every level.
		{"INCOME_RATIO_TO_RURAL", "county", yudu}:                   {16800 / rural, target(0.90)},
		{"INCOME_RATIO_TO_RURAL", "county", jinxian}:                {10500 / rural, target(0.90)},
		{"INCOME_RATIO_TO_RURAL", "county", lianhua}:                {0, target(0.90)},
		{"INCOME_RATIO_TO_RURAL", "city", ganzhou}:                  {16800 / rural, target(0.90)},
		{"INCOME_RATIO_TO_RURAL", "city", nanchang}:                 {10500 / rural, target(0.90)},
		{"INCOME_RATIO_TO_RURAL", "province", schemas.ProvinceCode}: {14000 / rural, target(0.90)},

		// PER_CAPITA_INCOME_GROWTH = PER_CAPITA_NET_INCOME now / December 2024 − 1:
		// 于都 16 800 / 15 000 − 1 = 0.12; 赣州 16 800 / 16 000 − 1 = 0.05;
		// province 14 000 / 12 500 − 1 = 0.12 (no national growth configured
		// for 2025: no target); KEY_COUNTIES 16 800 / 14 000 − 1 = 0.20 and
		// RELOCATED 12 000 / 12 500 − 1 = −0.04, both against the province's 0.12.
		{"PER_CAPITA_INCOME_GROWTH", "county", yudu}:                       {0.12, nil},
		{"PER_CAPITA_INCOME_GROWTH", "city", ganzhou}:                      {0.05, nil},
		{"PER_CAPITA_INCOME_GROWTH", "province", schemas.ProvinceCode}:     {0.12, nil},
		{"PER_CAPITA_INCOME_GROWTH", "group", indicators.GroupKeyCounties}: {0.20, target(0.12)},
		{"PER_CAPITA_INCOME_GROWTH", "group", indicators.GroupRelocated}:   {-0.04, target(0.12)},
	}
	for k, w := range expected {
		r, ok := rows[k]
		require.True(t, ok, "no row %v", k)
		require.InDelta(t, w.value, r.Value, 1e-9, "%v value", k)
		if w.target == nil {
			require.Nil(t, r.Target, "%v target", k)
		} else {
			require.NotNil(t, r.Target, "%v target", k)
			require.InDelta(t, *w.target, *r.Target, 1e-9, "%v target", k)
		}
		require.True(t, r.Complete, "%v complete", k)
	}

	// The ratio's parts are kept: Σ net income (yuan) and Σ household size.
	pc := rows[rowKey{"PER_CAPITA_NET_INCOME", "province", schemas.ProvinceCode}]
	require.Equal(t, 63000.0, pc.Numerator)
	require.Equal(t, 9.0, pc.Denominator)
	ratio := rows[rowKey{"INCOME_RATIO_TO_RURAL", "province", schemas.ProvinceCode}]
	require.Equal(t, 14000.0, ratio.Numerator)
	require.Equal(t, rural, ratio.Denominator)
	require.Equal(t, "江西省", ratio.RegionName)
	require.Equal(t, "于都县", rows[rowKey{"EMPLOYED_PERSONS", "county", yudu}].RegionName)
	require.Equal(t, "赣州市", rows[rowKey{"EMPLOYED_PERSONS", "city", ganzhou}].RegionName)

	growth := rows[rowKey{"PER_CAPITA_INCOME_GROWTH", "group", indicators.GroupRelocated}]
	require.Equal(t, 12000.0, growth.Numerator)
	require.Equal(t, 12500.0, growth.Denominator)
	require.Equal(t, "比例", growth.Unit)

	// Every indicator has a row for each of the 100 counties, 11 cities and
	// the province; only PER_CAPITA_NET_INCOME and PER_CAPITA_INCOME_GROWTH
	// have the two groups, and growth only where December 2024 has a value.
	ratioTargets := map[string]bool{"INCOME_RATIO_TO_RURAL": true, "SHARE_ABOVE_10K": true,
		"RELOCATED_EMPLOYMENT_COVERAGE": true, "INSURED_RATE": true, "STUDENT_AID_COVERAGE": true,
		"YULU_GRADUATE_PLACEMENT": true, "HOUSING_SAFE_RATE": true, "WATER_SAFE_RATE": true}
	perCode := map[string]int{}
	for k, r := range rows {
		perCode[k.code]++
		require.Contains(t, indicators.Codes(), k.code)
		if k.level == indicators.LevelGroup {
			require.Contains(t, []string{"PER_CAPITA_NET_INCOME", "PER_CAPITA_INCOME_GROWTH"}, k.code, "group row %v", k)
		}
		switch {
		case ratioTargets[k.code]:
			require.NotNil(t, r.Target, "ratio target at every level: %v", k)
		case k.level != indicators.LevelProvince && k.level != indicators.LevelGroup:
			require.Nil(t, r.Target, "absolute targets apply at province level only: %v", k)
		}
	}
	require.Equal(t, map[string]int{
		"EMPLOYED_PERSONS": 112, "VOCATIONAL_NEW_ENROLLMENT": 112, "YULU_GRADUATE_PLACEMENT": 112, "HELP_SALES": 112,
		"PER_CAPITA_NET_INCOME": 114, "MONITORED_PER_CAPITA_NET_INCOME": 112, "INCOME_RATIO_TO_RURAL": 112,
		"SHARE_ABOVE_10K": 112, "ZERO_EMPLOYMENT_HOUSEHOLDS": 112, "RELOCATED_EMPLOYMENT_COVERAGE": 112,
		"INSURED_RATE": 112, "STUDENT_AID_COVERAGE": 112, "PER_CAPITA_INCOME_GROWTH": 5,
		"HOUSING_SAFE_RATE": 112, "WATER_SAFE_RATE": 112,
	}, perCode)
}

// TestIndicatorsComplete pins `complete`: false when a source an indicator
// needs is missing in some month of 2025-01..P, whether this month
// (Period.Present) or an earlier one (History.Missing, or a month never
// published); the values are still computed, never silently zero.
func TestIndicatorsComplete(t *testing.T) {
	without := func(list []string, drop string) []string {
		var out []string
		for _, s := range list {
			if s != drop {
				out = append(out, s)
			}
		}
		return out
	}
	march, may := values.NewMonth(2025, 3), values.NewMonth(2025, 5)
	tests := []struct {
		name   string
		change func(w *world)
		// incomplete lists the indicators written with complete = false.
		incomplete []string
	}{
		{name: "every source every month", change: func(*world) {}},
		{
			name:   "employment missing in March",
			change: func(w *world) { w.missing[march] = []string{schemas.Employment} },
			incomplete: []string{"EMPLOYED_PERSONS", "YULU_GRADUATE_PLACEMENT", "PER_CAPITA_NET_INCOME",
				"MONITORED_PER_CAPITA_NET_INCOME", "INCOME_RATIO_TO_RURAL", "PER_CAPITA_INCOME_GROWTH",
				"SHARE_ABOVE_10K", "ZERO_EMPLOYMENT_HOUSEHOLDS", "RELOCATED_EMPLOYMENT_COVERAGE"},
		},
		{
			name:   "education missing this month",
			change: func(w *world) { w.present = without(w.present, schemas.Education) },
			incomplete: []string{"VOCATIONAL_NEW_ENROLLMENT", "YULU_GRADUATE_PLACEMENT", "PER_CAPITA_NET_INCOME",
				"MONITORED_PER_CAPITA_NET_INCOME", "INCOME_RATIO_TO_RURAL", "PER_CAPITA_INCOME_GROWTH",
				"SHARE_ABOVE_10K", "STUDENT_AID_COVERAGE"},
		},
		{
			name:       "sales missing this month",
			change:     func(w *world) { w.present = without(w.present, schemas.Sales) },
			incomplete: []string{"HELP_SALES"},
		},
		{
			// INSURED_RATE reads only this month's medical extract.
			name:       "sales and medical missing in May",
			change:     func(w *world) { w.missing[may] = []string{schemas.Sales, schemas.Medical} },
			incomplete: []string{"HELP_SALES"},
		},
		{
			name:   "survey missing in May",
			change: func(w *world) { w.missing[may] = []string{schemas.HouseholdIncome} },
			incomplete: []string{"PER_CAPITA_NET_INCOME", "MONITORED_PER_CAPITA_NET_INCOME",
				"INCOME_RATIO_TO_RURAL", "PER_CAPITA_INCOME_GROWTH", "SHARE_ABOVE_10K"},
		},
		{
			name:   "roster missing in March makes the roster-based counts incomplete, not INSURED_RATE",
			change: func(w *world) { w.missing[march] = []string{schemas.Roster} },
			incomplete: []string{"EMPLOYED_PERSONS", "VOCATIONAL_NEW_ENROLLMENT", "YULU_GRADUATE_PLACEMENT",
				"PER_CAPITA_NET_INCOME", "MONITORED_PER_CAPITA_NET_INCOME", "INCOME_RATIO_TO_RURAL",
				"PER_CAPITA_INCOME_GROWTH", "SHARE_ABOVE_10K", "ZERO_EMPLOYMENT_HOUSEHOLDS",
				"RELOCATED_EMPLOYMENT_COVERAGE", "STUDENT_AID_COVERAGE"},
		},
		{
			name:   "February never published counts as every source missing, except for INSURED_RATE",
			change: func(w *world) { delete(w.missing, values.NewMonth(2025, 2)) },
			incomplete: []string{"EMPLOYED_PERSONS", "VOCATIONAL_NEW_ENROLLMENT", "YULU_GRADUATE_PLACEMENT",
				"HELP_SALES", "PER_CAPITA_NET_INCOME", "MONITORED_PER_CAPITA_NET_INCOME", "INCOME_RATIO_TO_RURAL",
				"PER_CAPITA_INCOME_GROWTH", "SHARE_ABOVE_10K", "ZERO_EMPLOYMENT_HOUSEHOLDS",
				"RELOCATED_EMPLOYMENT_COVERAGE", "STUDENT_AID_COVERAGE"},
		},
		{
			name:       "medical missing this month",
			change:     func(w *world) { w.present = without(w.present, schemas.Medical) },
			incomplete: []string{"INSURED_RATE"},
		},
		{
			name:   "civil missing this month: safety-net status unknown",
			change: func(w *world) { w.present = without(w.present, schemas.Civil) },
			incomplete: []string{"PER_CAPITA_NET_INCOME", "MONITORED_PER_CAPITA_NET_INCOME",
				"INCOME_RATIO_TO_RURAL", "PER_CAPITA_INCOME_GROWTH", "SHARE_ABOVE_10K"},
		},
	}

	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	full := june2025().build(t, mem)
	defer full.P.Roster.Release()
	reference := byKey(t, indicators.Compute(full))

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			w := june2025()
			tc.change(&w)
			in := w.build(t, mem)
			defer in.P.Roster.Release()

			incomplete := map[string]bool{}
			for _, c := range tc.incomplete {
				incomplete[c] = true
			}
			rows := byKey(t, indicators.Compute(in))
			require.Len(t, rows, len(reference))
			for k, r := range rows {
				require.Equal(t, !incomplete[k.code], r.Complete, "%v complete", k)
				require.Equal(t, reference[k].Value, r.Value, "%v value computed all the same", k)
			}
		})
	}
}
