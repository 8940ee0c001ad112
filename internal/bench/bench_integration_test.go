package bench

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/dashboards"
)

// TestBenchMeasuresATinyProvince runs the whole bench, as `make bench`
// does, on 8 households: it drives a freshly built zengshou binary and the
// embedded warehouse, so a change to how `zengshou run` connects (the
// writer account's password, say) fails here and not on the first
// province-scale run.
func TestBenchMeasuresATinyProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: run make test")
	}
	if _, err := exec.LookPath("clickhouse-client"); err != nil {
		t.Fatal("the bench needs clickhouse-client: run make test (make deps installs it)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	exe := filepath.Join(dir, "zengshou")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", exe, "zengshou/cmd/zengshou").CombinedOutput()
	require.NoError(t, err, "building zengshou: %s", out)

	cfg := DefaultConfig()
	cfg.Households, cfg.WorkDir, cfg.Zengshou = 8, filepath.Join(dir, "work"), exe
	var log strings.Builder
	res, err := New(cfg, &log).Run(ctx)
	require.NoError(t, err, "bench log:\n%s", log.String())

	require.Len(t, res.Scaling, 3, "January at 0.25×, 0.5× and 1× of 8 households")
	for i, n := range []int{2, 4, 8} {
		m := res.Scaling[i]
		require.Equal(t, n, m.Households)
		require.Equal(t, "2024-01", m.Period)
		require.Equal(t, 8, m.Files, "the eight sources of a month")
		require.Positive(t, m.RosterRows)
		require.Greater(t, m.Rows, m.RosterRows, "the departments' rows come on top of the roster")
		require.Positive(t, m.Floor)
		require.Positive(t, m.Run)
		require.Positive(t, m.PeakRSS)
		require.NotEmpty(t, m.Stages, "the run's --stats-json stages")
	}
	require.NotNil(t, res.December, "December after February..November")
	require.Equal(t, "2024-12", res.December.Period)
	q := res.Queries
	require.NotNil(t, q, "the queries timed on the largest warehouse")
	require.Equal(t, 8, q.Households)
	require.Equal(t, "2024-12", q.Period, "after December")
	require.Len(t, q.Dashboards, len(dashboards.Queries()), "every SQL panel's and variable's query")
	require.NotEmpty(t, q.Monthly, "the monthly report's reads")
	require.Equal(t, "2024-Q4", q.Quarter)
	require.NotEmpty(t, q.Quarterly, "the quarterly report's reads")
	md := res.Markdown()
	for _, want := range []string{"| 2024-01 | 8 |", "| 2024-12 | 8 |", "## Stages", "## Queries (dashboards and reports)",
		"| quarterly report 2024-Q4 | ", "## Goals (issue 12)"} {
		require.Contains(t, md, want)
	}
}
