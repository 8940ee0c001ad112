package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// SalesMonth builds the sales_month rows of the period.
func SalesMonth(p *model.Period, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.SalesMonthTable, mem)
	defer b.Release()
	for _, s := range p.Sales {
		county, _ := p.Regions.County(s.County)
		b.Date("period", p.Month.FirstDay())
		b.Str("county_code", s.County)
		b.Str("city_code", county.CityCode)
		b.Str("channel", s.Channel)
		b.Str("category", s.Category)
		b.Money("amount", s.Amount)
		b.U32("rows", s.Rows)
		b.Str("run_id", p.RunID)
		b.EndRow()
	}
	return b.Finish()
}
