package jobs_test

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// BenchmarkRunPeriod runs one month of a 5 000-household dirty province end
// to end (read, normalise, join, compute, stage, publish) against the test
// ClickHouse, and reports department rows per second.
func BenchmarkRunPeriod(b *testing.B) {
	ctx := context.Background()
	inbox := b.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 5000, "2025-06", "2025-06"
	truth, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(b, err)
	var rows int64
	for _, f := range truth.Periods["2025-06"].Files {
		rows += f.Rows
	}
	sink := warehouse(b)
	mem := memory.NewGoAllocator()
	runner := newRunner(b, sink, mem)
	m := values.NewMonth(2025, 6)
	b.ResetTimer()
	for b.Loop() {
		_, err := jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(b.TempDir())}, inbox, m, m, mem)
		require.NoError(b, err)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
