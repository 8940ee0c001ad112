package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/schemas"
)

func TestExitStatus(t *testing.T) {
	inbox := t.TempDir()
	for name, tc := range map[string]struct {
		args []string
		want int
	}{
		"no command":          {nil, exitUsage},
		"unknown command":     {[]string{"frobnicate"}, exitUsage},
		"help":                {[]string{"run", "-h"}, exitOK},
		"unknown flag":        {[]string{"run", "--bogus"}, exitUsage},
		"run without inbox":   {[]string{"run", "--period", "2025-01"}, exitUsage},
		"run with bad period": {[]string{"run", "--inbox", inbox, "--period", "2025-13"}, exitUsage},
		"run without key":     {[]string{"run", "--inbox", inbox, "--period", "2025-01"}, exitUsage},
		"bad config file":     {[]string{"run", "--config", filepath.Join(inbox, "none.yaml")}, exitUsage},
		"bad log level":       {[]string{"generate", "--out", inbox, "--log-level", "loud"}, exitUsage},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ZENGSHOU_HMAC_KEY", "")
			require.Equal(t, tc.want, realMain(tc.args))
		})
	}
}

// TestDemoThenRunKeepNoIdentityInTheWarehouse runs the demo on a small
// province against the test ClickHouse, re-runs one of its months with
// `zengshou run`, and checks that no raw ID number or name reached any table.
func TestDemoThenRunKeepNoIdentityInTheWarehouse(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	dataDir := t.TempDir()
	var code int
	printed := captureStdout(t, func() {
		code = realMain([]string{"demo", "--households", "150", "--data-dir", dataDir, "--clickhouse", dsn})
	})
	require.Equal(t, exitOK, code, printed)
	opts, err := ch.ParseDSN(dsn)
	require.NoError(t, err)
	printed = strings.ReplaceAll(printed, dataDir, "…/.zengshou")
	printed = strings.ReplaceAll(printed, "--database "+opts.Auth.Database, "--database zengshou")
	readmeExcerptIsWhatTheDemoPrints(t, printed)

	inbox := filepath.Join(dataDir, "demo-inbox")
	require.Equal(t, exitOK, realMain([]string{"run", "--inbox", inbox, "--period", "2025-12",
		"--clickhouse", dsn, "--hmac-key-file", filepath.Join(dataDir, "hmac.key"), "--log-level", "error"}))
	require.Equal(t, exitFailed, realMain([]string{"run", "--inbox", inbox, "--period", "2026-01",
		"--clickhouse", dsn, "--hmac-key-file", filepath.Join(dataDir, "hmac.key"), "--log-level", "error"}),
		"a period with no folder fails")

	conn, err := ch.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	ctx := context.Background()

	var periods uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT uniqExact(period) FROM indicator").Scan(&periods))
	require.Equal(t, uint64(24), periods, "the demo spans 2024-01..2025-12")

	// No 18-character ID number in any text column but the pseudonymous keys
	// (hex, which may hold digit runs by chance).
	for _, tbl := range schemas.Tables {
		for _, c := range tbl.Columns {
			if c.Type != "String" || c.Name == "person_key" || c.Name == "household_key" || c.Name == "run_id" {
				continue
			}
			var n uint64
			q := fmt.Sprintf("SELECT count() FROM %s WHERE match(%s, '[0-9]{17}[0-9Xx]')", tbl.Name, c.Name)
			require.NoError(t, conn.QueryRow(ctx, q).Scan(&n), q)
			require.Zero(t, n, "%s.%s holds something shaped like an ID number", tbl.Name, c.Name)
		}
	}
	var names uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM person_month WHERE NOT match(name_masked, '^.\\\\*\\\\*$')").Scan(&names))
	require.Zero(t, names, "every name is masked to its first character")

	_, err = os.Stat(filepath.Join(dataDir, "hmac.key"))
	require.NoError(t, err, "the demo keeps its key in the data directory")
}

// captureStdout returns what fn prints to os.Stdout.
func captureStdout(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	saved := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() { os.Stdout = saved }()
	fn()
	os.Stdout = saved
	require.NoError(t, w.Close())
	return <-done
}

var (
	// numbers differ between the README's 20 000 households and the test's
	// 150 (and ports, timings); they are compared as "#".
	numberRun = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)
	spaceRun  = regexp.MustCompile(`\s+`)
	// findingLine and reasonLine list per-rule and per-reason counts, whose
	// order and presence depend on the province's size.
	findingLine = regexp.MustCompile(`^\s*\[[高中低]\] `)
	reasonLine  = regexp.MustCompile(`^\s+[A-Z_]+\s+[0-9]+$`)
)

func normalizeDemoLine(s string) string {
	// Money is shown in 亿元 or 万元 depending on its size.
	s = strings.NewReplacer("亿元", "元", "万元", "元").Replace(s)
	return strings.TrimSpace(spaceRun.ReplaceAllString(numberRun.ReplaceAllString(s, "#"), " "))
}

// readmeExcerptIsWhatTheDemoPrints: every line of the README's demo excerpt
// but the elisions (…) and the per-rule and per-reason counts is a line the
// demo prints, in the same order, numbers aside.
func readmeExcerptIsWhatTheDemoPrints(t *testing.T, printed string) {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)
	at := strings.Index(readme, "## What `make demo` shows")
	require.GreaterOrEqual(t, at, 0)
	open := strings.Index(readme[at:], "```\n") + at + 4
	end := strings.Index(readme[open:], "```") + open
	var out []string
	for _, l := range strings.Split(printed, "\n") {
		out = append(out, normalizeDemoLine(l))
	}
	i := 0
	for _, l := range strings.Split(strings.TrimRight(readme[open:end], "\n"), "\n") {
		// The demo says how to stop the server only when it started one.
		embeddedOnly := strings.Contains(l, "warehouse down")
		if strings.TrimSpace(l) == "…" || findingLine.MatchString(l) || reasonLine.MatchString(l) || embeddedOnly {
			continue
		}
		want := normalizeDemoLine(l)
		for i < len(out) && out[i] != want {
			i++
		}
		require.Less(t, i, len(out), "README demo line %q is not printed (in this order) by the demo:\n%s", l, printed)
		i++
	}
}
