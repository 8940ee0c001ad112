package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/income"
	"zengshou/transforms/model"
	"zengshou/transforms/privacy"
)

// HouseholdYear builds the household_year rows of the period.
func HouseholdYear(p *model.Period, incomes []income.Household, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.HouseholdYearTable, mem)
	defer b.Release()
	b.Reserve(len(incomes))
	first := p.Month.FirstDay()
	for _, r := range incomes {
		hh := p.Households[r.Index]
		county, _ := p.Regions.County(hh.County)
		htype := p.RosterString("household_type", hh.Head)
		riskEliminated, riskKnown := p.RosterYesNo("risk_eliminated", hh.Head)
		b.Date("period", first)
		b.U16("year", uint16(p.Month.Year()))
		b.U8("months_elapsed", uint8(r.Months))
		b.Str("household_key", p.HouseholdKeys[r.Index])
		b.Str("county_code", hh.County)
		b.Str("city_code", county.CityCode)
		b.Str("village_code", p.RosterString("village_code", hh.Head))
		b.Str("household_no", hh.No)
		b.Str("head_id_masked", idnum.Mask(p.RosterString("id_number", hh.Head)))
		b.Str("head_name_masked", privacy.MaskName(p.RosterString("name", hh.Head)))
		b.Str("household_type", htype)
		b.Flag("is_poverty_alleviated", model.IsPovertyAlleviated(htype))
		b.Flag("is_monitored", model.IsMonitored(htype))
		nullableFlag(b, "risk_eliminated", riskEliminated, riskKnown)
		b.Flag("is_relocated", p.RosterBool("is_relocated", hh.Head))
		b.Flag("is_key_county", p.Params.IsKeyCounty(hh.County))
		b.U16("members", uint16(len(hh.Members)))
		b.U16("household_size", uint16(r.Size))
		b.Flag("survey_present", r.SurveyPresent)
		b.Money("wage_verified", r.WageVerified)
		b.Money("wage_self_reported", r.WageSelfReported)
		b.Money("wage_reported_only", r.WageReportedOnly)
		b.Money("wage_income", r.WageIncome)
		b.Money("business_income", r.BusinessIncome)
		b.Money("business_cost", r.BusinessCost)
		b.Money("business_net", r.BusinessNet)
		b.Money("property_income", r.PropertyIncome)
		b.Money("property_verified", r.PropertyVerified)
		b.Money("transfer_dept", r.TransferDept)
		b.Money("transfer_other", r.TransferOther)
		b.Money("transfer_income", r.TransferIncome)
		b.Money("net_income", r.NetIncome)
		b.Money("per_capita_net_income", r.PerCapita)
		b.Money("per_capita_net_income_annualized", r.PerCapitaAnnualized)
		b.Flag("has_labor_member", r.HasLaborMember)
		b.Flag("is_safety_net", r.IsSafetyNet)
		b.Flag("below_monitoring_line", r.BelowMonitoringLine)
		b.Flag("below_10k_target", r.Below10kTarget)
		if r.IncomeDecline != nil {
			b.Flag("income_decline", *r.IncomeDecline)
			b.Money("prev_year_per_capita", *r.PrevYearPerCapita)
		} else {
			b.Null("income_decline")
			b.Null("prev_year_per_capita")
		}
		b.Money("medical_oop", r.MedicalOOP)
		b.Str("run_id", p.RunID)
		householdFacts(b, p, r.Index)
		b.EndRow()
	}
	return b.Finish()
}
