package clickhouse

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/shopspring/decimal"
)

// columnAppender fills the columns of one INSERT block from Arrow columns.
// Money (Decimal(18, 2) from Arrow decimal128 of the same scale) and
// Array(String) are filled through ch-go's typed columns (decimalInto,
// stringListInto): clickhouse-go's own Append accepts only
// shopspring/decimal values for a Decimal column, three big.Int per value,
// and reflects over every row of an array. Everything else goes through
// clickhouse-go's Append with the slice columnValues makes; the scratch
// slices are reused from column to column and batch to batch.
type columnAppender struct {
	strs  []string
	dec   proto.ColDecimal64
	nulls proto.ColUInt8
	offs  proto.ColUInt64
	str   proto.ColStr
	buf   proto.Buffer
}

// appendColumn appends every value of a to col, an empty column of the
// block being built; nullable says whether the ClickHouse column is.
func (c *columnAppender) appendColumn(col column.Interface, a arrow.Array, nullable bool) error {
	if col.Rows() == 0 {
		switch a := a.(type) {
		case *array.Decimal128:
			if ok, err := c.decimalInto(col, a); ok || err != nil {
				return err
			}
		case *array.List:
			if ok, err := c.stringListInto(col, a); ok || err != nil {
				return err
			}
		}
	}
	if s, ok := a.(*array.String); ok {
		c.strs = c.strs[:0]
		for i := range s.Len() {
			c.strs = append(c.strs, s.Value(i))
		}
		_, err := col.Append(c.strs)
		clear(c.strs) // keep no reference to the batch's buffers
		return err
	}
	values, err := columnValues(a, nullable)
	if err != nil {
		return err
	}
	_, err = col.Append(values)
	return err
}

// decimalInto fills col, a Decimal(P, S) column with P ≤ 18 (Decimal64) or
// its Nullable, from a decimal128 column of scale S: the stored integer is
// the same on both sides (fen for money), so each value is copied as its
// 64-bit integer. It reports false, doing nothing, for any other pairing.
// A value that does not fit 64 bits is an error, as in clickhouse-go's
// own Decimal64 path.
func (c *columnAppender) decimalInto(col column.Interface, a *array.Decimal128) (bool, error) {
	base, isNullable := col, false
	if n, ok := col.(*column.Nullable); ok {
		base, isNullable = n.Base(), true
	}
	d, ok := base.(*column.Decimal)
	if !ok || d.Precision() > 18 || d.Scale() != int64(a.DataType().(*arrow.Decimal128Type).Scale) {
		return false, nil
	}
	n := a.Len()
	c.dec = c.dec[:0]
	c.nulls = c.nulls[:0]
	for i := range n {
		if a.IsNull(i) {
			if !isNullable {
				return true, fmt.Errorf("converting row %d to %s: null in a column that is not Nullable", i, d.Type())
			}
			c.nulls.Append(1)
			c.dec.Append(0)
			continue
		}
		v := a.Value(i)
		lo, hi := v.LowBits(), v.HighBits()
		if !(hi == 0 && lo < 1<<63 || hi == -1 && lo >= 1<<63) {
			return true, fmt.Errorf("converting row %d to %s: value %s overflows Decimal64", i, d.Type(), v.ToString(a.DataType().(*arrow.Decimal128Type).Scale))
		}
		if isNullable {
			c.nulls.Append(0)
		}
		c.dec.Append(proto.Decimal64(lo))
	}
	c.buf.Reset()
	if isNullable {
		c.nulls.EncodeColumn(&c.buf)
	}
	c.dec.EncodeColumn(&c.buf)
	return true, c.decode(col, n)
}

// stringListInto fills col, an Array(String) column, from a list of strings.
// It reports false, doing nothing, for any other pairing.
func (c *columnAppender) stringListInto(col column.Interface, a *array.List) (bool, error) {
	values, ok := a.ListValues().(*array.String)
	if !ok || col.Type() != "Array(String)" {
		return false, nil
	}
	if _, ok := col.(*column.Array); !ok {
		return false, nil
	}
	n := a.Len()
	offsets := a.Offsets()
	c.offs = c.offs[:0]
	c.str.Reset()
	for i := range n {
		for j := offsets[i]; j < offsets[i+1]; j++ {
			c.str.Append(values.Value(int(j)))
		}
		c.offs.Append(uint64(c.str.Rows()))
	}
	c.buf.Reset()
	c.offs.EncodeColumn(&c.buf)
	c.str.EncodeColumn(&c.buf)
	return true, c.decode(col, n)
}

// decode reads the n rows encoded in c.buf into col.
func (c *columnAppender) decode(col column.Interface, n int) error {
	if err := col.Decode(proto.NewReader(bytes.NewReader(c.buf.Buf)), n); err != nil {
		return fmt.Errorf("filling %s: %w", col.Type(), err)
	}
	if col.Rows() != n {
		return fmt.Errorf("filling %s: %d rows instead of %d", col.Type(), col.Rows(), n)
	}
	return nil
}

// columnValues converts an Arrow column into the Go slice clickhouse-go
// appends to the matching ClickHouse column (schemas.ArrowType is the map).
// Numeric columns without nulls are passed as views of the Arrow buffer:
// clickhouse-go copies what it appends.
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
		return a.Uint8Values(), nil
	case *array.Uint16:
		return a.Uint16Values(), nil
	case *array.Uint32:
		return a.Uint32Values(), nil
	case *array.Uint64:
		return a.Uint64Values(), nil
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
		return a.Float64Values(), nil
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
