package embedded

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// A server killed in the middle of a REPLACE PARTITION leaves
// tmp_replace_from_* in the table; 18.16 keeps it for a day and the next
// REPLACE of the same part fails. Starting the embedded server removes every
// tmp_* directory of every table first, and nothing else.
func TestTemporaryPartsOfAKilledServerAreRemovedBeforeStart(t *testing.T) {
	l := layout{dir: t.TempDir()}
	table := filepath.Join(l.dir, "data", "data", "zengshou", "household_year")
	keep := []string{"202501_1_1_0", "202412_3_3_0", "detached", "format_version.txt"}
	drop := []string{"tmp_replace_from_202501_2_2_0", "tmp_insert_202501_4_4_0", "tmp_merge_202412_1_3_1"}
	for _, d := range append(append([]string{}, keep...), drop...) {
		require.NoError(t, os.MkdirAll(filepath.Join(table, d), 0o750))
		require.NoError(t, os.WriteFile(filepath.Join(table, d, "checksums.txt"), []byte("x"), 0o640))
	}

	require.NoError(t, removeTemporaryParts(l, slog.New(slog.DiscardHandler)))

	entries, err := os.ReadDir(table)
	require.NoError(t, err)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	require.ElementsMatch(t, keep, left)
}

func TestNoTablesNoTemporaryParts(t *testing.T) {
	require.NoError(t, removeTemporaryParts(layout{dir: t.TempDir()}, slog.New(slog.DiscardHandler)))
}
