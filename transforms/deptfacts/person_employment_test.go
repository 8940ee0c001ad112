package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
)

// job is an employment row of June 2025 for person id.
func job(id, status, form, area, wage string) row {
	return row{"id_number": id, "month": june2025, "status": status, "form": form, "area": area, "wage": fixture.Yuan(wage)}
}

// employment is what the employment extract says of one roster person.
type employment struct {
	Employed   bool
	Form, Area string
	// Wage and Travel are in fen.
	Wage, Travel int64
}

// TestEmploymentFacts: wages count only where 就业状态 is not 未就业; a
// person is employed with a 务工就业 or 灵活就业 row; 就业形式 and 就业地域
// are those of the best-paid counted row; 一次性交通补助 is summed whatever
// the status; rows whose person is not on the roster are ignored.
func TestEmploymentFacts(t *testing.T) {
	tests := []struct {
		name string
		rows []deptRow
		// want is indexed by roster row.
		want []employment
	}{
		{
			name: "务工就业: wage counted, employed",
			rows: []deptRow{{0, job(idA, "务工就业", "企业务工", "省外", "4,200")}},
			want: []employment{{Employed: true, Form: "企业务工", Area: "省外", Wage: 420000}},
		},
		{
			name: "灵活就业: wage counted, employed",
			rows: []deptRow{{0, job(idA, "灵活就业", "自主创业", "县内", "1,800.50")}},
			want: []employment{{Employed: true, Form: "自主创业", Area: "县内", Wage: 180050}},
		},
		{
			name: "未就业: a wage on the row is not counted, not employed, no form or area",
			rows: []deptRow{{0, job(idA, "未就业", "其他", "县内", "300")}},
			want: []employment{{}},
		},
		{
			name: "未就业 with a travel subsidy still adds the subsidy",
			rows: []deptRow{{0, job(idA, "未就业", "其他", "县内", "0").with("travel_subsidy", fixture.Yuan("500"))}},
			want: []employment{{Travel: 50000}},
		},
		{
			name: "two jobs in a month: wages sum, form and area of the best-paid (listed second)",
			rows: []deptRow{
				{0, job(idA, "务工就业", "公益性岗位", "县内", "800")},
				{0, job(idA, "务工就业", "企业务工", "省外", "3,500.50").with("travel_subsidy", fixture.Yuan("200"))},
			},
			// 800.00 + 3 500.50 = 4 300.50
			want: []employment{{Employed: true, Form: "企业务工", Area: "省外", Wage: 430050, Travel: 20000}},
		},
		{
			name: "two jobs in a month: the best-paid listed first keeps its form and area",
			rows: []deptRow{
				{0, job(idA, "务工就业", "企业务工", "省外", "3,500.50")},
				{0, job(idA, "灵活就业", "公益性岗位", "县内", "800")},
			},
			want: []employment{{Employed: true, Form: "企业务工", Area: "省外", Wage: 430050}},
		},
		{
			name: "equal wages: the first row in file order gives form and area",
			rows: []deptRow{
				{0, job(idA, "务工就业", "帮扶车间", "县内", "2,000")},
				{0, job(idA, "务工就业", "以工代赈", "省内县外", "2,000")},
			},
			want: []employment{{Employed: true, Form: "帮扶车间", Area: "县内", Wage: 400000}},
		},
		{
			name: "a better-paid 未就业 row neither counts nor gives the form",
			rows: []deptRow{
				{0, job(idA, "务工就业", "帮扶车间", "县内", "1,000")},
				{0, job(idA, "未就业", "企业务工", "省外", "5,000")},
			},
			want: []employment{{Employed: true, Form: "帮扶车间", Area: "县内", Wage: 100000}},
		},
		{
			name: "travel subsidies sum over counted and 未就业 rows; an empty subsidy is 0",
			rows: []deptRow{
				{0, job(idA, "务工就业", "企业务工", "省外", "3,000").with("travel_subsidy", fixture.Yuan("300"))},
				{0, job(idA, "未就业", "其他", "省外", "0").with("travel_subsidy", fixture.Yuan("200"))},
				{0, job(idA, "灵活就业", "其他", "县内", "100")},
			},
			want: []employment{{Employed: true, Form: "企业务工", Area: "省外", Wage: 310000, Travel: 50000}},
		},
		{
			name: "persons stay apart; a row with a null roster index is ignored",
			rows: []deptRow{
				{0, job(idA, "务工就业", "企业务工", "省外", "3,000")},
				{unmatched, job(idC, "务工就业", "企业务工", "省外", "9,999").with("travel_subsidy", fixture.Yuan("999"))},
				{1, job(idB, "灵活就业", "其他", "县内", "1,200")},
			},
			want: []employment{
				{Employed: true, Form: "企业务工", Area: "省外", Wage: 300000},
				{Employed: true, Form: "其他", Area: "县内", Wage: 120000},
			},
		},
		{
			name: "only unmatched rows: nothing recorded",
			rows: []deptRow{{unmatched, job(idC, "务工就业", "企业务工", "省外", "3,000").with("travel_subsidy", fixture.Yuan("100"))}},
			want: []employment{{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Employment, june2025, len(tc.want), tc.rows)

			got := make([]employment, len(tc.want))
			for p := range got {
				got[p] = employment{
					Employed: f.Employed[p], Form: f.EmploymentForm[p], Area: f.EmploymentArea[p],
					Wage: f.Wage[p], Travel: f.TravelSubsidy[p],
				}
			}
			require.Equal(t, tc.want, got)
			requireOnly(t, f, "Employed", "EmploymentForm", "EmploymentArea", "Wage", "TravelSubsidy")
		})
	}
}
