package csvfile

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
)

// benchEmployment generates an employment extract of n rows with realistic
// field lengths and a quoted amount in every tenth row.
func benchEmployment(n int) string {
	statuses := []string{"务工就业", "灵活就业", "未就业"}
	forms := []string{"企业务工", "公益性岗位", "帮扶车间", "以工代赈", "自主创业", "其他"}
	areas := []string{"县内", "省内县外", "省外"}
	var sb strings.Builder
	sb.WriteString(employmentHeader)
	for i := 0; i < n; i++ {
		wage := fmt.Sprintf("%d.%02d", 1500+i%4000, i%100)
		if i%10 == 0 {
			wage = fmt.Sprintf("\"%d,%03d.50\"", 1+i%9, i%1000)
		}
		fmt.Fprintf(&sb, "3601021990%08d,2025-06,%s,%s,%s,%s,%d,赣州市第%d电子厂\n",
			i, statuses[i%3], forms[i%6], areas[i%3], wage, (i%3)*100, i%500)
	}
	return sb.String()
}

func BenchmarkRead(b *testing.B) {
	const rows = 100_000
	text := benchEmployment(rows)
	for _, enc := range []struct {
		name, file string
		content    []byte
		// size is what MB/s counts: the file's bytes, or the text's
		// for a compressed file.
		size int
	}{
		{name: "utf-8", file: "employment.csv", content: []byte(text), size: len(text)},
		{name: "gb18030", file: "employment.csv", content: toGB18030(b, text)},
		{name: "utf-8.gz", file: "employment.csv.gz", content: gzipped(b, []byte(text)), size: len(text)},
	} {
		b.Run(enc.name, func(b *testing.B) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(b, 0)

			cfg := DefaultConfig()
			cfg.Path = writeFixture(b, enc.file, enc.content)
			s := New(cfg, employment(b), "2025-06/employment.csv", mem)
			emit := func(rec arrow.RecordBatch) error { return nil }

			if enc.size == 0 {
				enc.size = len(enc.content)
			}
			b.SetBytes(int64(enc.size))
			b.ReportAllocs()
			b.ResetTimer()
			testenv.ReportCPU(b)
			for b.Loop() {
				if _, err := s.Read(context.Background(), emit); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// TestBenchEmployment keeps the benchmark's input honest: every generated
// row must read cleanly.
func TestBenchEmployment(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)

	cfg := DefaultConfig()
	cfg.Path = writeFixture(t, "employment.csv", []byte(benchEmployment(1000)))
	got, err := readAll(t, mem, cfg)
	require.NoError(t, err)
	require.Len(t, got.rows, 1000)
	for _, r := range got.rows {
		require.Empty(t, r.Err, "line %d", r.Line)
	}
	require.Equal(t, "1,000.50", got.rows[0].Wage)
}
