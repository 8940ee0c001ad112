package indicators_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
)

// TestCityRunsAndTheProvinceRollUpGiveTheProvincesRows splits the
// hand-worked June 2025 by city, as per-city runs do: 赣州市 (于都: A, B and
// its sales) in one run, every other city (进贤: C, D; 莲花's sales) in the
// other. Each run measures its own households with the whole province's
// history (both see every county's sales before June), keeps the county and
// city rows of its cities, and hands over its partials; the province and
// group rows rolled up from the merged partials. Together the rows are
// exactly those of the whole province computed at once, every field equal.
func TestCityRunsAndTheProvinceRollUpGiveTheProvincesRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	whole := june2025().build(t, mem)
	defer whole.P.Roster.Release()
	want := byKey(t, indicators.Compute(whole))

	ganzhouRun, elsewhereRun := june2025(), june2025()
	ganzhouRun.households, elsewhereRun.households = ganzhouRun.households[:2], elsewhereRun.households[2:]
	ganzhouRun.sales, elsewhereRun.sales = ganzhouRun.sales[:2], elsewhereRun.sales[2:]
	var others []string
	for _, c := range whole.P.Regions.Counties() {
		if c.CityCode != ganzhou && (len(others) == 0 || others[len(others)-1] != c.CityCode) {
			others = append(others, c.CityCode)
		}
	}
	var got []indicators.Row
	var partials [][]indicators.Partial
	for _, run := range []struct {
		w      world
		cities []string
	}{{ganzhouRun, []string{ganzhou}}, {elsewhereRun, others}} {
		in := run.w.build(t, mem)
		parts, keep := indicators.OfCities(in.P.Regions, indicators.Measure(in), run.cities)
		got = append(got, indicators.Rollup(in, parts, keep)...)
		partials = append(partials, parts)
		in.P.Roster.Release()
	}
	merged, err := indicators.MergePartials(partials)
	require.NoError(t, err)
	// The roll-up reads no household: the period's month, parameters,
	// regions and December's indicators are all it needs.
	bare := &indicators.Input{P: &model.Period{Month: whole.P.Month, Params: whole.P.Params, Year: whole.P.Year, Regions: whole.P.Regions,
		History: &model.History{PrevYearIndicators: whole.P.History.PrevYearIndicators}}}
	got = append(got, indicators.Rollup(bare, merged, indicators.ProvinceAndGroups)...)
	require.Equal(t, want, byKey(t, got))

	_, err = indicators.MergePartials([][]indicators.Partial{partials[0], partials[0]})
	require.ErrorContains(t, err, "county 360731 measured by two parts")
}
