package normalize_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// period is the reporting month every extract of these tests is delivered for.
var period = values.NewMonth(2025, 6)

// cells is a raw row as a reader hands it over: text by logical column name.
// A column left out is an empty cell.
type cells map[string]string

// with returns a copy of base with the cells of set replaced.
func (base cells) with(set cells) cells {
	out := make(cells, len(base)+len(set))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range set {
		out[k] = v
	}
	return out
}

// rawRow is one row of a raw batch: its cells and the reader's split error.
type rawRow struct {
	cells cells
	err   string
}

// rawBatch builds a batch with schema src.RawSchema(); row i is line i+2 of
// its file (the header is line 1).
func rawBatch(t testing.TB, mem memory.Allocator, src schemas.Source, rows []rawRow) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, src.RawSchema())
	defer b.Release()
	for _, c := range rows {
		for k := range c.cells {
			require.NotEqual(t, -1, src.ColumnIndex(k), "source %s has no column %s", src.Name, k)
		}
	}
	for i, r := range rows {
		for j, c := range src.Columns {
			b.Field(j).(*array.StringBuilder).Append(r.cells[c.Name])
		}
		b.Field(len(src.Columns)).(*array.Int64Builder).Append(int64(i + 2))
		b.Field(len(src.Columns) + 1).(*array.StringBuilder).Append(r.err)
	}
	return b.NewRecordBatch()
}

// typedRow returns the row of a typed batch that came from line, and whether
// there is one.
func typedRow(rec arrow.RecordBatch, line int64) (int, bool) {
	lines := rec.Column(int(rec.NumCols()) - 1).(*array.Int64)
	for i := 0; i < lines.Len(); i++ {
		if lines.Value(i) == line {
			return i, true
		}
	}
	return 0, false
}

// column returns the typed column of a logical name.
func column(t testing.TB, src schemas.Source, rec arrow.RecordBatch, name string) arrow.Array {
	t.Helper()
	i := src.ColumnIndex(name)
	require.NotEqual(t, -1, i, "source %s has no column %s", src.Name, name)
	return rec.Column(i)
}
