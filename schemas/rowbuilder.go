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
// columns by name and closing each row with EndRow. Every row must set every
// column exactly once; Finish reports the first row that did not.
type RowBuilder struct {
	table Table
	b     *array.RecordBuilder
	pos   map[string]int
	// set marks the columns set in the row being built, setInRow counts
	// them; err is the first misuse, reported by Finish.
	set      []bool
	setInRow int
	rows     int
	err      error
	// next is the column after the one set last: callers set columns in
	// table order, so a name compare there spares the map lookup.
	next int
}

// NewRowBuilder returns a builder for the table's ArrowSchema.
func NewRowBuilder(t Table, mem memory.Allocator) *RowBuilder {
	pos := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		pos[c.Name] = i
	}
	return &RowBuilder{table: t, b: array.NewRecordBuilder(mem, t.ArrowSchema()), pos: pos, set: make([]bool, len(t.Columns))}
}

// Reserve makes room for rows more rows in every column, so that a builder
// told its size does not grow (and copy) its buffers as it goes.
func (r *RowBuilder) Reserve(rows int) { r.b.Reserve(rows) }

// Release frees the builder.
func (r *RowBuilder) Release() { r.b.Release() }

// field returns the builder of a column for the row being built. A column
// set twice in one row is recorded for Finish to report.
func (r *RowBuilder) field(name string) array.Builder {
	i := r.next
	if i >= len(r.table.Columns) || r.table.Columns[i].Name != name {
		var ok bool
		if i, ok = r.pos[name]; !ok {
			panic(fmt.Sprintf("schemas: table %s has no column %s", r.table.Name, name))
		}
	}
	r.next = i + 1
	if r.set[i] && r.err == nil {
		r.err = fmt.Errorf("building %s rows: row %d sets column %s twice", r.table.Name, r.rows, name)
	}
	r.set[i] = true
	r.setInRow++
	return r.b.Field(i)
}

// EndRow closes the row being built; a column it did not set is recorded
// for Finish to report.
func (r *RowBuilder) EndRow() {
	if r.setInRow != len(r.table.Columns) && r.err == nil {
		for i, c := range r.table.Columns {
			if !r.set[i] {
				r.err = fmt.Errorf("building %s rows: row %d lacks column %s", r.table.Name, r.rows, c.Name)
				break
			}
		}
	}
	clear(r.set)
	r.setInRow = 0
	r.next = 0
	r.rows++
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

// Finish closes an open row and returns the built batch (the caller
// releases it), or the first row's error.
func (r *RowBuilder) Finish() (arrow.RecordBatch, error) {
	if r.setInRow != 0 {
		r.EndRow()
	}
	if r.err != nil {
		return nil, r.err
	}
	return r.b.NewRecordBatch(), nil
}
