package clickhouse

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// BenchmarkFillBlock measures the client's side of the load alone: 50 000
// rows (one INSERT's worth) of a table's Arrow batch appended to the
// clickhouse-go INSERT block, which is then aborted unsent.
func BenchmarkFillBlock(b *testing.B) {
	const n = 50000
	cfg := DefaultConfig()
	cfg.DSN = testenv.ClickHouse(b)
	s := New(cfg, slog.New(slog.DiscardHandler))
	require.NoError(b, s.Connect(b.Context()))
	defer s.Close()
	for _, t := range []schemas.Table{schemas.PersonMonthTable, schemas.HouseholdYearTable} {
		b.Run(t.Name, func(b *testing.B) {
			rec := benchRows(b, t, memory.NewGoAllocator(), n)
			defer rec.Release()
			query := fmt.Sprintf("INSERT INTO %s (%s)", quoteIdent(t.Name), strings.Join(t.Names(), ", "))
			var c columnAppender
			b.ReportAllocs()
			testenv.ReportCPU(b)
			for b.Loop() {
				batch, err := s.conn.PrepareBatch(b.Context(), query)
				require.NoError(b, err)
				require.NoError(b, fillBlock(batch, t, rec, &c))
				require.Equal(b, n, batch.Rows())
				require.NoError(b, batch.Abort())
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchRows builds n rows of t with every column set: text of realistic
// length, amounts in fen, every other nullable value null, two sources.
func benchRows(b *testing.B, t schemas.Table, mem memory.Allocator, n int) arrow.RecordBatch {
	rb := schemas.NewRowBuilder(t, mem)
	defer rb.Release()
	period := values.NewMonth(2025, 6)
	for i := 0; i < n; i++ {
		for _, c := range t.Columns {
			typ, nullable := strings.CutPrefix(c.Type, "Nullable(")
			if nullable {
				typ = strings.TrimSuffix(typ, ")")
				if i%2 == 0 {
					rb.Null(c.Name)
					continue
				}
			}
			switch typ {
			case "Date":
				rb.Date(c.Name, period.FirstDay())
			case "String":
				if c.Name == "run_id" {
					rb.Str(c.Name, "bench")
				} else {
					rb.Str(c.Name, fmt.Sprintf("%s-%d", c.Name, i))
				}
			case "UInt8":
				rb.U8(c.Name, uint8(i%2))
			case "UInt16":
				rb.U16(c.Name, uint16(i%7+1))
			case "UInt32":
				rb.U32(c.Name, uint32(i))
			case "Float64":
				rb.F64(c.Name, float64(i)/7)
			case "Decimal(18, 2)":
				rb.Money(c.Name, int64(i)*137-5000)
			case "Array(String)":
				rb.Strings(c.Name, []string{"roster", "medical"})
			default:
				b.Fatalf("column %s: no bench value for %s", c.Name, c.Type)
			}
		}
		rb.EndRow()
	}
	rec, err := rb.Finish()
	require.NoError(b, err)
	return rec
}
