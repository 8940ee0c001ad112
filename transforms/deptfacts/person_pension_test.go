package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
)

// pension is a resident-pension payment of June 2025 to person id.
func pension(id, amount string) row {
	return row{"id_number": id, "pay_month": june2025, "amount": fixture.Yuan(amount)}
}

// TestPensionFacts: 养老金金额 paid in the period is summed per person.
func TestPensionFacts(t *testing.T) {
	tests := []struct {
		name string
		rows []deptRow
		// want is the pension of each roster person, in fen.
		want []int64
	}{
		{"one payment", []deptRow{{0, pension(idA, "163")}}, []int64{16300}},
		{"a payment and a back payment in the month sum", []deptRow{
			{0, pension(idA, "163")},
			{0, pension(idA, "489.30")},
		}, []int64{65230}},
		{"persons stay apart; a null roster index is ignored", []deptRow{
			{1, pension(idB, "200")},
			{unmatched, pension(idC, "9,999")},
			{0, pension(idA, "163")},
		}, []int64{16300, 20000}},
		{"no rows: nothing paid", nil, []int64{0, 0}},
		// Amounts are kept as int32 fen until one does not fit; the column
		// then widens, and no amount is cut: 15 000 000 + 15 000 000 yuan is
		// 3 000 000 000 fen, past int32's 2 147 483 647, beside a small one.
		{"a sum beyond int32 fen is kept exactly", []deptRow{
			{0, pension(idA, "15,000,000")},
			{1, pension(idB, "0.01")},
			{0, pension(idA, "15,000,000")},
			{0, pension(idA, "-0.01")},
		}, []int64{2_999_999_999, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Pension, june2025, len(tc.want), tc.rows)
			require.Equal(t, tc.want, f.Pension)
			requireOnly(t, f, "Pension")
		})
	}
}
