package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/tables"
)

// TestIndicatorTarget: an indicator row without a target (lower levels of
// an absolute target, indicators with none) is written with a NULL target;
// one with a target carries it, 0 included.
func TestIndicatorTarget(t *testing.T) {
	tests := []struct {
		name string
		row  indicators.Row
		// wantTarget is nil for NULL.
		wantTarget *float64
	}{
		{
			name: "province row with a ratio target",
			row: indicators.Row{Code: "INCOME_RATIO_TO_RURAL", Level: "province", Region: "360000", RegionName: "江西省",
				Value: 0.87, Target: ptr(0.90), Unit: "ratio", Complete: true, Numerator: 21630, Denominator: 24033},
			wantTarget: ptr(0.90),
		},
		{
			name: "county row of an absolute target: NULL",
			row: indicators.Row{Code: "EMPLOYED_PERSONS", Level: "county", Region: "360731", RegionName: "于都县",
				Value: 1250, Unit: "人", Complete: true, Numerator: 1250},
		},
		{
			name: "a target of 0 is not NULL",
			row: indicators.Row{Code: "ZERO_EMPLOYMENT_HOUSEHOLDS", Level: "province", Region: "360000", RegionName: "江西省",
				Value: 3, Target: ptr(0.0), Unit: "户", Complete: false, Numerator: 3},
			wantTarget: ptr(0.0),
		},
	}
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	rows := make([]indicators.Row, len(tests))
	for i, tc := range tests {
		rows[i] = tc.row
	}
	rec, err := tables.Indicator(p, rows, mem)
	require.NoError(t, err)
	defer rec.Release()
	require.True(t, rec.Schema().Equal(schemas.IndicatorTable.ArrowSchema()))

	codes, levels, regions, names, units := strs(t, rec, "indicator_code"), strs(t, rec, "region_level"),
		strs(t, rec, "region_code"), strs(t, rec, "region_name"), strs(t, rec, "unit")
	complete := flags(t, rec, "complete")
	value := column(t, rec, "value").(*array.Float64)
	target := column(t, rec, "target").(*array.Float64)
	num := column(t, rec, "numerator").(*array.Float64)
	den := column(t, rec, "denominator").(*array.Float64)
	years := column(t, rec, "year").(*array.Uint16)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.row
			require.Equal(t, []string{r.Code, r.Level, r.Region, r.RegionName, r.Unit},
				[]string{codes[i], levels[i], regions[i], names[i], units[i]})
			require.Equal(t, r.Complete, complete[i])
			require.Equal(t, []float64{r.Value, r.Numerator, r.Denominator}, []float64{value.Value(i), num.Value(i), den.Value(i)})
			require.Equal(t, uint16(2025), years.Value(i))
			if tc.wantTarget == nil {
				require.True(t, target.IsNull(i), "target is NULL")
			} else {
				require.True(t, target.IsValid(i))
				require.Equal(t, *tc.wantTarget, target.Value(i))
			}
		})
	}
}
