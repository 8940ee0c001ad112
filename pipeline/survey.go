package pipeline

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

var incomeSource, _ = schemas.SourceByName(schemas.HouseholdIncome)

// surveyHandler matches household_income rows to roster households.
// Households are keyed on county + 户编号 and the survey carries no county,
// so a row matches the household whose 户编号 it names when exactly one
// roster household has that number; when households of several counties
// share it, the row is quarantined HOUSEHOLD_AMBIGUOUS rather than given to
// one of them. A second row for a household is quarantined
// DUPLICATE_HOUSEHOLD.
func surveyHandler(p *model.Period) batchHandler {
	byNo := make(map[string][]int, len(p.Households))
	for h, hh := range p.Households {
		byNo[hh.No] = append(byNo[hh.No], h)
	}
	col := func(rec arrow.RecordBatch, name string) arrow.Array {
		return rec.Column(incomeSource.ColumnIndex(name))
	}
	return func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		nos := col(typed, "household_no").(*array.String)
		bi := col(typed, "business_income").(*array.Int64)
		bc := col(typed, "business_cost").(*array.Int64)
		pi := col(typed, "property_income").(*array.Int64)
		to := col(typed, "transfer_other").(*array.Int64)
		ws := col(typed, "wage_self_reported").(*array.Int64)
		lines := typed.Column(int(typed.NumCols()) - 1).(*array.Int64)
		var rejected []schemas.Rejected
		var unmatched int64
		for i := 0; i < int(typed.NumRows()); i++ {
			matches := byNo[nos.Value(i)]
			if len(matches) == 0 {
				unmatched++
				continue
			}
			if len(matches) > 1 {
				counties := make([]string, len(matches))
				for j, h := range matches {
					counties[j] = p.Households[h].County
				}
				rejected = append(rejected, schemas.Rejected{
					Line: lines.Value(i), Reason: schemas.ReasonHouseholdAmbiguous,
					Detail: fmt.Sprintf("户编号 %s 在名册中对应 %d 个县的户(%s), 收入采集无区划代码, 无法确定归属, 本行不计入",
						nos.Value(i), len(matches), strings.Join(counties, "、")),
					Row: fmt.Sprintf(`{"户编号":%q}`, nos.Value(i)),
				})
				continue
			}
			h := matches[0]
			if p.Surveys[h] != nil {
				rejected = append(rejected, schemas.Rejected{
					Line: lines.Value(i), Reason: schemas.ReasonDuplicateHousehold,
					Detail: fmt.Sprintf("户编号 %s 本期已有一条收入采集记录, 重复行不计入", nos.Value(i)),
					Row:    fmt.Sprintf(`{"户编号":%q}`, nos.Value(i)),
				})
				continue
			}
			p.Surveys[h] = &model.Survey{
				Period: p.Month, BusinessIncome: bi.Value(i), BusinessCost: bc.Value(i),
				PropertyIncome: pi.Value(i), TransferOther: to.Value(i), WageSelfReported: ws.Value(i),
			}
		}
		return rejected, unmatched, nil
	}
}
