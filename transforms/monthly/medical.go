package monthly

import (
	"github.com/apache/arrow-go/v18/arrow/array"
)

// addMedical: insured means 正常参保 for the insurance year of the period;
// subsidies and costs are summed.
func addMedical(f *Facts, rows *array.Int32, c columns) {
	year, status, category := c.i64("insurance_year"), c.str("insurance_status"), c.str("subsidy_category")
	subsidy, total, oop := c.i64("subsidy_amount"), c.i64("total_cost"), c.i64("out_of_pocket")
	for i := 0; i < rows.Len(); i++ {
		if rows.IsNull(i) {
			continue
		}
		p := rows.Value(i)
		if int(year.Value(i)) == f.Period.Year() && status.Value(i) == "正常参保" {
			f.Insured[p] = true
			f.SubsidyCategory[p] = f.keep(category.Value(i))
		}
		f.InsuranceSubsidy[p] += subsidy.Value(i)
		f.MedicalTotal[p] += total.Value(i)
		f.MedicalOutOfPocket[p] += oop.Value(i)
	}
}
