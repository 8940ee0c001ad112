package monthly

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// addCivil sums payments by type and records death registrations dated on or
// before the end of the period.
func addCivil(f *Facts, rows *array.Int32, c columns) {
	typ, amount, death := c.str("aid_type"), c.i64("amount"), c.date("death_date")
	end := arrow.Date32FromTime(f.Period.LastDay())
	for i := 0; i < rows.Len(); i++ {
		if rows.IsNull(i) {
			continue
		}
		p, a := rows.Value(i), amount.Value(i)
		switch typ.Value(i) {
		case "城乡低保":
			f.Dibao[p] += a
		case "特困供养":
			f.Tekun[p] += a
		case "临时救助":
			f.TempRelief[p] += a
		case "残疾人生活补贴":
			f.Disability[p] += a
		case "重度残疾人护理补贴":
			f.DisabilityCare[p] += a
		case "死亡登记":
			if d := death.Value(i); d <= end {
				f.Deceased[p] = true
				f.DeathDay[p] = d
			}
		}
	}
}
