package reports_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// TestHeadlinesAndFindingsOfAPublishedPeriod publishes two months of a small
// province and reads the headline figures and finding counts back.
func TestHeadlinesAndFindingsOfAPublishedPeriod(t *testing.T) {
	ctx := context.Background()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sink := clickhouse.New(cfg, logger)
	require.NoError(t, sink.Connect(ctx))
	defer sink.Close()

	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 400, "2025-01", "2025-02"
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	runner := pipeline.NewRunner(sink, config.DefaultParams(), schemas.MustLoadRegions(), []byte("reports-test-key-0123456789"), mem, logger)
	feb := values.NewMonth(2025, 2)
	_, err = jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir())}, inbox, values.NewMonth(2025, 1), feb, mem)
	require.NoError(t, err)

	heads, err := reports.Headlines(ctx, sink.Conn(), feb)
	require.NoError(t, err)
	require.NotEmpty(t, heads)
	require.Equal(t, "EMPLOYED_PERSONS", heads[0].Code, "the plan's first target comes first")
	require.Equal(t, 1309000.0, *heads[0].Target)
	require.Greater(t, heads[0].Value, 0.0)
	for _, h := range heads {
		require.NotEmpty(t, h.Title, h.Code)
		require.True(t, h.Complete, "%s: every source was delivered", h.Code)
	}

	findings, err := reports.Findings(ctx, sink.Conn(), feb)
	require.NoError(t, err)
	require.NotEmpty(t, findings)
	rank := map[string]int{"high": 0, "medium": 1, "low": 2}
	for i := 1; i < len(findings); i++ {
		a, b := findings[i-1], findings[i]
		require.True(t, rank[a.Severity] < rank[b.Severity] || rank[a.Severity] == rank[b.Severity] && a.Count >= b.Count,
			"findings are ordered by severity, then count: %v before %v", a, b)
	}

	none, err := reports.Headlines(ctx, sink.Conn(), values.NewMonth(2024, 12))
	require.NoError(t, err)
	require.Empty(t, none, "an unpublished period has no headlines")
}
