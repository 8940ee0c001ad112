package jobs

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/transforms/values"
)

func TestCompletePeriodsNeedEverySourceAndQuiet(t *testing.T) {
	inbox := t.TempDir()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	write := func(rel string, age time.Duration) {
		path := filepath.Join(inbox, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte("x"), 0o644))
		require.NoError(t, os.Chtimes(path, now.Add(-age), now.Add(-age)))
	}
	required := []string{"roster", "employment"}
	write("2025-01/roster.csv", time.Hour)
	write("2025-01/employment.csv.gz", 2*time.Hour) // .csv.gz counts
	write("2025-02/roster.csv", time.Hour)          // employment missing
	write("2025-03/roster.csv", time.Hour)
	write("2025-03/employment.csv", time.Minute) // still being written
	write("notes/roster.csv", time.Hour)         // not a period folder
	write("2025-4/roster.csv", time.Hour)        // not the folder form
	write("2025-04/roster.csv", time.Hour)
	write("2025-04/employment.csv", time.Hour)

	got, err := CompletePeriods(inbox, required, 30*time.Minute, now)
	require.NoError(t, err)
	var periods []values.Month
	for _, p := range got {
		periods = append(periods, p.Period)
	}
	require.Equal(t, []values.Month{values.NewMonth(2025, 1), values.NewMonth(2025, 4)}, periods)
	require.True(t, now.Add(-time.Hour).Equal(got[0].Newest), "newest file of January")

	// Once quiet, March is complete too; rewriting a file changes its signature.
	got, err = CompletePeriods(inbox, required, 0, now)
	require.NoError(t, err)
	require.Len(t, got, 3)
	before := got[1].Signature
	write("2025-03/employment.csv", 0)
	got, err = CompletePeriods(inbox, required, 0, now)
	require.NoError(t, err)
	require.NotEqual(t, before, got[1].Signature)
}
