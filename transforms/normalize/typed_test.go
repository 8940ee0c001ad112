package normalize_test

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/normalize"
	"zengshou/transforms/values"
)

// normalizeRows runs rows of one source through a Normalizer and returns the
// typed batch (released by the caller) after checking nothing was rejected.
func normalizeRows(t *testing.T, mem memory.Allocator, src schemas.Source, rows ...cells) arrow.RecordBatch {
	t.Helper()
	raw := make([]rawRow, len(rows))
	for i, c := range rows {
		raw[i] = rawRow{cells: c}
	}
	rec := rawBatch(t, mem, src, raw)
	defer rec.Release()
	typed, rejected, err := normalize.New(src, period, schemas.MustLoadRegions(), mem).Normalize(rec)
	require.NoError(t, err)
	require.Empty(t, rejected)
	require.EqualValues(t, len(rows), typed.NumRows())
	return typed
}

// TestNormalizeTypedRoster pins the canonical ID number of every dirty form,
// the typed flags and sizes, and that file order and line numbers are kept.
func TestNormalizeTypedRoster(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	src := fixture.Source(t, schemas.Roster)
	base := cells{
		"name": "张三丰", "household_no": "H001", "relation": "户主", "village_code": "360731100201",
		"household_type": "脱贫户", "labor_capacity": "普通劳动力", "is_relocated": "否", "household_size": "3",
	}
	typed := normalizeRows(t, mem, src,
		base.with(cells{"id_number": idLegacy15}),
		base.with(cells{"id_number": idFullWidth, "is_relocated": "Y", "household_size": "３"}),
		base.with(cells{"id_number": "36073119800101107x", "is_relocated": "1", "risk_eliminated": "否"}),
		base.with(cells{"id_number": "'" + idA, "household_size": "4.0"}),
	)
	defer typed.Release()

	ids := column(t, src, typed, "id_number").(*array.String)
	require.Equal(t, []string{idLegacy18, idB, idC, idA}, []string{ids.Value(0), ids.Value(1), ids.Value(2), ids.Value(3)})

	sizes := column(t, src, typed, "household_size").(*array.Int64)
	require.Equal(t, []int64{3, 3, 3, 4}, sizes.Int64Values())

	relocated := column(t, src, typed, "is_relocated").(*array.Boolean)
	require.Equal(t, []bool{false, true, true, false},
		[]bool{relocated.Value(0), relocated.Value(1), relocated.Value(2), relocated.Value(3)})

	risk := column(t, src, typed, "risk_eliminated").(*array.Boolean)
	require.True(t, risk.IsNull(0), "empty optional flag is null, not false")
	require.True(t, risk.IsValid(2))
	require.False(t, risk.Value(2))

	lines := typed.Column(int(typed.NumCols()) - 1).(*array.Int64)
	require.Equal(t, []int64{2, 3, 4, 5}, lines.Int64Values())
}

// TestNormalizeTypedAmountsAndMonths pins money in exact fen, months as
// values.Month, dates as Date32, and null for empty optional cells.
func TestNormalizeTypedAmountsAndMonths(t *testing.T) {
	t.Run("household_income money in fen", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)
		src := fixture.Source(t, schemas.HouseholdIncome)
		typed := normalizeRows(t, mem, src, cells{
			"household_no": " H001 ", "year": "2025", "business_income": "￥1,234.50", "business_cost": "１２３．４５",
			"property_income": "0.01", "transfer_other": "1234元", "wage_self_reported": "25,000",
		})
		defer typed.Release()
		require.Equal(t, "H001", column(t, src, typed, "household_no").(*array.String).Value(0))
		require.Equal(t, int64(2025), column(t, src, typed, "year").(*array.Int64).Value(0))
		for name, fen := range map[string]int64{
			"business_income":    123450,  // ￥1,234.50
			"business_cost":      12345,   // １２３．４５
			"property_income":    1,       // 0.01
			"transfer_other":     123400,  // 1234元
			"wage_self_reported": 2500000, // 25,000
		} {
			require.Equal(t, fen, column(t, src, typed, name).(*array.Int64).Value(0), name)
		}
	})

	t.Run("employment month and optional amount", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)
		src := fixture.Source(t, schemas.Employment)
		row := cells{"id_number": idA, "month": "2025年6月", "status": "务工就业", "form": "企业务工", "area": "省外", "wage": "3,500.00"}
		typed := normalizeRows(t, mem, src, row, row.with(cells{"month": "2025/06", "travel_subsidy": "￥300"}))
		defer typed.Release()
		months := column(t, src, typed, "month").(*array.Int32)
		require.Equal(t, int32(values.NewMonth(2025, 6)), months.Value(0))
		require.Equal(t, int32(values.NewMonth(2025, 6)), months.Value(1))
		require.Equal(t, []int64{350000, 350000}, column(t, src, typed, "wage").(*array.Int64).Int64Values())
		travel := column(t, src, typed, "travel_subsidy").(*array.Int64)
		require.True(t, travel.IsNull(0), "empty optional amount is null")
		require.Equal(t, int64(30000), travel.Value(1))
		require.True(t, column(t, src, typed, "employer").IsNull(0))
	})

	t.Run("civil death date", func(t *testing.T) {
		mem := memory.NewCheckedAllocator(poisonmem.New())
		defer mem.AssertSize(t, 0)
		src := fixture.Source(t, schemas.Civil)
		typed := normalizeRows(t, mem, src, cells{
			"id_number": idA, "aid_type": "死亡登记", "pay_month": "2025-06", "amount": "0", "death_date": "20250603",
		})
		defer typed.Release()
		day := column(t, src, typed, "death_date").(*array.Date32).Value(0)
		require.Equal(t, arrow.Date32FromTime(time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)), day)
		require.True(t, column(t, src, typed, "coverage_status").IsNull(0))
	})
}
