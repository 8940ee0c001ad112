package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
)

// Indicator builds the indicator rows of the period.
func Indicator(p *model.Period, rows []indicators.Row, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.IndicatorTable, mem)
	defer b.Release()
	for _, r := range rows {
		b.Date("period", p.Month.FirstDay())
		b.U16("year", uint16(p.Month.Year()))
		b.Str("indicator_code", r.Code)
		b.Str("region_level", r.Level)
		b.Str("region_code", r.Region)
		b.Str("region_name", r.RegionName)
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
