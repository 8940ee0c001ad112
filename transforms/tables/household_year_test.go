package tables_test

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/privacy"
	"zengshou/transforms/tables"
)

// TestHouseholdYearPreviousYear: income_decline and prev_year_per_capita
// are NULL when the household has no final per-capita figure for the year
// before, and hold the comparison and the figure when it has one.
func TestHouseholdYearPreviousYear(t *testing.T) {
	declined, held := true, false
	prevLow, prevHigh := int64(800000), int64(1200000) // 8 000.00 and 12 000.00 yuan
	tests := []struct {
		name    string
		decline *bool
		prev    *int64
		// wantDecline and wantPrev are nil for NULL.
		wantDecline *uint8
		wantPrev    *int64
	}{
		{name: "no final figure for last year: both NULL"},
		{name: "below last year's final: declined", decline: &declined, prev: &prevHigh, wantDecline: ptr(uint8(1)), wantPrev: &prevHigh},
		{name: "at or above last year's final: not declined", decline: &held, prev: &prevLow, wantDecline: ptr(uint8(0)), wantPrev: &prevLow},
	}
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	// One household per case, all in one batch: a NULL must not shift the
	// values of the rows after it.
	incomes := make([]income.Household, len(tests))
	for h, tc := range tests {
		incomes[h] = income.Household{Index: h, Size: 1, Months: 6, IncomeDecline: tc.decline, PrevYearPerCapita: tc.prev}
	}
	rec, err := tables.HouseholdYear(p, incomes, mem)
	require.NoError(t, err)
	defer rec.Release()
	require.True(t, rec.Schema().Equal(schemas.HouseholdYearTable.ArrowSchema()))
	require.Equal(t, int64(len(tests)), rec.NumRows())

	decline := column(t, rec, "income_decline").(*array.Uint8)
	prev := column(t, rec, "prev_year_per_capita").(*array.Decimal128)
	for h, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.wantDecline == nil {
				require.True(t, decline.IsNull(h), "income_decline is NULL")
			} else {
				require.True(t, decline.IsValid(h))
				require.Equal(t, *tc.wantDecline, decline.Value(h))
			}
			if tc.wantPrev == nil {
				require.True(t, prev.IsNull(h), "prev_year_per_capita is NULL")
			} else {
				require.True(t, prev.IsValid(h))
				require.Equal(t, *tc.wantPrev, prev.Value(h).BigInt().Int64())
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// zhangIncome is household H002 (3 members, June: m = 6) worked by hand:
//
//	wage_verified 18 000.00, self-reported 20 000.00 → reported only 2 000.00,
//	wage income 20 000.00; business 8 000.00 − 2 000.00 = 6 000.00;
//	property 300.00; transfers 4 700.00 (departments) + 1 200.00 (other)
//	= 5 900.00; net 20 000 + 6 000 + 300 + 5 900 = 32 200.00;
//	per capita 32 200 / 3 = 10 733.33; annualized × 12 / 6 = 21 466.67.
func zhangIncome() income.Household {
	return income.Household{
		Index: 1, SurveyPresent: true, Size: 3, Months: 6,
		WageVerified: 1800000, WageSelfReported: 2000000, WageReportedOnly: 200000, WageIncome: 2000000,
		BusinessIncome: 800000, BusinessCost: 200000, BusinessNet: 600000, PropertyIncome: 30000,
		TransferDept: 470000, TransferOther: 120000, TransferIncome: 590000, NetIncome: 3220000,
		PerCapita: 1073333, PerCapitaAnnualized: 2146667,
	}
}

// TestHouseholdYearColumns: a household's income structure lands in the
// columns of its name, exact to the fen; type, relocation and county are
// those of the 户主 row; the rows follow the incomes given (a chunk of the
// period's households), found through Index.
func TestHouseholdYearColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	ouyang := income.Household{Index: 2, Size: 2, Months: 6}
	rec, err := tables.HouseholdYear(p, []income.Household{zhangIncome(), ouyang}, mem)
	require.NoError(t, err)
	defer rec.Release()

	keyer, err := privacy.NewKeyer(testKey)
	require.NoError(t, err)
	require.Equal(t, []string{keyer.HouseholdKey("360731", "H002"), keyer.HouseholdKey("360731", "H003")}, strs(t, rec, "household_key"))
	require.Equal(t, []string{"360731", "360731"}, strs(t, rec, "county_code"))
	require.Equal(t, []string{"360700", "360700"}, strs(t, rec, "city_code"))
	// H002's first row (the child) says 脱贫户, not relocated; its 户主 row speaks.
	require.Equal(t, []string{"脱贫不稳定户", "边缘易致贫户"}, strs(t, rec, "household_type"))
	require.Equal(t, []bool{true, false}, flags(t, rec, "is_poverty_alleviated"))
	require.Equal(t, []bool{true, true}, flags(t, rec, "is_monitored"))
	require.Equal(t, []bool{true, false}, flags(t, rec, "is_relocated"))
	require.Equal(t, []bool{true, true}, flags(t, rec, "is_key_county"))
	require.Equal(t, []bool{true, false}, flags(t, rec, "survey_present"))

	members := column(t, rec, "members").(*array.Uint16)
	sizes := column(t, rec, "household_size").(*array.Uint16)
	months := column(t, rec, "months_elapsed").(*array.Uint8)
	years := column(t, rec, "year").(*array.Uint16)
	periods := column(t, rec, "period").(*array.Date32)
	require.Equal(t, []uint16{3, 1}, members.Uint16Values())
	// H003 has one member on the roster and 家庭人口数 2.
	require.Equal(t, []uint16{3, 2}, sizes.Uint16Values())
	require.Equal(t, []uint8{6, 6}, months.Uint8Values())
	require.Equal(t, []uint16{2025, 2025}, years.Uint16Values())
	require.Equal(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), periods.Value(0).ToTime())
	require.Equal(t, []string{"run-test", "run-test"}, strs(t, rec, "run_id"))

	money := []struct {
		column string
		yuan   string
	}{
		{"wage_verified", "18,000"},
		{"wage_self_reported", "20,000"},
		{"wage_reported_only", "2,000"},
		{"wage_income", "20,000"},
		{"business_income", "8,000"},
		{"business_cost", "2,000"},
		{"business_net", "6,000"},
		{"property_income", "300"},
		{"transfer_dept", "4,700"},
		{"transfer_other", "1,200"},
		{"transfer_income", "5,900"},
		{"net_income", "32,200"},
		{"per_capita_net_income", "10,733.33"},
		{"per_capita_net_income_annualized", "21,466.67"},
	}
	for _, m := range money {
		t.Run(m.column, func(t *testing.T) {
			require.Equal(t, []int64{yuan(t, m.yuan), 0}, fen(t, rec, m.column))
		})
	}
}

// TestHouseholdYearFlags: each comparison flag of the income structure
// lands in its own column.
func TestHouseholdYearFlags(t *testing.T) {
	tests := []struct {
		column string
		set    func(*income.Household)
	}{
		{"has_labor_member", func(r *income.Household) { r.HasLaborMember = true }},
		{"is_safety_net", func(r *income.Household) { r.IsSafetyNet = true }},
		{"below_monitoring_line", func(r *income.Household) { r.BelowMonitoringLine = true }},
		{"below_10k_target", func(r *income.Household) { r.Below10kTarget = true }},
		{"survey_present", func(r *income.Household) { r.SurveyPresent = true }},
	}
	for _, tc := range tests {
		t.Run(tc.column, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			p := buildPeriod(t, mem, june2025, threeHouseholds()...)
			defer p.Roster.Release()

			r := income.Household{Index: 0, Size: 1, Months: 6}
			tc.set(&r)
			rec, err := tables.HouseholdYear(p, []income.Household{r}, mem)
			require.NoError(t, err)
			defer rec.Release()
			for _, other := range tests {
				require.Equal(t, []bool{other.column == tc.column}, flags(t, rec, other.column), other.column)
			}
		})
	}
}
