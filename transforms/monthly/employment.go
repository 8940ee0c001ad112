package monthly

import (
	"github.com/apache/arrow-go/v18/arrow/array"
)

// addEmployment: wages count where 就业状态 is not 未就业; a person is
// employed with a 务工就业 or 灵活就业 row; form and area are those of the
// best-paid row; travel subsidies are summed whatever the status.
func addEmployment(f *Facts, rows *array.Int32, c columns) {
	status, form, area := c.str("status"), c.str("form"), c.str("area")
	wage, travel := c.i64("wage"), c.i64("travel_subsidy")
	for i := 0; i < rows.Len(); i++ {
		if rows.IsNull(i) {
			continue
		}
		p := rows.Value(i)
		f.TravelSubsidy[p] += money(travel, i)
		if status.Value(i) == "未就业" {
			continue
		}
		w := wage.Value(i)
		f.Wage[p] += w
		f.Employed[p] = true
		if f.EmploymentForm[p] == "" || w > f.bestWage[p] {
			f.bestWage[p] = w
			f.EmploymentForm[p] = f.keep(form.Value(i))
			f.EmploymentArea[p] = f.keep(area.Value(i))
		}
	}
}
