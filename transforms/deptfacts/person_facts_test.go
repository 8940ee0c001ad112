package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
)

// TestNewFactsAreEmpty: before any batch, every person has no facts and the
// slices are aligned with the roster.
func TestNewFactsAreEmpty(t *testing.T) {
	f := view(newFacts(3, june2025), 3)
	require.Equal(t, june2025, f.Period)
	require.Len(t, f.Wage, 3)
	require.Len(t, f.DeathDay, 3)
	requireOnly(t, f)
}

// TestAddRejectsSourcesThatAreNotDepartmentFacts: only the person-level
// department extracts (employment, civil, pension, education, medical)
// become person facts. The household survey and sales are not per person,
// and the roster is what the facts are aligned with; adding them is an
// error naming the source, and the facts stay untouched.
func TestAddRejectsSourcesThatAreNotDepartmentFacts(t *testing.T) {
	tests := []struct {
		source string
		row    row
	}{
		{schemas.Sales, row{"month": june2025, "county_code": "360731", "channel": "832平台", "category": "脐橙", "amount": fixture.Yuan("12,000")}},
		{schemas.HouseholdIncome, row{"household_no": "H001", "year": int64(2025), "business_income": fixture.Yuan("8,000"),
			"business_cost": fixture.Yuan("2,000"), "property_income": fixture.Yuan("300"), "transfer_other": fixture.Yuan("1,200"), "wage_self_reported": fixture.Yuan("6,000")}},
		{schemas.Roster, row{"id_number": idA, "name": "张三", "household_no": "H001", "relation": "户主", "village_code": "360731100201",
			"household_type": "脱贫户", "labor_capacity": "普通劳动力", "is_relocated": false, "household_size": int64(1)}},
	}
	for _, tc := range tests {
		t.Run(tc.source, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			src := fixture.Source(t, tc.source)
			rec := typedBatch(t, mem, src, []row{tc.row})
			defer rec.Release()
			d, err := schemas.DepartmentByName(tc.source)
			require.NoError(t, err)

			f := newFacts(1, june2025)
			err = f.Add(d, rec, []int32{0}, nil)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.source)
			requireOnly(t, view(f, 1))
		})
	}
}

// TestAddAcceptsEveryPersonLevelDepartment: each person-level extract
// other than the roster has an accumulator.
func TestAddAcceptsEveryPersonLevelDepartment(t *testing.T) {
	for _, src := range schemas.Sources {
		if !src.PersonLevel || src.Name == schemas.Roster {
			continue
		}
		t.Run(src.Name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			rec := typedBatch(t, mem, src, nil)
			defer rec.Release()
			d, err := schemas.DepartmentByName(src.Name)
			require.NoError(t, err)
			require.NoError(t, newFacts(1, june2025).Add(d, rec, nil, nil))
		})
	}
}

// TestFactsAccumulateAcrossBatches: an extract arrives as several batches,
// and several extracts feed the same facts; sums and the best-paid job run
// across batches.
func TestFactsAccumulateAcrossBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	facts := newFacts(2, june2025)
	addBatch(t, mem, facts, 2, schemas.Employment, []deptRow{
		{0, job(idA, "务工就业", "帮扶车间", "县内", "1,000")},
		{1, job(idB, "未就业", "其他", "县内", "0").with("travel_subsidy", fixture.Yuan("300"))},
	})
	addBatch(t, mem, facts, 2, schemas.Civil, []deptRow{{1, pay(idB, "城乡低保", "650")}})
	addBatch(t, mem, facts, 2, schemas.Employment, []deptRow{
		{0, job(idA, "务工就业", "企业务工", "省外", "3,000")},
		{1, job(idB, "未就业", "其他", "县内", "0").with("travel_subsidy", fixture.Yuan("200"))},
	})
	addBatch(t, mem, facts, 2, schemas.Employment, nil)
	f := view(facts, 2)

	require.Equal(t, []int64{400000, 0}, f.Wage)
	require.Equal(t, []string{"企业务工", ""}, f.EmploymentForm)
	require.Equal(t, []string{"省外", ""}, f.EmploymentArea)
	require.Equal(t, []bool{true, false}, f.Employed)
	require.Equal(t, []int64{0, 50000}, f.TravelSubsidy)
	require.Equal(t, []int64{0, 65000}, f.Dibao)
	requireOnly(t, f, "Employed", "EmploymentForm", "EmploymentArea", "Wage", "TravelSubsidy", "Dibao")
}

// TestSealKeepsTheValuesAndRefusesMoreRows: once every department is read
// the roll-up state is freed; the values stay, and a late batch is an
// error rather than a silently wrong best-paid job.
func TestSealKeepsTheValuesAndRefusesMoreRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	facts := newFacts(1, june2025)
	addBatch(t, mem, facts, 1, schemas.Employment, []deptRow{{0, job(idA, "务工就业", "企业务工", "省外", "3,000")}})
	facts.Seal()
	f := view(facts, 1)
	require.Equal(t, []string{"企业务工"}, f.EmploymentForm)
	require.Equal(t, []int64{300000}, f.Wage)

	d, err := schemas.DepartmentByName(schemas.Employment)
	require.NoError(t, err)
	rec := typedBatch(t, mem, d.Source, []row{job(idA, "务工就业", "帮扶车间", "县内", "9,000")})
	defer rec.Release()
	require.ErrorContains(t, facts.Add(d, rec, []int32{0}, nil), "sealed")
}
