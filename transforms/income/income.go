// Package income computes each household's year-to-date income structure
// (household_year, domain.md) from the roster, the department facts, the
// household survey and the published history. Money is exact fen throughout;
// only the stored per-capita figures are rounded (half away from zero).
package income

import (
	"zengshou/schemas"
	"zengshou/transforms/model"
)

// Household is the income structure of one household, year to date, in fen.
type Household struct {
	// Index is the household's position in model.Period.Households.
	Index int

	SurveyPresent    bool
	WageVerified     int64
	WageSelfReported int64
	WageReportedOnly int64
	WageIncome       int64
	BusinessIncome   int64
	BusinessCost     int64
	BusinessNet      int64
	PropertyIncome   int64
	// PropertyVerified is the department-verified property income: the
	// village collective's 按股分红, year to date.
	PropertyVerified int64
	TransferDept     int64
	TransferOther    int64
	TransferIncome   int64
	NetIncome        int64
	// SafetyNetPay is the 低保 and 特困 part of TransferDept.
	SafetyNetPay int64
	MedicalOOP   int64

	Size                int64
	Months              int64
	PerCapita           int64
	PerCapitaAnnualized int64

	HasLaborMember bool
	IsSafetyNet    bool

	BelowMonitoringLine bool
	Below10kTarget      bool
	// IncomeDecline is nil when the household has no final figure for Y-1.
	IncomeDecline     *bool
	PrevYearPerCapita *int64
}

// Compute returns the income structure of every household of the period.
func Compute(p *model.Period) []Household {
	out := make([]Household, len(p.Households))
	months := int64(p.MonthsElapsed())
	line := p.Year.MonitoringLine * 100
	floor := p.Params.Targets.PerCapitaFloorYuan * 100
	y := personAmounts(p)
	for h, hh := range p.Households {
		r := Household{Index: h, Size: hh.Size, Months: months}
		for _, m := range hh.Members {
			r.WageVerified += y.wage.At(m)
			dibao, tekun := y.dibao.At(m), y.tekun.At(m)
			civil := dibao + tekun + y.tempRelief.At(m) + y.disability.At(m) + y.disabilityCare.At(m)
			r.TransferDept += civil + y.pension.At(m) + y.educationAid.At(m) + y.travelSubsidy.At(m)
			r.SafetyNetPay += dibao + tekun
			r.MedicalOOP += y.medicalOOP.At(m)
			if model.HasLabor(p.RosterString("labor_capacity", m)) {
				r.HasLaborMember = true
			}
		}
		r.IsSafetyNet = r.SafetyNetPay > 0
		// The village collective's distributions (domain.md): 按劳分配 are
		// verified wages, 兜底救助 department transfers, 按股分红 verified
		// property income.
		r.WageVerified += p.HouseholdMoney(schemas.CollectiveLabor, h)
		r.TransferDept += p.HouseholdMoney(schemas.CollectiveRelief, h)
		r.PropertyVerified = p.HouseholdMoney(schemas.CollectiveDividend, h)
		if s := survey(p, h); s != nil {
			r.SurveyPresent = true
			r.WageSelfReported = s.WageSelfReported
			r.BusinessIncome, r.BusinessCost = s.BusinessIncome, s.BusinessCost
			r.PropertyIncome = s.PropertyIncome
			r.TransferOther = s.TransferOther
		}
		if r.PropertyVerified != 0 {
			// Verified first, the survey's excess as reported-only, as for
			// wages; without collective dividends the survey figure stands.
			r.PropertyIncome = r.PropertyVerified + max(0, r.PropertyIncome-r.PropertyVerified)
		}
		r.WageReportedOnly = max(0, r.WageSelfReported-r.WageVerified)
		r.WageIncome = r.WageVerified + r.WageReportedOnly
		r.BusinessNet = r.BusinessIncome - r.BusinessCost
		r.TransferIncome = r.TransferDept + r.TransferOther
		r.NetIncome = r.WageIncome + r.BusinessNet + r.PropertyIncome + r.TransferIncome
		r.PerCapita = DivRound(r.NetIncome, r.Size)
		r.PerCapitaAnnualized = DivRound(r.NetIncome*12, r.Size*months)

		// Comparisons are exact: annualized per-capita < x  ⇔  net×12 < x×size×m.
		scaled := r.NetIncome * 12
		r.BelowMonitoringLine = scaled < line*r.Size*months
		r.Below10kTarget = r.HasLaborMember && !r.IsSafetyNet && scaled < floor*r.Size*months
		if prev, ok := p.History.PrevYearPerCapita[p.HouseholdKeys[h]]; ok {
			decline := scaled < prev*r.Size*months
			r.IncomeDecline, r.PrevYearPerCapita = &decline, &prev
		}
		out[h] = r
	}
	return out
}

// survey is the latest household_income row of the year up to the period:
// this month's, else the one the warehouse last published.
func survey(p *model.Period, h int) *model.Survey {
	if s := p.Surveys[h]; s != nil {
		return s
	}
	if s, ok := p.History.Surveys[p.HouseholdKeys[h]]; ok {
		return &s
	}
	return nil
}

// DivRound divides and rounds half away from zero.
func DivRound(a, b int64) int64 {
	if b == 0 {
		return 0
	}
	q, r := a/b, a%b
	if r < 0 {
		r = -r
	}
	if 2*r >= abs(b) {
		if (a < 0) != (b < 0) {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// amounts are the year-to-date person amounts the income structure sums.
type amounts struct {
	wage, travelSubsidy, pension, dibao, tekun, tempRelief model.MoneyYTD
	disability, disabilityCare, educationAid, medicalOOP   model.MoneyYTD
}

func personAmounts(p *model.Period) amounts {
	of := p.PersonMoneyYTDOf
	return amounts{
		wage: of(schemas.Wage), travelSubsidy: of(schemas.TravelSubsidy), pension: of(schemas.PensionPaid),
		dibao: of(schemas.Dibao), tekun: of(schemas.Tekun), tempRelief: of(schemas.TempRelief),
		disability: of(schemas.DisabilityAllowance), disabilityCare: of(schemas.DisabilityCare),
		educationAid: of(schemas.EducationAid), medicalOOP: of(schemas.MedicalOOP),
	}
}
