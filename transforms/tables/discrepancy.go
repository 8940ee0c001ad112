package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/rules"
)

// Discrepancy builds the discrepancy rows (数据比对 findings) of the period.
func Discrepancy(p *model.Period, findings []rules.Finding, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DiscrepancyTable, mem)
	defer b.Release()
	for _, f := range findings {
		b.Date("period", p.Month.FirstDay())
		b.Str("rule_code", f.Rule)
		b.Str("severity", f.Severity)
		b.Str("county_code", f.County)
		b.Str("household_key", f.HouseholdKey)
		b.Str("person_key", f.PersonKey)
		b.Str("detail", f.Detail)
		b.Str("run_id", p.RunID)
		b.EndRow()
	}
	return b.Finish()
}
