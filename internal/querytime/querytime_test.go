package querytime_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"zengshou/internal/querytime"
	"zengshou/internal/testenv"
)

// TestLabelIsTheFirstLineShortened: the label of a query is its first
// non-empty line with white space collapsed, cut to 80 characters.
func TestLabelIsTheFirstLineShortened(t *testing.T) {
	require.Equal(t, "SELECT a, b FROM t", querytime.Label("\n  SELECT a,   b\tFROM t  \nWHERE x = 1"))
	long := "SELECT " + "县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县县"
	got := []rune(querytime.Label(long))
	require.Len(t, got, 80, "cut to 80 characters, not bytes")
	require.Equal(t, '…', got[79], "an ellipsis marks the cut")
}

// TestTimerRecordsEveryReadWithItsRowsAndCaller: each query sent through
// the wrapped connection — Query read to its end, Query closed early,
// QueryRow, Select — is recorded once, in the order it finished, with its
// label, the function that sent it, the rows read and a time; writes pass
// through unrecorded.
func TestTimerRecordsEveryReadWithItsRowsAndCaller(t *testing.T) {
	opts, err := clickhouse.ParseDSN(testenv.ClickHouse(t))
	require.NoError(t, err)
	raw, err := clickhouse.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	ctx := context.Background()

	var timer querytime.Timer
	conn := timer.Wrap(raw)
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE t (x UInt32) ENGINE = MergeTree ORDER BY x"))
	b, err := conn.PrepareBatch(ctx, "INSERT INTO t (x)")
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, b.Append(uint32(i)))
	}
	require.NoError(t, b.Send())

	rows, err := conn.Query(ctx, "SELECT x\nFROM t ORDER BY x")
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		n++
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.Equal(t, 5, n)

	early, err := conn.Query(ctx, "SELECT number FROM system.numbers LIMIT 1000")
	require.NoError(t, err)
	require.True(t, early.Next())
	require.NoError(t, early.Close())

	var count uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM t").Scan(&count))
	require.Equal(t, uint64(5), count)

	var xs []struct {
		X uint32 `ch:"x"`
	}
	require.NoError(t, conn.Select(ctx, &xs, "SELECT x FROM t WHERE x < 3"))

	_, err = conn.Query(ctx, "SELECT no_such_column FROM t")
	require.Error(t, err)

	got := timer.Queries()
	labels := make([]string, len(got))
	for i, q := range got {
		labels[i] = q.Query
		require.Equal(t, "internal/querytime_test.TestTimerRecordsEveryReadWithItsRowsAndCaller", q.Caller)
		require.Positive(t, q.Ms, "%s has a time", q.Query)
	}
	require.Equal(t, []string{"SELECT x", "SELECT number FROM system.numbers LIMIT 1000", "SELECT count() FROM t",
		"SELECT x FROM t WHERE x < 3", "SELECT no_such_column FROM t"}, labels, "only reads, once each, in order")
	for i, rows := range []int{5, 1, 1, 3, 0} {
		require.Equal(t, rows, got[i].Rows, "rows read by %s", labels[i])
	}

	file := filepath.Join(t.TempDir(), "times.json")
	require.NoError(t, querytime.WriteFile(file, got))
	back, err := querytime.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, got, back, "the file holds the record")
}
