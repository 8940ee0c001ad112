package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
)

// pay is a civil-affairs payment of June 2025 to person id.
func pay(id, aidType, amount string) row {
	return row{"id_number": id, "aid_type": aidType, "pay_month": june2025, "amount": fixture.Yuan(amount), "coverage_status": "在保"}
}

// death is a 死亡登记 row of June 2025 (amount 0) with its 死亡日期.
func death(id, date string) row {
	return row{"id_number": id, "aid_type": "死亡登记", "pay_month": june2025, "amount": int64(0), "death_date": fixture.Day(date)}
}

// civil is what the civil-affairs extract says of one roster person.
type civil struct {
	// Amounts in fen.
	Dibao, Tekun, TempRelief, Disability, DisabilityCare int64
	Deceased                                             bool
	DeathDay                                             arrow.Date32
}

// TestCivilFacts: each 救助类型 is summed into its own fact; a 死亡登记 marks
// the person deceased, with the death day, only when 死亡日期 is on or
// before the last day of the period (2025-06-30).
func TestCivilFacts(t *testing.T) {
	tests := []struct {
		name string
		rows []deptRow
		want []civil
	}{
		{
			name: "each payment type lands in its own field",
			rows: []deptRow{
				{0, pay(idA, "城乡低保", "650")},
				{0, pay(idA, "特困供养", "1,100")},
				{0, pay(idA, "临时救助", "1,000")},
				{0, pay(idA, "残疾人生活补贴", "90")},
				{0, pay(idA, "重度残疾人护理补贴", "110.50")},
			},
			want: []civil{{Dibao: 65000, Tekun: 110000, TempRelief: 100000, Disability: 9000, DisabilityCare: 11050}},
		},
		{
			name: "two payments of one type in the month sum",
			rows: []deptRow{
				{0, pay(idA, "城乡低保", "650")},
				{0, pay(idA, "城乡低保", "325.50")},
			},
			want: []civil{{Dibao: 97550}},
		},
		{
			name: "death dated inside the period",
			rows: []deptRow{{0, death(idA, "2025-06-12")}},
			want: []civil{{Deceased: true, DeathDay: fixture.Day("2025-06-12")}},
		},
		{
			name: "death dated the last day of the period",
			rows: []deptRow{{0, death(idA, "2025-06-30")}},
			want: []civil{{Deceased: true, DeathDay: fixture.Day("2025-06-30")}},
		},
		{
			name: "death registered late, dated an earlier month",
			rows: []deptRow{{0, death(idA, "2025-03-02")}},
			want: []civil{{Deceased: true, DeathDay: fixture.Day("2025-03-02")}},
		},
		{
			name: "death dated next month is not (yet) a death",
			rows: []deptRow{{0, death(idA, "2025-07-01")}},
			want: []civil{{}},
		},
		{
			name: "a payment and a death registration in the same month",
			rows: []deptRow{
				{0, pay(idA, "城乡低保", "650")},
				{0, death(idA, "2025-06-20")},
			},
			want: []civil{{Dibao: 65000, Deceased: true, DeathDay: fixture.Day("2025-06-20")}},
		},
		{
			name: "persons stay apart; rows with a null roster index are ignored",
			rows: []deptRow{
				{unmatched, death(idC, "2025-06-01")},
				{1, pay(idB, "特困供养", "1,100")},
				{unmatched, pay(idC, "城乡低保", "650")},
				{0, pay(idA, "临时救助", "2,000")},
			},
			want: []civil{{TempRelief: 200000}, {Tekun: 110000}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Civil, june2025, len(tc.want), tc.rows)

			got := make([]civil, len(tc.want))
			for p := range got {
				got[p] = civil{
					Dibao: f.Dibao[p], Tekun: f.Tekun[p], TempRelief: f.TempRelief[p],
					Disability: f.Disability[p], DisabilityCare: f.DisabilityCare[p],
					Deceased: f.Deceased[p], DeathDay: f.DeathDay[p],
				}
			}
			require.Equal(t, tc.want, got)
			requireOnly(t, f, "Dibao", "Tekun", "TempRelief", "Disability", "DisabilityCare", "Deceased", "DeathDay")
		})
	}
}
