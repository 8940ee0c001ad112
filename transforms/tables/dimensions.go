package tables

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/rules"
)

// DimIndicator builds dim_indicator from the indicators' catalog: one row
// per code the indicators package writes. A code without a catalog entry is
// an error, so a new indicator cannot reach the warehouse without its name.
func DimIndicator(mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DimIndicatorTable, mem)
	defer b.Release()
	for _, code := range indicators.Codes() {
		info, ok := indicators.Describe(code)
		if !ok {
			return nil, fmt.Errorf("describing indicator %s: not in the catalog", code)
		}
		b.Str("indicator_code", info.Code)
		b.Str("indicator_name", info.Name)
		b.Str("unit", info.Unit)
		b.Str("definition", info.Definition)
		b.Str("target_rule", info.TargetRule)
		b.EndRow()
	}
	return b.Finish()
}

// DimRule builds dim_rule from the rules' Registry (code, severity) and
// catalog (name, level, definition, suggested measure).
func DimRule(mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DimRuleTable, mem)
	defer b.Release()
	for _, r := range rules.Registry {
		info, ok := rules.Describe(r.Code)
		if !ok {
			return nil, fmt.Errorf("describing rule %s: not in the catalog", r.Code)
		}
		b.Str("rule_code", r.Code)
		b.Str("rule_name", info.Name)
		b.Str("level", info.Level)
		b.Str("severity", r.Severity)
		b.Str("definition", info.Definition)
		b.Str("suggested_measure", info.Measure)
		b.EndRow()
	}
	return b.Finish()
}

// DimReason builds dim_reason from schemas.Reasons.
func DimReason(mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DimReasonTable, mem)
	defer b.Release()
	for _, r := range schemas.Reasons {
		b.Str("reason_code", r.Code)
		b.Str("reason_name", r.Name)
		b.Str("action", r.Action)
		b.EndRow()
	}
	return b.Finish()
}
