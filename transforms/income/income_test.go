package income_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/income"
)

// outcome is a household's expected income structure as expected.yaml
// writes it: money in fen, worked by hand.
type outcome struct {
	SurveyPresent       bool   `yaml:"survey_present"`
	WageVerified        int64  `yaml:"wage_verified"`
	WageSelfReported    int64  `yaml:"wage_self_reported"`
	WageReportedOnly    int64  `yaml:"wage_reported_only"`
	WageIncome          int64  `yaml:"wage_income"`
	BusinessIncome      int64  `yaml:"business_income"`
	BusinessCost        int64  `yaml:"business_cost"`
	BusinessNet         int64  `yaml:"business_net"`
	PropertyIncome      int64  `yaml:"property_income"`
	TransferDept        int64  `yaml:"transfer_dept"`
	TransferOther       int64  `yaml:"transfer_other"`
	TransferIncome      int64  `yaml:"transfer_income"`
	NetIncome           int64  `yaml:"net_income"`
	SafetyNetPay        int64  `yaml:"safety_net_pay"`
	MedicalOOP          int64  `yaml:"medical_oop"`
	HouseholdSize       int64  `yaml:"household_size"`
	Months              int64  `yaml:"months"`
	PerCapita           int64  `yaml:"per_capita"`
	PerCapitaAnnualized int64  `yaml:"per_capita_annualized"`
	HasLaborMember      bool   `yaml:"has_labor_member"`
	IsSafetyNet         bool   `yaml:"is_safety_net"`
	BelowMonitoringLine bool   `yaml:"below_monitoring_line"`
	Below10kTarget      bool   `yaml:"below_10k_target"`
	IncomeDecline       *bool  `yaml:"income_decline"`
	PrevYearPerCapita   *int64 `yaml:"prev_year_per_capita"`
}

func outcomeOf(h income.Household) outcome {
	return outcome{
		SurveyPresent: h.SurveyPresent, WageVerified: h.WageVerified, WageSelfReported: h.WageSelfReported,
		WageReportedOnly: h.WageReportedOnly, WageIncome: h.WageIncome,
		BusinessIncome: h.BusinessIncome, BusinessCost: h.BusinessCost, BusinessNet: h.BusinessNet,
		PropertyIncome: h.PropertyIncome, TransferDept: h.TransferDept, TransferOther: h.TransferOther,
		TransferIncome: h.TransferIncome, NetIncome: h.NetIncome, SafetyNetPay: h.SafetyNetPay, MedicalOOP: h.MedicalOOP,
		HouseholdSize: h.Size, Months: h.Months, PerCapita: h.PerCapita, PerCapitaAnnualized: h.PerCapitaAnnualized,
		HasLaborMember: h.HasLaborMember, IsSafetyNet: h.IsSafetyNet,
		BelowMonitoringLine: h.BelowMonitoringLine, Below10kTarget: h.Below10kTarget,
		IncomeDecline: h.IncomeDecline, PrevYearPerCapita: h.PrevYearPerCapita,
	}
}

// TestComputeGolden runs every testdata/<case>/: case.yaml describes the
// households of a period, expected.yaml their income structure by 户编号,
// worked by hand with the arithmetic in its comments.
func TestComputeGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "case.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, file := range dirs {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			p := loadCase(t, mem, dir)
			defer p.Roster.Release()

			var want map[string]outcome
			decodeYAML(t, filepath.Join(dir, "expected.yaml"), &want)

			got := income.Compute(p)
			require.Len(t, got, len(p.Households))
			require.Len(t, want, len(got), "expected.yaml lists every household")
			for i, h := range got {
				require.Equal(t, i, h.Index)
				no := p.Households[h.Index].No
				w, ok := want[no]
				require.True(t, ok, "expected.yaml has no household %s", no)
				require.Equal(t, w, outcomeOf(h), "household %s", no)
			}
		})
	}
}

// TestGoldenCasesAreDocumented keeps each case readable: every case
// directory has both files.
func TestGoldenCasesAreDocumented(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	require.NoError(t, err)
	for _, e := range entries {
		require.True(t, e.IsDir(), "testdata/%s", e.Name())
		for _, f := range []string{"case.yaml", "expected.yaml"} {
			_, err := os.Stat(filepath.Join("testdata", e.Name(), f))
			require.NoError(t, err)
		}
	}
}

func TestDivRound(t *testing.T) {
	tests := []struct {
		a, b, want int64
	}{
		{100001, 2, 50001},   // 50000.5 → away from zero
		{-100001, 2, -50001}, // −50000.5 → away from zero
		{100001, -2, -50001},
		{100001, 4, 25000}, // 25000.25
		{100003, 4, 25001}, // 25000.75
		{-100003, 4, -25001},
		{2764999, 7, 395000}, // 394999.857
		{0, 3, 0},
		{5, 0, 0}, // no household has size 0; the division does not panic
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, income.DivRound(tc.a, tc.b), "%d / %d", tc.a, tc.b)
	}
}
