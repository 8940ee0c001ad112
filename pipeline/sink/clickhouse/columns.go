package clickhouse

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/shopspring/decimal"
)

// columnValues converts an Arrow column into the Go slice clickhouse-go
// appends to the matching ClickHouse column (schemas.ArrowType is the map).
func columnValues(a arrow.Array, nullable bool) (any, error) {
	n := a.Len()
	switch a := a.(type) {
	case *array.String:
		out := make([]string, n)
		for i := range out {
			out[i] = a.Value(i)
		}
		return out, nil
	case *array.Date32:
		if nullable {
			out := make([]*time.Time, n)
			for i := range out {
				if a.IsValid(i) {
					v := a.Value(i).ToTime()
					out[i] = &v
				}
			}
			return out, nil
		}
		out := make([]time.Time, n)
		for i := range out {
			out[i] = a.Value(i).ToTime()
		}
		return out, nil
	case *array.Uint8:
		if nullable {
			out := make([]*uint8, n)
			for i := range out {
				if a.IsValid(i) {
					v := a.Value(i)
					out[i] = &v
				}
			}
			return out, nil
		}
		return append([]uint8(nil), a.Uint8Values()...), nil
	case *array.Uint16:
		return append([]uint16(nil), a.Uint16Values()...), nil
	case *array.Uint32:
		return append([]uint32(nil), a.Uint32Values()...), nil
	case *array.Uint64:
		return append([]uint64(nil), a.Uint64Values()...), nil
	case *array.Float64:
		if nullable {
			out := make([]*float64, n)
			for i := range out {
				if a.IsValid(i) {
					v := a.Value(i)
					out[i] = &v
				}
			}
			return out, nil
		}
		return append([]float64(nil), a.Float64Values()...), nil
	case *array.Decimal128:
		scale := -a.DataType().(*arrow.Decimal128Type).Scale
		if nullable {
			out := make([]*decimal.Decimal, n)
			for i := range out {
				if a.IsValid(i) {
					d := decimal.NewFromBigInt(a.Value(i).BigInt(), scale)
					out[i] = &d
				}
			}
			return out, nil
		}
		out := make([]decimal.Decimal, n)
		for i := range out {
			v := a.Value(i)
			if v.HighBits() == 0 && v.LowBits() < 1<<63 || v.HighBits() == -1 && v.LowBits() >= 1<<63 {
				out[i] = decimal.New(int64(v.LowBits()), scale)
			} else {
				out[i] = decimal.NewFromBigInt(v.BigInt(), scale)
			}
		}
		return out, nil
	case *array.List:
		values, ok := a.ListValues().(*array.String)
		if !ok {
			return nil, fmt.Errorf("converting list of %s: only lists of strings are supported", a.ListValues().DataType())
		}
		out := make([][]string, n)
		offsets := a.Offsets()
		for i := range out {
			row := make([]string, 0, offsets[i+1]-offsets[i])
			for j := offsets[i]; j < offsets[i+1]; j++ {
				row = append(row, values.Value(int(j)))
			}
			out[i] = row
		}
		return out, nil
	}
	return nil, fmt.Errorf("converting %s to a ClickHouse column: unsupported type", a.DataType())
}
