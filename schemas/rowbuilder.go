package schemas

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// RowBuilder builds a record batch of a warehouse table row by row, setting
// columns by name. Every row must set every column exactly once; Finish
// reports a column set twice, skipped, or a row left incomplete.
type RowBuilder struct {
	table Table
	b     *array.RecordBuilder
	pos   map[string]int
	// rows counts complete rows; setInRow counts the columns set in the
	// row being built; err is the first misuse, reported by Finish.
	rows, setInRow int
	err            error
}

// NewRowBuilder returns a builder for the table's ArrowSchema.
func NewRowBuilder(t Table, mem memory.Allocator) *RowBuilder {
	pos := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		pos[c.Name] = i
	}
	return &RowBuilder{table: t, b: array.NewRecordBuilder(mem, t.ArrowSchema()), pos: pos}
}

// Release frees the builder.
func (r *RowBuilder) Release() { r.b.Release() }

// field returns the builder of a column for the row being built; the row is
// complete once every column is set. Setting a column twice before then
// (or, what looks the same, skipping one in the previous row) is recorded
// for Finish to report.
func (r *RowBuilder) field(name string) array.Builder {
	i, ok := r.pos[name]
	if !ok {
		panic(fmt.Sprintf("schemas: table %s has no column %s", r.table.Name, name))
	}
	f := r.b.Field(i)
	if f.Len() != r.rows && r.err == nil {
		r.err = r.misuse(name)
	}
	r.setInRow++
	if r.setInRow == len(r.table.Columns) {
		r.rows, r.setInRow = r.rows+1, 0
	}
	return f
}

// Str sets a String column.
func (r *RowBuilder) Str(name, v string) { r.field(name).(*array.StringBuilder).Append(v) }

// Flag sets a UInt8 column from a bool.
func (r *RowBuilder) Flag(name string, v bool) {
	var u uint8
	if v {
		u = 1
	}
	r.field(name).(*array.Uint8Builder).Append(u)
}

// U8 sets a UInt8 column.
func (r *RowBuilder) U8(name string, v uint8) { r.field(name).(*array.Uint8Builder).Append(v) }

// U16 sets a UInt16 column.
func (r *RowBuilder) U16(name string, v uint16) { r.field(name).(*array.Uint16Builder).Append(v) }

// U32 sets a UInt32 column.
func (r *RowBuilder) U32(name string, v uint32) { r.field(name).(*array.Uint32Builder).Append(v) }

// F64 sets a Float64 column.
func (r *RowBuilder) F64(name string, v float64) { r.field(name).(*array.Float64Builder).Append(v) }

// Money sets a Decimal(18, 2) column from fen.
func (r *RowBuilder) Money(name string, fen int64) {
	r.field(name).(*array.Decimal128Builder).Append(decimal128.FromI64(fen))
}

// Date sets a Date column.
func (r *RowBuilder) Date(name string, t time.Time) {
	r.field(name).(*array.Date32Builder).Append(arrow.Date32FromTime(t))
}

// Strings sets an Array(String) column.
func (r *RowBuilder) Strings(name string, vs []string) {
	lb := r.field(name).(*array.ListBuilder)
	lb.Append(true)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for _, v := range vs {
		vb.Append(v)
	}
}

// Null sets a Nullable column to null.
func (r *RowBuilder) Null(name string) { r.field(name).AppendNull() }

// misuse explains why column name was set again before the row was
// complete: another column was skipped, or name was set twice.
func (r *RowBuilder) misuse(name string) error {
	for i, c := range r.table.Columns {
		if r.b.Field(i).Len() == r.rows {
			return fmt.Errorf("building %s rows: row %d lacks column %s", r.table.Name, r.rows, c.Name)
		}
	}
	return fmt.Errorf("building %s rows: row %d sets column %s twice", r.table.Name, r.rows, name)
}

// Finish returns the built batch (the caller releases it), or an error if
// some column was not set on every row.
func (r *RowBuilder) Finish() (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.setInRow != 0 {
		for i, c := range r.table.Columns {
			if r.b.Field(i).Len() == r.rows {
				return nil, fmt.Errorf("building %s rows: row %d lacks column %s", r.table.Name, r.rows, c.Name)
			}
		}
	}
	return r.b.NewRecordBatch(), nil
}
