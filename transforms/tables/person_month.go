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
// declared department facts (personFacts: the PersistLifetime ones — the
// death registration — as of the end of the period, carried into every
// month after the one it arrived in).
func PersonMonth(p *model.Period, from, to int, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.PersonMonthTable, mem)
	defer b.Release()
	rows := 0
	for h := from; h < to; h++ {
		rows += len(p.Households[h].Members)
	}
	b.Reserve(rows)
	facts := personColumnsOf(p)
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
			personFacts(b, p, facts, m)
			b.Strings("sources_present", p.Present)
			b.Str("run_id", p.RunID)
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
