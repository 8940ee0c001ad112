package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// TestEveryAttemptIsRecorded: a run refused before it could start — a
// file that names no source, an XLSX extract, a source delivered twice, a
// missing period folder, a period another process holds — exits with an
// error and leaves a failed etl_run row carrying that error.
func TestEveryAttemptIsRecorded(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 50, "2025-01", "2025-01"
	_, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	runner := newRunner(t, sink, mem)
	jan := values.NewMonth(2025, 1)
	dir := filepath.Join(inbox, "2025-01")

	cases := []struct {
		name  string
		setup func(t *testing.T) (undo func())
		want  string
	}{
		{"a file that names no source", func(t *testing.T) func() {
			p := filepath.Join(dir, "rooster.csv")
			require.NoError(t, os.WriteFile(p, []byte("x\n"), 0o644))
			return func() { os.Remove(p) }
		}, "rooster.csv names no source"},
		{"an XLSX extract", func(t *testing.T) func() {
			p := filepath.Join(dir, "pension.xlsx")
			require.NoError(t, os.WriteFile(p, []byte("PK"), 0o644))
			return func() { os.Remove(p) }
		}, "pension.xlsx"},
		{"a source delivered twice", func(t *testing.T) func() {
			p := filepath.Join(dir, "sales.csv.gz")
			if _, err := os.Stat(p); err == nil {
				p = filepath.Join(dir, "sales.csv")
			}
			require.NoError(t, os.WriteFile(p, []byte("x\n"), 0o644))
			return func() { os.Remove(p) }
		}, "sales delivered twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			undo := c.setup(t)
			defer undo()
			run, err := jobs.RunPeriod(ctx, runner, testLocking(t), inbox, jan, mem)
			require.ErrorContains(t, err, c.want)
			requireFailedRun(t, sink, run, c.want)
		})
	}
	t.Run("a missing period folder", func(t *testing.T) {
		run, err := jobs.RunPeriod(ctx, runner, testLocking(t), inbox, values.NewMonth(2025, 7), mem)
		require.ErrorContains(t, err, "no folder")
		requireFailedRun(t, sink, run, "no folder")
	})
	t.Run("a period another process holds", func(t *testing.T) {
		lk := testLocking(t)
		held, err := lk.Locks.TryLock(jan, jobs.NewHolder("someone-else", "zengshou serve"))
		require.NoError(t, err)
		defer held.Release()
		run, err := jobs.RunPeriod(ctx, runner, lk, inbox, jan, mem)
		require.ErrorAs(t, err, new(*jobs.HeldError))
		requireFailedRun(t, sink, run, "someone-else")
	})
	t.Run("the delivery once fixed runs", func(t *testing.T) {
		run, err := jobs.RunPeriod(ctx, runner, testLocking(t), inbox, jan, mem)
		require.NoError(t, err)
		require.Equal(t, pipeline.StatusPublished, run.Status)
	})
}

// requireFailedRun checks that etl_run records run as failed with an error
// containing want.
func requireFailedRun(t *testing.T, sink *clickhouse.Sink, run *pipeline.Run, want string) {
	t.Helper()
	require.NotNil(t, run)
	require.Equal(t, pipeline.StatusFailed, run.Status)
	var status, msg string
	require.NoError(t, sink.Conn().QueryRow(context.Background(), fmt.Sprintf(
		"SELECT argMax(status, version), argMax(error, version) FROM etl_run WHERE run_id = '%s'", run.ID)).Scan(&status, &msg))
	require.Equal(t, pipeline.StatusFailed, status)
	require.Contains(t, msg, want)
}
