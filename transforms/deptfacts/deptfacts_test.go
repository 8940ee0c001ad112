package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/values"
)

// batch builds a typed batch of department d from rows of cells by logical
// column (strings for text, int64 fen for money, values.Month for months,
// bool for yes/no, nil for null).
func batch(t *testing.T, mem memory.Allocator, d schemas.Department, rows []map[string]any) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, d.TypedSchema())
	defer b.Release()
	for line, r := range rows {
		for i, c := range d.Columns {
			v, ok := r[c.Name]
			f := b.Field(i)
			if !ok || v == nil {
				if c.Kind == schemas.Text || c.Kind == schemas.Enum || c.Kind == schemas.IDNumber {
					f.(*array.StringBuilder).Append("")
				} else {
					f.AppendNull()
				}
				continue
			}
			switch x := v.(type) {
			case string:
				f.(*array.StringBuilder).Append(x)
			case int64:
				f.(*array.Int64Builder).Append(x)
			case values.Month:
				f.(*array.Int32Builder).Append(int32(x))
			case bool:
				f.(*array.BooleanBuilder).Append(x)
			}
		}
		b.Field(len(d.Columns)).(*array.Int64Builder).Append(int64(line + 2))
	}
	return b.NewRecordBatch()
}

// TestCollectiveRollsUpBySumAnyAndVillage: three roster households, five
// rows. Amounts sum by 分配方式; received is any row; the village flag
// counts every 按股分红 row of the village, the unmatched one included.
func TestCollectiveRollsUpBySumAnyAndVillage(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d, err := schemas.DepartmentByName(schemas.Collective)
	require.NoError(t, err)
	const v1, v2 = "360731100001", "360731100002"
	rec := batch(t, mem, d, []map[string]any{
		{"village_code": v1, "household_no": "A", "distribution": "按劳分配", "amount": int64(300_00)},
		{"village_code": v1, "household_no": "A", "distribution": "按劳分配", "amount": int64(50_00)},
		{"village_code": v1, "household_no": "A", "distribution": "按股分红", "amount": int64(20_00)},
		{"village_code": v2, "household_no": "X", "distribution": "按股分红", "amount": int64(99_00)}, // not on the roster
		{"village_code": v1, "household_no": "B", "distribution": "兜底救助", "amount": int64(0)},
	})
	defer rec.Release()
	f := deptfacts.New(schemas.Departments, schemas.HouseholdYearTable.Name, 3, june2025)
	require.NoError(t, f.Add(d, rec, []int32{0, 0, 0, -1, 1}, []string{v1, v1, v1, v2, v1}))

	require.Equal(t, []int64{350_00, 0, 0}, []int64{f.Money(schemas.CollectiveLabor, 0), f.Money(schemas.CollectiveLabor, 1), f.Money(schemas.CollectiveLabor, 2)})
	require.Equal(t, int64(20_00), f.Money(schemas.CollectiveDividend, 0))
	require.Equal(t, int64(0), f.Money(schemas.CollectiveRelief, 1), "a zero distribution")
	require.Equal(t, []bool{true, true, false}, []bool{f.Flag(schemas.CollectiveReceived, 0), f.Flag(schemas.CollectiveReceived, 1), f.Flag(schemas.CollectiveReceived, 2)},
		"a zero distribution is still received")
	require.True(t, f.VillageFlag(schemas.CollectiveVillagePaid, v1))
	require.True(t, f.VillageFlag(schemas.CollectiveVillagePaid, v2), "a dividend to a household off the roster")
	require.False(t, f.VillageFlag(schemas.CollectiveVillagePaid, "360731100003"))
}

// TestHousingKeepsTheLastRowInForce: a snapshot's second row for a
// household replaces the first; a null month stays 0, an empty status "".
func TestHousingKeepsTheLastRowInForce(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d, err := schemas.DepartmentByName(schemas.Housing)
	require.NoError(t, err)
	m := values.NewMonth
	rec := batch(t, mem, d, []map[string]any{
		{"safety_grade": "C级", "appraisal_month": m(2024, 3), "in_renovation_plan": true, "renovation_status": "在建"},
		{"safety_grade": "D级", "appraisal_month": m(2025, 1), "in_renovation_plan": false},
	})
	defer rec.Release()
	f := deptfacts.New(schemas.Departments, schemas.HouseholdYearTable.Name, 2, june2025)
	require.NoError(t, f.Add(d, rec, []int32{0, 0}, nil))
	require.True(t, f.Flag(schemas.HousingAppraised, 0))
	require.False(t, f.Flag(schemas.HousingAppraised, 1), "no row")
	require.Equal(t, "D级", f.Text(schemas.HousingGrade, 0))
	require.Equal(t, m(2025, 1), f.Month(schemas.HousingAppraisalMonth, 0))
	require.False(t, f.Flag(schemas.HousingInPlan, 0))
	require.Equal(t, "", f.Text(schemas.HousingRenovationStatus, 0))
	require.Equal(t, values.Month(0), f.Month(schemas.HousingCompletionMonth, 0))
}

// TestAFactOfAnotherTableIsAnError: facts are added only to the table they
// are declared for.
func TestAFactOfAnotherTableIsAnError(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d, err := schemas.DepartmentByName(schemas.Water)
	require.NoError(t, err)
	rec := batch(t, mem, d, []map[string]any{{"quantity_ok": true}})
	defer rec.Release()
	f := deptfacts.New(schemas.Departments, schemas.PersonMonthTable.Name, 1, june2025)
	require.ErrorContains(t, f.Add(d, rec, []int32{0}, nil), "not a fact of person_month")
}
