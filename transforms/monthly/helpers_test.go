package monthly_test

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/monthly"
	"zengshou/transforms/values"
)

// june2025 is the reporting period of every case unless a case says
// otherwise; its last day is 2025-06-30.
var june2025 = values.NewMonth(2025, 6)

// unmatched marks a department row whose person is not on the roster: its
// roster index is null.
const unmatched = -1

// row is one validated department row as the tests write it: logical column
// name → value (string for ID/Text/Enum, int64 for Money in fen and for
// Integer, values.Month, arrow.Date32, bool for YesNo). A column left out is
// null, as an empty optional cell is after normalisation.
type row map[string]any

// with returns a copy of the row with one more column set.
func (r row) with(col string, v any) row {
	out := make(row, len(r)+1)
	for k, x := range r {
		out[k] = x
	}
	out[col] = v
	return out
}

// deptRow is a department row together with the roster row of its person
// (unmatched when the ID is not on the roster).
type deptRow struct {
	roster int32
	cols   row
}

// typedBatch builds a batch with the source's TypedSchema from rows; the
// file line (_line) is the row's position + 2, as after a header row.
func typedBatch(t testing.TB, mem memory.Allocator, src schemas.Source, rows []row) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, src.TypedSchema())
	defer b.Release()
	for i, r := range rows {
		for name := range r {
			require.GreaterOrEqual(t, src.ColumnIndex(name), 0, "source %s has no column %s", src.Name, name)
		}
		for c, col := range src.Columns {
			v, ok := r[col.Name]
			if !ok || v == nil {
				require.False(t, col.Required, "row %d of %s: required column %s left out", i, src.Name, col.Name)
				b.Field(c).AppendNull()
				continue
			}
			switch fb := b.Field(c).(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Int32Builder:
				fb.Append(int32(v.(values.Month)))
			case *array.Date32Builder:
				fb.Append(v.(arrow.Date32))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			default:
				t.Fatalf("column %s: unexpected builder %T", col.Name, fb)
			}
		}
		b.Field(len(src.Columns)).(*array.Int64Builder).Append(int64(i + 2))
	}
	return b.NewRecordBatch()
}

// accumulate adds rows, as one batch, to empty facts for a roster of n
// persons and returns the facts.
func accumulate(t *testing.T, mem memory.Allocator, srcName string, period values.Month, n int, rows []deptRow) *monthly.Facts {
	t.Helper()
	f := monthly.New(n, period)
	addBatch(t, mem, f, srcName, rows)
	return f
}

// addBatch builds the typed batch of rows and its roster-index array and
// adds them to f.
func addBatch(t *testing.T, mem memory.Allocator, f *monthly.Facts, srcName string, rows []deptRow) {
	t.Helper()
	src := fixture.Source(t, srcName)
	cols := make([]row, len(rows))
	idx := array.NewInt32Builder(mem)
	defer idx.Release()
	for i, r := range rows {
		cols[i] = r.cols
		if r.roster == unmatched {
			idx.AppendNull()
		} else {
			require.Less(t, int(r.roster), len(f.Wage), "row %d: roster index outside the roster", i)
			idx.Append(r.roster)
		}
	}
	rec := typedBatch(t, mem, src, cols)
	defer rec.Release()
	index := idx.NewInt32Array()
	defer index.Release()
	require.NoError(t, f.Add(src, index, rec))
}

// requireOnly checks that the facts hold zero values everywhere except in
// the named fields: a department's rows touch only that department's facts.
func requireOnly(t *testing.T, f *monthly.Facts, fields ...string) {
	t.Helper()
	own := map[string]bool{"Period": true}
	for _, name := range fields {
		own[name] = true
	}
	v := reflect.ValueOf(f).Elem()
	for i := 0; i < v.NumField(); i++ {
		field := v.Type().Field(i)
		if !field.IsExported() || own[field.Name] {
			continue
		}
		require.True(t, allZero(v.Field(i)), "Facts.%s was written: %v", field.Name, v.Field(i).Interface())
	}
	for name := range own {
		_, ok := v.Type().FieldByName(name)
		require.True(t, ok, "Facts has no field %s", name)
	}
}

func allZero(s reflect.Value) bool {
	for i := 0; i < s.Len(); i++ {
		if !s.Index(i).IsZero() {
			return false
		}
	}
	return true
}

// Valid ID numbers: the tests only need them to be well-formed text.
const (
	idA = "360731198001011002"
	idB = "360731198001011010"
	idC = "360731198001011029"
)
