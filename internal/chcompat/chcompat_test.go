package chcompat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestOrderedMeansATopLevelOrderBy(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT a FROM t ORDER BY a":                                 true,
		"SELECT a FROM (SELECT a FROM t ORDER BY a)":                 false,
		"SELECT a FROM t WHERE s = 'ORDER BY' GROUP BY a":            false,
		"SELECT max(a) FROM t GROUP BY b ORDER BY toYear(b) LIMIT 3": true,
		"SELECT a FROM t":          false,
		"SELECT reorder BY FROM t": false,
	} {
		require.Equal(t, want, Ordered(sql), sql)
	}
}

func TestRowsEqualAcrossVersionSpellings(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"k\t0000-00-00\t0000-00-00 00:00:00", "k\t1970-01-01\t1970-01-01 00:00:00", true},
		{"1030491.2500000001", "1030491.25", true},
		{"0.1", "0.2", false},
		{"10", "11", false},
		{"a\tb", "a", false},
		{"2024-01-01", "2024-01-02", false},
	} {
		require.Equal(t, c.same, sameRow(c.a, c.b), "%q vs %q", c.a, c.b)
	}
	require.Contains(t, compare("b\na\n", "a\nb\n", true), "row 1")
	require.Empty(t, compare("b\na\n", "a\nb\n", false), "without a top-level ORDER BY rows are a set")
}

func TestLiteralsOfEveryColumnType(t *testing.T) {
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	at := time.Date(2025, 6, 1, 8, 30, 5, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		typ  string
		v    any
		want string
	}{
		{"String", `it's \ here`, `'it\'s \\ here'`},
		{"Date", day, "'2025-06-01'"},
		{"DateTime", at, "'2025-06-01 00:30:05'"},
		{"Nullable(Date)", nil, "NULL"},
		{"Nullable(Date)", &day, "'2025-06-01'"},
		{"Decimal(18, 2)", decimal.RequireFromString("12.30"), "12.3"},
		{"Array(String)", []string{"a", "b"}, "['a', 'b']"},
		{"UInt8", uint8(1), "1"},
		{"Float64", 0.1, "0.1"},
	} {
		var sb strings.Builder
		require.NoError(t, writeLiteral(&sb, c.typ, c.v), c.typ)
		require.Equal(t, c.want, sb.String(), c.typ)
	}
	var sb strings.Builder
	require.Error(t, writeLiteral(&sb, "Map(String, String)", map[string]string{}), "an unknown Go type is an error, not a guess")
}

func TestDocQueriesRunsQueriesAndListsTheRest(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "docs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "README.md"), []byte("x\n```sql\n-- a; comment\nSELECT 1;\nSELECT ';' AS s\n```\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "docs", "a.md"), []byte("```sql\nWITH 1 AS x SELECT x;\nDROP TABLE t\n```\n```sh\nSELECT 2\n```\n"), 0o644))
	queries, skipped, err := DocQueries(root)
	require.NoError(t, err)
	require.Equal(t, []DocQuery{
		{File: "README.md", Line: 3, SQL: "SELECT 1"},
		{File: "README.md", Line: 3, SQL: "SELECT ';' AS s"},
		{File: "docs/a.md", Line: 2, SQL: "WITH 1 AS x SELECT x"},
	}, queries)
	require.Len(t, skipped, 1)
	require.Equal(t, "docs/a.md:2", skipped[0].Where)
	require.Contains(t, skipped[0].Why, "DROP")
}
