package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/transforms/income"
	"zengshou/transforms/indicators"
	"zengshou/transforms/rules"
	"zengshou/transforms/tables"
)

// nullableFlags returns a Nullable(UInt8) column as "1", "0" or "null".
func nullableFlags(t *testing.T, a *array.Uint8) []string {
	t.Helper()
	out := make([]string, a.Len())
	for i := range out {
		switch {
		case a.IsNull(i):
			out[i] = "null"
		case a.Value(i) == 1:
			out[i] = "1"
		default:
			out[i] = "0"
		}
	}
	return out
}

// TestHouseholdYearLocatesTheHousehold: a household_year row carries what a
// county needs to find the household — the 户主 row's village code, masked
// ID and name (the 户主 even when a child is listed first) and the 户编号 —
// and the 户主 row's 风险是否消除 (null when not filled in), and the
// household's year-to-date out-of-pocket medical cost.
func TestHouseholdYearLocatesTheHousehold(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	hhs := threeHouseholds()
	yes, no := true, false
	hhs[0].members[0].risk = &no
	hhs[1].members[0].risk = &no // the child's row does not speak for the household
	hhs[1].members[1].risk = &yes
	p := buildPeriod(t, mem, june2025, hhs...)
	defer p.Roster.Release()

	incomes := []income.Household{
		{Index: 0, Size: 1, Months: 6, MedicalOOP: 0},
		{Index: 1, Size: 3, Months: 6, MedicalOOP: yuan(t, "5,000.01")},
		{Index: 2, Size: 2, Months: 6, MedicalOOP: yuan(t, "12.50")},
	}
	rec, err := tables.HouseholdYear(p, incomes, mem)
	require.NoError(t, err)
	defer rec.Release()

	require.Equal(t, []string{jinxianVillage, yuduVillage, yuduVillage2}, strs(t, rec, "village_code"))
	require.Equal(t, []string{"H001", "H002", "H003"}, strs(t, rec, "household_no"))
	require.Equal(t, []string{"360124********1004", "360731********0018", "360731********0088"}, strs(t, rec, "head_id_masked"))
	require.Equal(t, []string{"王**", "张**", "欧**"}, strs(t, rec, "head_name_masked"))
	require.Equal(t, []string{"0", "1", "null"}, nullableFlags(t, column(t, rec, "risk_eliminated").(*array.Uint8)))
	require.Equal(t, []int64{0, 500001, 1250}, fen(t, rec, "medical_oop"))
}

// TestDiscrepancyNamesAndLocates: every finding carries its county's and
// city's names and the household's locators; a person-level finding also
// the person's masked identity; a household not on the roster gets empty
// locators rather than another household's.
func TestDiscrepancyNamesAndLocates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	findings := []rules.Finding{
		{Rule: "ZERO_EMPLOYMENT_HOUSEHOLD", Severity: rules.Medium, County: "360731", HouseholdKey: p.HouseholdKeys[1], Detail: "户"},
		{Rule: "NOT_INSURED", Severity: rules.Medium, County: "360731", HouseholdKey: p.HouseholdKeys[1], PersonKey: p.PersonKeys[rowXiuYing], Detail: "人"},
		{Rule: "DUPLICATE_PERSON", Severity: rules.High, County: "360124", HouseholdKey: "not-on-the-roster", PersonKey: "nobody", Detail: "重复"},
	}
	rec, err := tables.Discrepancy(p, findings, mem)
	require.NoError(t, err)
	defer rec.Release()

	require.Equal(t, []string{"于都县", "于都县", "进贤县"}, strs(t, rec, "county_name"))
	require.Equal(t, []string{"360700", "360700", "360100"}, strs(t, rec, "city_code"))
	require.Equal(t, []string{"赣州市", "赣州市", "南昌市"}, strs(t, rec, "city_name"))
	require.Equal(t, []string{yuduVillage, yuduVillage, ""}, strs(t, rec, "village_code"))
	require.Equal(t, []string{"H002", "H002", ""}, strs(t, rec, "household_no"))
	require.Equal(t, []string{"360731********0018", "360731********0018", ""}, strs(t, rec, "head_id_masked"))
	require.Equal(t, []string{"张**", "张**", ""}, strs(t, rec, "head_name_masked"))
	require.Equal(t, []string{"", "360731********0027", ""}, strs(t, rec, "id_masked"))
	require.Equal(t, []string{"", "李**", ""}, strs(t, rec, "name_masked"))
}

// TestIndicatorParentCityAndMonths: a city row's parent city is itself, a
// county row's its city; the province and group rows have none; every row
// carries the months elapsed of the period.
func TestIndicatorParentCityAndMonths(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	rows := []indicators.Row{
		{Code: "EMPLOYED_PERSONS", Level: indicators.LevelProvince, Region: "360000", RegionName: "江西省"},
		{Code: "EMPLOYED_PERSONS", Level: indicators.LevelCity, Region: "360700", RegionName: "赣州市"},
		{Code: "EMPLOYED_PERSONS", Level: indicators.LevelCounty, Region: "360731", RegionName: "于都县"},
		{Code: "PER_CAPITA_NET_INCOME", Level: indicators.LevelGroup, Region: indicators.GroupKeyCounties, RegionName: "重点帮扶县脱贫人口"},
	}
	rec, err := tables.Indicator(p, rows, mem)
	require.NoError(t, err)
	defer rec.Release()

	require.Equal(t, []string{"", "360700", "360700", ""}, strs(t, rec, "city_code"))
	require.Equal(t, []string{"", "赣州市", "赣州市", ""}, strs(t, rec, "city_name"))
	months := column(t, rec, "months_elapsed").(*array.Uint8)
	for i := 0; i < months.Len(); i++ {
		require.Equal(t, uint8(6), months.Value(i))
	}
}
