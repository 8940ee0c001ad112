package rules_test

import (
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
)

// facts combines setters of a household's declared department facts.
func facts(sets ...func(p *model.Period, h int)) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		for _, set := range sets {
			set(p, h)
		}
	}
}

// dwelling is the household's housing row in force this period.
func dwelling(grade, appraised string, inPlan bool, status string) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		f := p.HouseholdFacts
		f.SetFlag(schemas.HousingAppraised, h, true)
		f.SetText(schemas.HousingGrade, h, grade)
		f.SetMonth(schemas.HousingAppraisalMonth, h, fixture.Month(appraised))
		f.SetFlag(schemas.HousingInPlan, h, inPlan)
		f.SetText(schemas.HousingRenovationStatus, h, status)
	}
}

// water is the household's water row in force this period: the four
// criteria (水量, 水质, 用水方便, 供水保证率) and 季节性缺水.
func water(assessed string, shortage, quantity, quality, convenience, assurance bool) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		f := p.HouseholdFacts
		f.SetFlag(schemas.WaterAssessed, h, true)
		f.SetMonth(schemas.WaterAssessmentMonth, h, fixture.Month(assessed))
		f.SetText(schemas.WaterSupplyMode, h, "分散供水")
		f.SetFlag(schemas.WaterQuantityOK, h, quantity)
		f.SetFlag(schemas.WaterQualityOK, h, quality)
		f.SetFlag(schemas.WaterConvenienceOK, h, convenience)
		f.SetFlag(schemas.WaterAssuranceOK, h, assurance)
		f.SetFlag(schemas.WaterSeasonalShortage, h, shortage)
	}
}

// villageDividend: the household's village paid 按股分红 this period (to
// some household).
func villageDividend(p *model.Period, h int) {
	p.HouseholdFacts.SetVillage(schemas.CollectiveVillagePaid, p.RosterString("village_code", p.Households[h].Head))
}

// villageDividendBefore: the village paid 按股分红 in an earlier published
// month of the year.
func villageDividendBefore(p *model.Period, h int) {
	v := p.RosterString("village_code", p.Households[h].Head)
	if p.History.Villages[schemas.CollectiveVillagePaid] == nil {
		p.History.Villages[schemas.CollectiveVillagePaid] = map[string]bool{}
	}
	p.History.Villages[schemas.CollectiveVillagePaid][v] = true
}

// received: the household received a collective distribution this period
// (now) or in an earlier month of the year.
func received(now bool) func(p *model.Period, h int) {
	return func(p *model.Period, h int) {
		if now {
			p.HouseholdFacts.SetFlag(schemas.CollectiveReceived, h, true)
			return
		}
		p.History.HouseholdFacts.SetInt(schemas.CollectiveReceived, p.HouseholdKeys[h], 1)
	}
}
