package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"zengshou/internal/crashpoint"
	"zengshou/internal/testenv"
	"zengshou/schemas"
)

// TestRunByCityThenCombine drives the per-city commands of
// docs/scale-out.md: two parts (赣州市; every other city) written to their
// directories, nothing published by them; a combination lacking a city is
// refused (exit 1, naming it); the combination of both publishes the
// period, its persons those of the two parts.
func TestRunByCityThenCombine(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	inbox, work := t.TempDir(), t.TempDir()
	require.Equal(t, exitOK, realMain([]string{"generate", "--out", inbox, "--households", "120",
		"--from", "2025-01", "--to", "2025-01", "--log-level", "error"}))
	t.Setenv("ZENGSHOU_HMAC_KEY", "cmd-test-key-0123456789abcdef")
	var others []string
	seen := map[string]bool{"360700": true}
	for _, c := range schemas.MustLoadRegions().Counties() {
		if !seen[c.CityCode] {
			seen[c.CityCode] = true
			others = append(others, c.CityCode)
		}
	}
	sort.Strings(others)
	run := func(args ...string) (int, string) {
		t.Helper()
		return stderrOf(t, append([]string{"run", "--period", "2025-01", "--clickhouse", dsn, "--log-level", "warn"}, args...)...)
	}
	ganzhou, rest := filepath.Join(work, "ganzhou"), filepath.Join(work, "rest")
	code, stderr := run("--inbox", inbox, "--cities", "360700")
	require.Equal(t, exitUsage, code)
	require.Equal(t, "zengshou run: --cities and --part-out go together: a per-city part is written to its directory", strings.TrimSpace(stderr))
	code, stderr = run("--inbox", inbox, "--cities", "3607", "--part-out", ganzhou)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "3607 is not a city code")

	code, stderr = run("--inbox", inbox, "--cities", "360700", "--part-out", ganzhou)
	require.Equal(t, exitOK, code, stderr)
	code, stderr = run("--inbox", inbox, "--cities", strings.Join(others, ","), "--part-out", rest)
	require.Equal(t, exitOK, code, stderr)

	opts, err := ch.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := ch.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	ctx := context.Background()
	count := func(q string) uint64 {
		var n uint64
		require.NoError(t, conn.QueryRow(ctx, q).Scan(&n))
		return n
	}
	require.Zero(t, count("SELECT count() FROM etl_run"), "a part publishes nothing")

	code, stderr = run("--combine", ganzhou)
	require.Equal(t, exitFailed, code)
	require.Contains(t, stderr, "no part holds 360100 南昌市")
	code, stderr = run("--combine", ganzhou+","+rest)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, uint64(1), count("SELECT count() FROM etl_run FINAL WHERE status = 'published'"))
	require.NotZero(t, count("SELECT count() FROM person_month WHERE city_code = '360700'"))
	require.Equal(t, count("SELECT sum(a) FROM etl_run FINAL ARRAY JOIN sources AS s, rows_accepted AS a WHERE status = 'published' AND s = 'roster'"),
		count("SELECT count() FROM person_month"), "every accepted roster row is one person_month row")
}

// TestKilledPartsAndCombinationsRecover kills the per-city commands where
// they could leave something half done. A part killed while writing
// leaves no part (its directory appears only when complete): combining
// is refused until it is run again. The combination is an ordinary run:
// killed at each point of its publication, the next connection's recovery
// leaves the old publication or the new one, whole. And the combination of
// two parts publishes exactly what one run of the province publishes
// (every table's rows, run_id and timestamps aside, of the fault scene:
// 300 households with every kind of dirt).
func TestKilledPartsAndCombinationsRecover(t *testing.T) {
	sc := newFaultScene(t, testenv.ClickHouse(t))
	sc.runOK()
	ref := sc.checksums()
	old := sc.publishedRun()

	work := t.TempDir()
	ganzhou, rest := filepath.Join(work, "ganzhou"), filepath.Join(work, "rest")
	var others []string
	seen := map[string]bool{"360700": true}
	for _, c := range schemas.MustLoadRegions().Counties() {
		if !seen[c.CityCode] {
			seen[c.CityCode] = true
			others = append(others, c.CityCode)
		}
	}
	part := func(dir, cities string, env ...string) *child {
		return startChild(t, env, "run", "--inbox", sc.inbox, "--period", "2025-01", "--clickhouse", sc.dsn,
			"--data-dir", sc.dataDir, "--hmac-key-file", sc.key, "--log-level", "warn", "--cities", cities, "--part-out", dir)
	}
	combine := func(env ...string) *child {
		return startChild(t, env, "run", "--period", "2025-01", "--clickhouse", sc.dsn,
			"--data-dir", sc.dataDir, "--hmac-key-file", sc.key, "--log-level", "warn", "--combine", ganzhou+","+rest)
	}
	c := part(rest, strings.Join(others, ","))
	require.Equal(t, exitOK, c.wait(t), c.stderr.String())
	c = part(ganzhou, "360700", crashpoint.Env+"=staged:person_month:exit")
	require.Equal(t, -1, c.wait(t), c.stderr.String())
	_, err := os.Stat(ganzhou)
	require.ErrorIs(t, err, os.ErrNotExist, "a killed part leaves no part")
	c = combine()
	require.Equal(t, exitFailed, c.wait(t))
	require.Contains(t, c.stderr.String(), "is it a finished part?")
	c = part(ganzhou, "360700")
	require.Equal(t, exitOK, c.wait(t), c.stderr.String())
	left, err := filepath.Glob(filepath.Join(work, "*.tmp-*"))
	require.NoError(t, err)
	require.Empty(t, left, "the part run again removed what the killed one left")

	for _, point := range []string{"before-publish", "publishing", "after-swap:person_month", "before-cleanup-wait", "published"} {
		before := sc.allRuns()
		c := combine(crashpoint.Env + "=" + point + ":exit")
		require.Equal(t, -1, c.wait(t), "killed at %s; stderr: %s", point, c.stderr.String())
		crashed := sc.crashedRun(before)
		sc.requireOneRunPerTable(point, old, crashed)
		old = sc.requireRecovered(point, ref, old, crashed)
		t.Logf("combination killed at %-24s → published %s", point, map[bool]string{true: "new", false: "old"}[old == crashed])
	}
	c = combine()
	require.Equal(t, exitOK, c.wait(t), c.stderr.String())
	require.Equal(t, ref, sc.checksums(), "the combined parts publish what one run publishes")
}
