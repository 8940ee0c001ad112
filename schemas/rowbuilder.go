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
// checks that.
type RowBuilder struct {
	table Table
	b     *array.RecordBuilder
	pos   map[string]int
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

func (r *RowBuilder) field(name string) array.Builder {
	i, ok := r.pos[name]
	if !ok {
		panic(fmt.Sprintf("schemas: table %s has no column %s", r.table.Name, name))
	}
	return r.b.Field(i)
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

// Finish returns the built batch (the caller releases it), or an error if
// some column was not set on every row.
func (r *RowBuilder) Finish() (arrow.RecordBatch, error) {
	n := r.b.Field(0).Len()
	for i := 1; i < len(r.table.Columns); i++ {
		if l := r.b.Field(i).Len(); l != n {
			return nil, fmt.Errorf("building %s rows: column %s has %d values, %s has %d",
				r.table.Name, r.table.Columns[i].Name, l, r.table.Columns[0].Name, n)
		}
	}
	return r.b.NewRecordBatch(), nil
}
