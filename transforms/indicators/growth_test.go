package indicators_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
)

// TestIncomeGrowthWithoutLastDecember: PER_CAPITA_INCOME_GROWTH needs
// December of Y-1 in the warehouse, region by region; the group targets
// follow the province's growth and the province's the national figure.
func TestIncomeGrowthWithoutLastDecember(t *testing.T) {
	pcni := func(level, region string) model.IndicatorKey {
		return model.IndicatorKey{Code: "PER_CAPITA_NET_INCOME", Level: level, Region: region}
	}
	national := 0.066
	tests := []struct {
		name     string
		prev     map[model.IndicatorKey]float64
		national *float64
		want     map[rowKey]want
	}{
		{
			name: "no December 2024 at all: no growth row",
			prev: nil,
			want: map[rowKey]want{},
		},
		{
			// KEY_COUNTIES 16 800 / 14 000 − 1 = 0.2 with no province growth
			// to compare against.
			name: "groups without the province: no target",
			prev: map[model.IndicatorKey]float64{pcni("group", indicators.GroupKeyCounties): 14000},
			want: map[rowKey]want{{"PER_CAPITA_INCOME_GROWTH", "group", indicators.GroupKeyCounties}: {0.2, nil}},
		},
		{
			// Province 14 000 / 12 500 − 1 = 0.12 against the national 0.066;
			// RELOCATED 12 000 / 10 000 − 1 = 0.2 against the province's 0.12;
			// 进贤 10 500 / 10 000 − 1 = 0.05, no target.
			name: "national growth configured",
			prev: map[model.IndicatorKey]float64{
				pcni("province", schemas.ProvinceCode):   12500,
				pcni("group", indicators.GroupRelocated): 10000,
				pcni("county", jinxian):                  10000,
			},
			national: &national,
			want: map[rowKey]want{
				{"PER_CAPITA_INCOME_GROWTH", "province", schemas.ProvinceCode}:   {0.12, target(0.066)},
				{"PER_CAPITA_INCOME_GROWTH", "group", indicators.GroupRelocated}: {0.2, target(0.12)},
				{"PER_CAPITA_INCOME_GROWTH", "county", jinxian}:                  {0.05, nil},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			w := june2025()
			w.prevDecember = tc.prev
			in := w.build(t, mem)
			defer in.P.Roster.Release()
			in.P.Year.NationalRuralGrowth = tc.national

			got := map[rowKey]want{}
			for _, r := range indicators.Compute(in) {
				if r.Code == "PER_CAPITA_INCOME_GROWTH" {
					got[rowKey{r.Code, r.Level, r.Region}] = want{r.Value, r.Target}
					require.True(t, r.Complete)
				}
			}
			require.Len(t, got, len(tc.want))
			for k, w := range tc.want {
				g, ok := got[k]
				require.True(t, ok, "no row %v", k)
				require.InDelta(t, w.value, g.value, 1e-9, "%v value", k)
				if w.target == nil {
					require.Nil(t, g.target, "%v target", k)
				} else {
					require.NotNil(t, g.target, "%v target", k)
					require.InDelta(t, *w.target, *g.target, 1e-9, "%v target", k)
				}
			}
		})
	}
}
