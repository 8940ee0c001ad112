package clickhouse_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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
	rec := householdYearRows(b, mem, n)
	defer rec.Release()
	run := &pipeline.Run{ID: "bench", Job: "bench", Period: values.NewMonth(2025, 6), Started: time.Now().UTC()}
	b.ResetTimer()
	for b.Loop() {
		require.NoError(b, s.Begin(b.Context(), run))
		require.NoError(b, s.Stage(b.Context(), schemas.HouseholdYearTable, rec))
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkNativeInsertHouseholdYear is the yardstick of the load: the same
// 100 000 rows, dumped in ClickHouse's Native format, inserted by
// clickhouse-client into a table like household_year (issue 12 asks the
// load for ≥ 0.8× its rows/s).
func BenchmarkNativeInsertHouseholdYear(b *testing.B) {
	const n = 100000
	dsn := testenv.ClickHouse(b)
	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		b.Skip("clickhouse-client is not installed")
	}
	u, err := url.Parse(dsn)
	require.NoError(b, err)
	db := strings.Trim(u.Path, "/")
	s := connect(b, dsn)
	mem := memory.NewGoAllocator()
	rec := householdYearRows(b, mem, n)
	defer rec.Release()
	run := &pipeline.Run{ID: "bench", Job: "bench", Period: values.NewMonth(2025, 6), Started: time.Now().UTC()}
	require.NoError(b, s.Begin(b.Context(), run))
	require.NoError(b, s.Stage(b.Context(), schemas.HouseholdYearTable, rec))
	ch := func(stdin []byte, query string) []byte {
		cmd := exec.CommandContext(b.Context(), client, "--host", u.Hostname(), "--port", u.Port(), "--database", db, "--query", query)
		cmd.Stdin = bytes.NewReader(stdin)
		out, err := cmd.Output()
		require.NoError(b, err, "clickhouse-client --query %s", query)
		return out
	}
	// The staged rows are wherever the sink stages: the one table besides
	// household_year holding exactly them.
	var staging string
	for name := range strings.Lines(string(ch(nil, "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%household_year%' AND name != 'household_year'"))) {
		name = strings.TrimSpace(name)
		if strings.TrimSpace(string(ch(nil, "SELECT count() FROM `"+name+"`"))) == fmt.Sprint(n) {
			staging = name
		}
	}
	require.NotEmpty(b, staging, "finding the staged household_year rows")
	native := ch(nil, "SELECT "+columnList(schemas.HouseholdYearTable)+" FROM `"+staging+"` FORMAT Native")
	ch(nil, "CREATE TABLE bench_native AS household_year")
	b.SetBytes(int64(len(native)))
	b.ResetTimer()
	for b.Loop() {
		ch(native, "INSERT INTO bench_native ("+columnList(schemas.HouseholdYearTable)+") FORMAT Native")
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func columnList(t schemas.Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// householdYearRows builds n household_year rows (the caller releases them).
func householdYearRows(b *testing.B, mem memory.Allocator, n int) arrow.RecordBatch {
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
	return rec
}
