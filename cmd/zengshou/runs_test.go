package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/transforms/values"
)

func TestPrintRunsShowsWhatAnOperatorChecksFirst(t *testing.T) {
	loc, err := jobs.Location()
	require.NoError(t, err)
	started := time.Date(2025, 4, 1, 1, 12, 3, 0, time.UTC)
	finished := started.Add(1400 * time.Millisecond)
	var out bytes.Buffer
	printRuns(&out, []jobs.RunSummary{
		{Job: jobs.JobETLCatchUp, Period: values.NewMonth(2025, 3), Started: started, Finished: &finished,
			Status: "published", RowsIn: 207311, Quarantined: 1966, Missing: []string{"pension", "sales"}},
		{Job: jobs.JobETLMonthly, Period: values.NewMonth(2025, 2), Started: started, Status: "running"},
		{Job: jobs.JobETLMonthly, Period: values.NewMonth(2025, 2), Started: started, Finished: &started, Status: "failed",
			Error: "running period 2025-02:\ndial tcp 127.0.0.1:9000: connect: connection refused"},
	}, loc)
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	require.True(t, strings.HasPrefix(lines[0], "统计期"))
	require.Equal(t, []string{"2025-03", "etl-catchup", "published", "2025-04-01", "09:12:03", "1s", "207311", "1966", "pension,sales"},
		strings.Fields(lines[1]), "Beijing time; rows summed over sources")
	require.Equal(t, []string{"2025-02", "etl-monthly", "running", "2025-04-01", "09:12:03", "-", "0", "0", "-"}, strings.Fields(lines[2]))
	require.True(t, strings.HasSuffix(lines[3], "running period 2025-02: dial tcp 127.0.0.1:9000: connect: connection refused"), "the error on one line")
}

func TestServeAndRunsUsage(t *testing.T) {
	dir := t.TempDir()
	badCron := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(badCron, []byte("inbox: /in\nserve:\n  etl: {schedule: '0 2 5 *'}\n"), 0o644))
	for name, tc := range map[string]struct {
		args []string
		want int
	}{
		"serve help":          {[]string{"serve", "-h"}, exitOK},
		"serve without inbox": {[]string{"serve"}, exitUsage},
		"serve bad cron spec": {[]string{"serve", "--config", badCron}, exitUsage},
		"serve bad listen":    {[]string{"serve", "--inbox", dir, "--listen", "nowhere"}, exitUsage},
		"runs bad limit":      {[]string{"runs", "--limit", "0"}, exitUsage},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ZENGSHOU_HMAC_KEY", "usage-test-key-0123456789")
			require.Equal(t, tc.want, realMain(tc.args))
		})
	}
}

func TestRunsListsTheWarehousesRuns(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	inbox := smallInbox(t, "2025-01", "2025-01")
	t.Setenv("ZENGSHOU_HMAC_KEY", "runs-test-key-0123456789")
	dataDir := t.TempDir()
	require.Equal(t, exitOK, realMain([]string{"run", "--inbox", inbox, "--period", "2025-01", "--clickhouse", dsn, "--data-dir", dataDir, "--log-level", "error"}))
	require.Equal(t, exitOK, realMain([]string{"runs", "--clickhouse", dsn, "--data-dir", dataDir, "--log-level", "error"}))
}
