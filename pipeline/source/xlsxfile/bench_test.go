package xlsxfile

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// benchWorkbook writes a civil-affairs workbook of n rows with excelize's
// StreamWriter, IDs and amounts as numbers, months as text.
func benchWorkbook(b *testing.B, n int) string {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(b, err)
	require.NoError(b, sw.SetRow("A1", civilHeader))
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(b, sw.SetRow(cell, []any{int64(360102199001010000 + i), "城乡低保", "2025-06", float64(600+i%400) + 0.5, "在保", nil}))
	}
	require.NoError(b, sw.Flush())
	path := filepath.Join(b.TempDir(), "civil.xlsx")
	require.NoError(b, f.SaveAs(path))
	return path
}

// BenchmarkRead reports rows/s reading a 100,000-row workbook.
func BenchmarkRead(b *testing.B) {
	const rows = 100_000
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	cfg := DefaultConfig()
	cfg.Path = benchWorkbook(b, rows)
	s := New(cfg, civil(b), "2025-06/civil.xlsx", mem)
	var got int64
	emit := func(rec arrow.RecordBatch) error { got += rec.NumRows(); return nil }
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got = 0
		if _, err := s.Read(context.Background(), emit); err != nil {
			b.Fatal(err)
		}
		if got != rows {
			b.Fatalf("read %d rows, want %d", got, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
