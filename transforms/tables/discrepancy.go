package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/model"
	"zengshou/transforms/privacy"
	"zengshou/transforms/rules"
)

// Discrepancy builds the discrepancy rows (数据比对 findings) of the period,
// each with its county's and city's names and what a county needs to find
// the household: the head row's village code and masked identity and the
// 户编号, and for a person-level finding the person's masked identity. A
// household or person not on the roster gets empty locators.
func Discrepancy(p *model.Period, findings []rules.Finding, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DiscrepancyTable, mem)
	defer b.Release()
	households := make(map[string]int, len(p.HouseholdKeys))
	for h, k := range p.HouseholdKeys {
		households[k] = h
	}
	var persons map[string]int32
	for _, f := range findings {
		county, _ := p.Regions.County(f.County)
		b.Date("period", p.Month.FirstDay())
		b.Str("rule_code", f.Rule)
		b.Str("severity", f.Severity)
		b.Str("county_code", f.County)
		b.Str("county_name", county.Name)
		b.Str("city_code", county.CityCode)
		b.Str("city_name", county.CityName)
		b.Str("household_key", f.HouseholdKey)
		b.Str("person_key", f.PersonKey)
		var village, no, headID, headName string
		if h, ok := households[f.HouseholdKey]; ok {
			hh := p.Households[h]
			village, no = p.RosterString("village_code", hh.Head), hh.No
			headID = idnum.Mask(p.RosterString("id_number", hh.Head))
			headName = privacy.MaskName(p.RosterString("name", hh.Head))
		}
		b.Str("village_code", village)
		b.Str("household_no", no)
		b.Str("head_id_masked", headID)
		b.Str("head_name_masked", headName)
		var id, name string
		if f.PersonKey != "" {
			if persons == nil {
				persons = make(map[string]int32, len(p.PersonKeys))
				for m, k := range p.PersonKeys {
					persons[k] = int32(m)
				}
			}
			if m, ok := persons[f.PersonKey]; ok {
				id = idnum.Mask(p.RosterString("id_number", m))
				name = privacy.MaskName(p.RosterString("name", m))
			}
		}
		b.Str("id_masked", id)
		b.Str("name_masked", name)
		b.Str("detail", f.Detail)
		b.Str("run_id", p.RunID)
		b.EndRow()
	}
	return b.Finish()
}
