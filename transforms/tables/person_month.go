// Package tables turns a computed period into the record batches of the
// warehouse tables (schemas.Table.ArrowSchema), one builder per table.
package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/model"
	"zengshou/transforms/privacy"
)

// PersonMonth builds the person_month rows of households [from, to) of the
// period: one per roster person, identity masked, with this month's
// department facts and the person's death registration as of the end of the
// period (Period.Deceased and Period.DeathDate: set in the month the
// registration arrives and in every later month, death date carried).
func PersonMonth(p *model.Period, from, to int, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.PersonMonthTable, mem)
	defer b.Release()
	rows := 0
	for h := from; h < to; h++ {
		rows += len(p.Households[h].Members)
	}
	b.Reserve(rows)
	f := p.Facts
	first := p.Month.FirstDay()
	end := p.Month.LastDay()
	year := uint16(p.Month.Year())
	for h := from; h < to; h++ {
		hh := p.Households[h]
		county, _ := p.Regions.County(hh.County)
		htype := p.RosterString("household_type", hh.Head)
		relocated := p.RosterBool("is_relocated", hh.Head)
		key := p.Params.IsKeyCounty(hh.County)
		riskEliminated, riskKnown := p.RosterYesNo("risk_eliminated", hh.Head)
		for _, m := range hh.Members {
			id := p.RosterString("id_number", m)
			labor := p.RosterString("labor_capacity", m)
			b.Date("period", first)
			b.U16("year", year)
			b.Str("person_key", p.PersonKeys[m])
			b.Str("id_masked", idnum.Mask(id))
			b.Str("name_masked", privacy.MaskName(p.RosterString("name", m)))
			b.Str("household_key", p.HouseholdKeys[h])
			b.Str("county_code", hh.County)
			b.Str("city_code", county.CityCode)
			b.Str("village_code", p.RosterString("village_code", m))
			b.Str("relation", p.RosterString("relation", m))
			b.U16("household_size_registered", uint16(min(max(p.RosterInt("household_size", m), 0), 65535)))
			b.Str("household_type", htype)
			b.Flag("is_poverty_alleviated", model.IsPovertyAlleviated(htype))
			b.Flag("is_monitored", model.IsMonitored(htype))
			nullableFlag(b, "risk_eliminated", riskEliminated, riskKnown)
			b.Str("labor_capacity", labor)
			b.Flag("has_labor", model.HasLabor(labor))
			b.Flag("is_relocated", relocated)
			b.Flag("is_key_county", key)
			b.U8("age", uint8(min(max(idnum.AgeAt(id, end), 0), 255)))
			b.Str("sex", idnum.Sex(id))
			b.Flag("employed", f.Employed[m])
			b.Str("employment_form", f.EmploymentForm[m])
			b.Str("employment_area", f.EmploymentArea[m])
			b.Money("wage", f.Wage[m])
			b.Money("travel_subsidy", f.TravelSubsidy[m])
			b.Money("pension", f.Pension[m])
			b.Money("dibao", f.Dibao[m])
			b.Money("tekun", f.Tekun[m])
			b.Money("temp_relief", f.TempRelief[m])
			b.Money("disability_allowance", f.Disability[m])
			b.Money("disability_care", f.DisabilityCare[m])
			b.Money("education_aid", f.EducationAid[m])
			b.Money("yulu_aid", f.YuluAid[m])
			b.Str("student_stage", f.StudentStage[m])
			b.Str("student_status", f.StudentStatus[m])
			if g := f.GraduationMonth[m]; g != 0 {
				b.Date("graduation_month", g.FirstDay())
			} else {
				b.Null("graduation_month")
			}
			b.Str("graduation_stage", f.GraduationStage[m])
			b.Str("graduation_destination", f.GraduationDestination[m])
			b.Flag("new_vocational_enrollment", f.NewVocational[m])
			b.Flag("insured", f.Insured[m])
			b.Money("insurance_subsidy", f.InsuranceSubsidy[m])
			b.Str("insurance_subsidy_category", f.SubsidyCategory[m])
			b.Money("medical_total", f.MedicalTotal[m])
			b.Money("medical_oop", f.MedicalOutOfPocket[m])
			b.Flag("deceased", p.Deceased(m))
			if d, ok := p.DeathDate(m); ok {
				b.Date("death_date", d.ToTime())
			} else {
				b.Null("death_date")
			}
			b.Strings("sources_present", p.Present)
			b.Str("run_id", p.RunID)
			personFacts(b, p, int(m))
			b.EndRow()
		}
	}
	return b.Finish()
}

// nullableFlag sets a Nullable(UInt8) flag: null when the value is unknown.
func nullableFlag(b *schemas.RowBuilder, name string, v, known bool) {
	if known {
		b.Flag(name, v)
	} else {
		b.Null(name)
	}
}
