package monthly

import (
	"github.com/apache/arrow-go/v18/arrow/array"
)

// addPension sums the resident pension paid in the period.
func addPension(f *Facts, rows *array.Int32, c columns) {
	amount := c.i64("amount")
	for i := 0; i < rows.Len(); i++ {
		if !rows.IsNull(i) {
			f.Pension[rows.Value(i)] += amount.Value(i)
		}
	}
}
