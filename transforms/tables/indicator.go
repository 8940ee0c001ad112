package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
)

// Indicator builds the indicator rows of the period: each with its region's
// name and parent city (the city itself for a city row; empty for the
// province and the groups) and the months elapsed behind annualized values.
func Indicator(p *model.Period, rows []indicators.Row, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.IndicatorTable, mem)
	defer b.Release()
	for _, r := range rows {
		b.Date("period", p.Month.FirstDay())
		b.U16("year", uint16(p.Month.Year()))
		b.U8("months_elapsed", uint8(p.MonthsElapsed()))
		b.Str("indicator_code", r.Code)
		b.Str("region_level", r.Level)
		b.Str("region_code", r.Region)
		b.Str("region_name", r.RegionName)
		city := parentCity(p, r)
		b.Str("city_code", city)
		b.Str("city_name", p.Regions.CityName(city))
		b.F64("value", r.Value)
		if r.Target != nil {
			b.F64("target", *r.Target)
		} else {
			b.Null("target")
		}
		b.Str("unit", r.Unit)
		b.Flag("complete", r.Complete)
		b.Flag("stale", false) // fresh when published; marked later if its inputs are replaced
		b.F64("numerator", r.Numerator)
		b.F64("denominator", r.Denominator)
		b.Str("run_id", p.RunID)
		b.EndRow()
	}
	return b.Finish()
}

// parentCity is the city code of an indicator row's region ("" when none).
func parentCity(p *model.Period, r indicators.Row) string {
	switch r.Level {
	case indicators.LevelCity:
		return r.Region
	case indicators.LevelCounty:
		c, _ := p.Regions.County(r.Region)
		return c.CityCode
	}
	return ""
}
