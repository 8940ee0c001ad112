package indicators_test

import (
	"slices"
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

// housingRow and waterRow set a household's housing and water rows in
// force this period.
func housingRow(grade, status string) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		p.HouseholdFacts.SetFlag(schemas.HousingAppraised, h, true)
		p.HouseholdFacts.SetText(schemas.HousingGrade, h, grade)
		p.HouseholdFacts.SetText(schemas.HousingRenovationStatus, h, status)
	}
}

func waterRow(quantity, quality, convenience, assurance, shortage bool) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		f := p.HouseholdFacts
		f.SetFlag(schemas.WaterAssessed, h, true)
		f.SetFlag(schemas.WaterQuantityOK, h, quantity)
		f.SetFlag(schemas.WaterQualityOK, h, quality)
		f.SetFlag(schemas.WaterConvenienceOK, h, convenience)
		f.SetFlag(schemas.WaterAssuranceOK, h, assurance)
		f.SetFlag(schemas.WaterSeasonalShortage, h, shortage)
	}
}

func both(sets ...func(p *model.Period, h int)) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		for _, s := range sets {
			if s != nil {
				s(p, h)
			}
		}
	}
}

// safetyWorld: six one-person households in 于都 and 瑞金 (赣州市) and 黎川
// (抚州市), with their housing and water rows of June 2025.
func safetyWorld(present []string) world {
	const yudu, ruijin, lichuan = "360731100001", "360781100001", "361022100001"
	one := []member{{relation: "户主", typ: "脱贫户"}}
	ok := waterRow(true, true, true, true, false)
	return world{
		period: values.NewMonth(2025, 6), present: present,
		households: []household{
			{no: "H1", village: yudu, members: one, set: both(housingRow("A级", ""), ok)},
			{no: "H2", village: yudu, members: one, set: both(housingRow("C级", "在建"), waterRow(true, false, true, true, false))},
			{no: "H3", village: yudu, members: one, set: housingRow("D级", "竣工")},
			// A seasonal shortage is not an unmet criterion.
			{no: "H4", village: yudu, members: one, set: waterRow(true, true, true, true, true)},
			{no: "H5", village: ruijin, members: one, set: both(housingRow("B级", ""), waterRow(true, true, true, false, false))},
			{no: "H6", village: lichuan, members: one, set: both(housingRow("C级", ""), ok)},
		},
	}
}

// TestHousingAndWaterSafeRates, worked by hand:
//
//	HOUSING_SAFE_RATE (households with a housing row; unsafe = C/D not 竣工):
//	  于都 H1 A级 safe, H2 C级 在建 unsafe, H3 D级 竣工 safe, H4 no row → 2/3
//	  瑞金 H5 B级 → 1/1; 赣州市 3/4 = 0.75; 黎川 H6 C级 → 0/1; 抚州市 0/1
//	  province 3/5 = 0.6
//	WATER_SAFE_RATE (households with a water row; safe = all four 达标):
//	  于都 H1 safe, H2 水质 no, H3 no row, H4 safe (shortage only) → 2/3
//	  瑞金 H5 供水保证率 no → 0/1; 赣州市 2/4 = 0.5; 黎川 H6 → 1/1
//	  province 3/5 = 0.6
func TestHousingAndWaterSafeRates(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	in := safetyWorld(fixture.AllSources()).build(t, mem)
	defer in.P.Roster.Release()
	rows := byKey(t, indicators.Compute(in))
	cases := []struct {
		code, level, region string
		num, den            float64
	}{
		{"HOUSING_SAFE_RATE", "county", "360731", 2, 3},
		{"HOUSING_SAFE_RATE", "county", "360781", 1, 1},
		{"HOUSING_SAFE_RATE", "city", "360700", 3, 4},
		{"HOUSING_SAFE_RATE", "county", "361022", 0, 1},
		{"HOUSING_SAFE_RATE", "city", "361000", 0, 1},
		{"HOUSING_SAFE_RATE", "province", schemas.ProvinceCode, 3, 5},
		{"WATER_SAFE_RATE", "county", "360731", 2, 3},
		{"WATER_SAFE_RATE", "county", "360781", 0, 1},
		{"WATER_SAFE_RATE", "city", "360700", 2, 4},
		{"WATER_SAFE_RATE", "county", "361022", 1, 1},
		{"WATER_SAFE_RATE", "province", schemas.ProvinceCode, 3, 5},
	}
	for _, c := range cases {
		r, ok := rows[rowKey{c.code, c.level, c.region}]
		require.True(t, ok, "%v", c)
		require.Equal(t, c.num, r.Numerator, "%v numerator", c)
		require.Equal(t, c.den, r.Denominator, "%v denominator", c)
		require.InDelta(t, c.num/c.den, r.Value, 1e-12, "%v value", c)
		require.Equal(t, 1.0, *r.Target, "%v target", c)
		require.Equal(t, "比例", r.Unit)
		require.True(t, r.Complete, "%v", c)
	}
	// A county with no appraised household has a row with denominator 0.
	empty := rows[rowKey{"HOUSING_SAFE_RATE", "county", "360102"}]
	require.Equal(t, 0.0, empty.Denominator)
}

// TestSafeRatesAreIncompleteWithoutThisMonthsSnapshot: the snapshot of the
// period decides completeness; the other indicator stays complete.
func TestSafeRatesAreIncompleteWithoutThisMonthsSnapshot(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	present := slices.DeleteFunc(fixture.AllSources(), func(s string) bool { return s == schemas.Water })
	in := safetyWorld(present).build(t, mem)
	defer in.P.Roster.Release()
	rows := byKey(t, indicators.Compute(in))
	require.False(t, rows[rowKey{"WATER_SAFE_RATE", "province", schemas.ProvinceCode}].Complete)
	require.True(t, rows[rowKey{"HOUSING_SAFE_RATE", "province", schemas.ProvinceCode}].Complete)
}
