package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
)

// insurance is a medical row of person id for insurance year year with
// 参保状态 status and 资助参保类别 category, and no cost settled until
// settled() sets one.
func insurance(id string, year int64, status, category, subsidy string) row {
	return row{"id_number": id, "insurance_year": year, "insurance_status": status, "subsidy_category": category,
		"subsidy_amount": fixture.Yuan(subsidy), "total_cost": int64(0), "basic_reimbursement": int64(0),
		"critical_reimbursement": int64(0), "medical_assistance": int64(0), "out_of_pocket": int64(0)}
}

// settled returns the row with a settlement: the total cost, the three
// reimbursements and the out-of-pocket rest (total − the three).
func (r row) settled(total, basic, critical, assistance, oop string) row {
	return r.with("total_cost", fixture.Yuan(total)).with("basic_reimbursement", fixture.Yuan(basic)).
		with("critical_reimbursement", fixture.Yuan(critical)).with("medical_assistance", fixture.Yuan(assistance)).
		with("out_of_pocket", fixture.Yuan(oop))
}

// medical is what the medical-insurance extract says of one roster person.
type medical struct {
	Insured  bool
	Category string
	// Subsidy, Total and OOP are in fen.
	Subsidy, Total, OOP int64
}

// TestMedicalFacts: a person is insured only with 参保状态 正常参保 for the
// 参保年度 of the period (2025), and then carries the 资助参保类别; premium
// subsidies, total costs and out-of-pocket amounts are summed.
func TestMedicalFacts(t *testing.T) {
	tests := []struct {
		name string
		rows []deptRow
		want []medical
	}{
		{
			name: "正常参保 for the period's year: insured",
			rows: []deptRow{{0, insurance(idA, 2025, "正常参保", "全额资助", "380")}},
			want: []medical{{Insured: true, Category: "全额资助", Subsidy: 38000}},
		},
		{
			name: "正常参保 for last year only: not insured",
			rows: []deptRow{{0, insurance(idA, 2024, "正常参保", "无", "0")}},
			want: []medical{{}},
		},
		{
			name: "正常参保 for next year only: not insured",
			rows: []deptRow{{0, insurance(idA, 2026, "正常参保", "无", "0")}},
			want: []medical{{}},
		},
		{
			name: "中断 for the period's year: not insured",
			rows: []deptRow{{0, insurance(idA, 2025, "中断", "无", "0")}},
			want: []medical{{}},
		},
		{
			name: "未参保: not insured, yet the costs settled count",
			rows: []deptRow{{0, insurance(idA, 2025, "未参保", "无", "0").settled("2,000", "0", "0", "0", "2,000")}},
			want: []medical{{Total: 200000, OOP: 200000}},
		},
		{
			name: "two settlements in the month: subsidy, total and out-of-pocket sum",
			rows: []deptRow{
				{0, insurance(idA, 2025, "正常参保", "定额资助", "200").settled("12,000", "6,000", "2,000", "1,000", "3,000")},
				{0, insurance(idA, 2025, "正常参保", "定额资助", "0").settled("800", "400", "0", "0", "400")},
			},
			// total 12 000 + 800 = 12 800; out of pocket 3 000 + 400 = 3 400
			want: []medical{{Insured: true, Category: "定额资助", Subsidy: 20000, Total: 1280000, OOP: 340000}},
		},
		{
			name: "last year's 正常参保 row does not make this year's 中断 insured",
			rows: []deptRow{
				{0, insurance(idA, 2024, "正常参保", "全额资助", "0")},
				{0, insurance(idA, 2025, "中断", "无", "0")},
			},
			want: []medical{{}},
		},
		{
			name: "persons stay apart; a null roster index is ignored",
			rows: []deptRow{
				{unmatched, insurance(idC, 2025, "正常参保", "全额资助", "380").settled("500", "250", "0", "0", "250")},
				{1, insurance(idB, 2025, "正常参保", "无", "0").settled("300.20", "150.10", "0", "0", "150.10")},
			},
			want: []medical{{}, {Insured: true, Category: "无", Total: 30020, OOP: 15010}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Medical, june2025, len(tc.want), tc.rows)

			got := make([]medical, len(tc.want))
			for p := range got {
				got[p] = medical{
					Insured: f.Insured[p], Category: f.SubsidyCategory[p],
					Subsidy: f.InsuranceSubsidy[p], Total: f.MedicalTotal[p], OOP: f.MedicalOutOfPocket[p],
				}
			}
			require.Equal(t, tc.want, got)
			requireOnly(t, f, "Insured", "SubsidyCategory", "InsuranceSubsidy", "MedicalTotal", "MedicalOutOfPocket")
		})
	}
}
