package clickhouse

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRevivableParts: an inactive part a restart could bring back is one no
// active part covers — a part REPLACE PARTITION replaced (the new parts
// have new block numbers), and the sources it had been merged from, which a
// restart revives once the merged part's files are gone. The sources of a
// merge into an active part are dropped at start-up.
func TestRevivableParts(t *testing.T) {
	parts := []part{
		{name: "202506_1_1_0", min: 1, max: 1},               // merged into 1_2_1
		{name: "202506_2_2_0", min: 2, max: 2},               // merged into 1_2_1
		{name: "202506_1_2_1", min: 1, max: 2},               // replaced by 5_5_0
		{name: "202506_3_3_0", min: 3, max: 3},               // replaced by 5_5_0
		{name: "202506_5_5_0", min: 5, max: 5, active: true}, // the new publication
		{name: "202506_6_6_0", min: 6, max: 6},               // merged into 6_7_1
		{name: "202506_6_7_1", min: 6, max: 7, active: true}, // a merge after the swap
	}
	require.Equal(t, []string{"202506_1_1_0", "202506_2_2_0", "202506_1_2_1", "202506_3_3_0"}, revivable(parts))
	require.Empty(t, revivable(parts[4:]), "the sources of a merge into an active part are not revived")
}
