package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
)

// setCounty sets the dim_county columns of one row, except skip.
func setCounty(b *schemas.RowBuilder, skip string) {
	set := map[string]func(){
		"county_code":   func() { b.Str("county_code", "360731") },
		"county_name":   func() { b.Str("county_name", "于都县") },
		"city_code":     func() { b.Str("city_code", "360700") },
		"city_name":     func() { b.Str("city_name", "赣州市") },
		"is_key_county": func() { b.Flag("is_key_county", true) },
	}
	for _, name := range schemas.DimCountyTable.Names() {
		if name != skip {
			set[name]()
		}
	}
}

// TestRowBuilderFinishChecksEveryColumnWasSet: the table builders set
// columns by name, row by row; a column skipped on some row would shift
// every later value of that column onto the wrong row, so Finish refuses
// the batch and names the table and the column.
func TestRowBuilderFinishChecksEveryColumnWasSet(t *testing.T) {
	tests := []struct {
		name string
		// skip is the column left unset on the second of three rows ("" for
		// none).
		skip string
		// wantErr are fragments of the error; nil when Finish succeeds.
		wantErr []string
	}{
		{"every column set", "", nil},
		{"first column skipped", "county_code", []string{"dim_county", "county_code"}},
		{"middle column skipped", "city_code", []string{"dim_county", "city_code"}},
		{"last column skipped", "is_key_county", []string{"dim_county", "is_key_county"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			b := schemas.NewRowBuilder(schemas.DimCountyTable, mem)
			defer b.Release()
			setCounty(b, "")
			b.EndRow()
			setCounty(b, tc.skip)
			b.EndRow()
			setCounty(b, "")
			b.EndRow()

			rec, err := b.Finish()
			if tc.wantErr == nil {
				require.NoError(t, err)
				defer rec.Release()
				require.Equal(t, int64(3), rec.NumRows())
				return
			}
			require.Error(t, err)
			require.Nil(t, rec)
			for _, frag := range tc.wantErr {
				require.Contains(t, err.Error(), frag)
			}
		})
	}
}

// TestRowBuilderFinishWithNoRows: a period with nothing to write is an
// empty batch of the table's schema, not an error.
func TestRowBuilderFinishWithNoRows(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	b := schemas.NewRowBuilder(schemas.PersonMonthTable, mem)
	defer b.Release()
	rec, err := b.Finish()
	require.NoError(t, err)
	defer rec.Release()
	require.Zero(t, rec.NumRows())
	require.True(t, rec.Schema().Equal(schemas.PersonMonthTable.ArrowSchema()))
}

// TestRowBuilderUnknownColumnPanics: a misspelt column name is a
// programming error, caught on the first row.
func TestRowBuilderUnknownColumnPanics(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	b := schemas.NewRowBuilder(schemas.DimCountyTable, mem)
	defer b.Release()
	require.PanicsWithValue(t, "schemas: table dim_county has no column county", func() { b.Str("county", "360731") })
}

// TestRowBuilderFinishCatchesAColumnSetTwiceThenSkipped: RowBuilder's doc
// says every row must set every column exactly once: a column set twice on
// one row and skipped on the next has the right length overall, so only the
// explicit row boundaries (EndRow) can tell, and Finish must refuse it.
func TestRowBuilderFinishCatchesAColumnSetTwiceThenSkipped(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	b := schemas.NewRowBuilder(schemas.DimCountyTable, mem)
	defer b.Release()
	setCounty(b, "")
	b.Str("county_name", "于都县(重复)")
	b.EndRow()
	setCounty(b, "county_name")
	b.EndRow()

	rec, err := b.Finish()
	if rec != nil {
		rec.Release()
	}
	require.Error(t, err)
}
