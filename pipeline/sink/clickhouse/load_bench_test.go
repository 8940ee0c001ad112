package clickhouse_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// BenchmarkStageHouseholdYear measures the load path: Arrow batch →
// clickhouse-go columns → native INSERT into the staging twin, for 100 000
// household_year rows (36 columns, 20 of them Decimal).
func BenchmarkStageHouseholdYear(b *testing.B) {
	const n = 100000
	s := connect(b, testenv.ClickHouse(b))
	mem := memory.NewGoAllocator()
	rb := schemas.NewRowBuilder(schemas.HouseholdYearTable, mem)
	defer rb.Release()
	period := values.NewMonth(2025, 6)
	for i := 0; i < n; i++ {
		for _, c := range schemas.HouseholdYearTable.Columns {
			switch c.Type {
			case "Date":
				rb.Date(c.Name, period.FirstDay())
			case "String":
				if c.Name == "run_id" {
					rb.Str(c.Name, "bench") // one run per staged batch
				} else {
					rb.Str(c.Name, fmt.Sprintf("%s-%d", c.Name, i))
				}
			case "UInt8":
				rb.U8(c.Name, uint8(i%2))
			case "UInt16":
				rb.U16(c.Name, uint16(i%7+1))
			case "Decimal(18, 2)":
				rb.Money(c.Name, int64(i)*137)
			default:
				rb.Null(c.Name)
			}
		}
		rb.EndRow()
	}
	rec, err := rb.Finish()
	require.NoError(b, err)
	defer rec.Release()
	run := &pipeline.Run{ID: "bench", Job: "bench", Period: period, Started: time.Now().UTC()}
	b.ResetTimer()
	for b.Loop() {
		require.NoError(b, s.Begin(b.Context(), run))
		require.NoError(b, s.Stage(b.Context(), schemas.HouseholdYearTable, rec))
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
