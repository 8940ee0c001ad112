package xlsxfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"zengshou/pipeline"
	"zengshou/schemas"
)

// civilHeader is the header of the civil-affairs extract in contract order.
var civilHeader = []any{"身份证号", "救助类型", "发放年月", "发放金额", "保障状态", "死亡日期"}

// row is a raw civil-affairs row as the tests check it.
type row struct {
	ID, AidType, PayMonth, Amount, Coverage, DeathDate string
	Line                                               int64
	Err                                                string
}

// result is everything a Read produced.
type result struct {
	info    pipeline.ExtractInfo
	batches []int
	rows    []row
}

func civil(t testing.TB) schemas.Source {
	t.Helper()
	src, err := schemas.SourceByName(schemas.Civil)
	require.NoError(t, err)
	return src
}

// sheet is one sheet of a test workbook: cells by row (nil leaves a cell
// empty), and what to do to it after the values are set.
type sheet struct {
	name   string
	rows   [][]any
	hidden bool
	edit   func(f *excelize.File, name string)
}

// workbook writes the sheets, in order, as a real .xlsx file with excelize
// and returns its path.
func workbook(t testing.TB, sheets ...sheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", sh.name))
		} else {
			_, err := f.NewSheet(sh.name)
			require.NoError(t, err)
		}
		for r, cells := range sh.rows {
			for c, v := range cells {
				if v == nil {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				require.NoError(t, err)
				require.NoError(t, f.SetCellValue(sh.name, cell, v))
			}
		}
		if sh.edit != nil {
			sh.edit(f, sh.name)
		}
	}
	for i, sh := range sheets {
		if !sh.hidden {
			// Excel opens a workbook on its active sheet, which cannot be hidden.
			f.SetActiveSheet(i)
			break
		}
	}
	for _, sh := range sheets {
		if sh.hidden {
			require.NoError(t, f.SetSheetVisible(sh.name, false))
		}
	}
	path := filepath.Join(t.TempDir(), "civil.xlsx")
	require.NoError(t, f.SaveAs(path))
	return path
}

// writeFile writes content as a file named civil.xlsx and returns its path.
func writeFile(t testing.TB, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "civil.xlsx")
	require.NoError(t, os.WriteFile(path, content, 0o644))
	return path
}

// readAll reads cfg.Path as a civil-affairs extract and copies out every row.
func readAll(t *testing.T, mem memory.Allocator, cfg Config) (result, error) {
	t.Helper()
	src := civil(t)
	s := New(cfg, src, "2025-06/civil.xlsx", mem)
	want := src.RawSchema()
	var got result
	info, err := s.Read(context.Background(), func(rec arrow.RecordBatch) error {
		require.True(t, want.Equal(rec.Schema()), "schema %s", rec.Schema())
		got.batches = append(got.batches, int(rec.NumRows()))
		for i := 0; i < int(rec.NumRows()); i++ {
			got.rows = append(got.rows, rowAt(rec, i))
		}
		return nil
	})
	got.info = info
	return got, err
}

func rowAt(rec arrow.RecordBatch, i int) row {
	text := func(name string) string {
		col := rec.Column(rec.Schema().FieldIndices(name)[0]).(*array.String)
		return strings.Clone(col.Value(i))
	}
	lines := rec.Column(rec.Schema().FieldIndices(schemas.LineColumn)[0]).(*array.Int64)
	return row{
		ID: text("id_number"), AidType: text("aid_type"), PayMonth: text("pay_month"), Amount: text("amount"),
		Coverage: text("coverage_status"), DeathDate: text("death_date"),
		Line: lines.Value(i), Err: text(schemas.ErrorColumn),
	}
}
