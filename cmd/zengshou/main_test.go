package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/dashboards"
	"zengshou/internal/deptdb"
	"zengshou/internal/querytime"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

func TestExitStatus(t *testing.T) {
	inbox := t.TempDir()
	for name, tc := range map[string]struct {
		args []string
		want int
	}{
		"no command":            {nil, exitUsage},
		"unknown command":       {[]string{"frobnicate"}, exitUsage},
		"help":                  {[]string{"run", "-h"}, exitOK},
		"unknown flag":          {[]string{"run", "--bogus"}, exitUsage},
		"run without inbox":     {[]string{"run", "--period", "2025-01"}, exitUsage},
		"run with bad period":   {[]string{"run", "--inbox", inbox, "--period", "2025-13"}, exitUsage},
		"run without key":       {[]string{"run", "--inbox", inbox, "--period", "2025-01"}, exitUsage},
		"bad config file":       {[]string{"run", "--config", filepath.Join(inbox, "none.yaml")}, exitUsage},
		"bad log level":         {[]string{"generate", "--out", inbox, "--log-level", "loud"}, exitUsage},
		"dashboards":            {[]string{"dashboards", "--out", filepath.Join(inbox, "dashboards")}, exitOK},
		"dashboards extra arg":  {[]string{"dashboards", "x"}, exitUsage},
		"query times unchecked": {[]string{"dashboards", "--query-times", filepath.Join(inbox, "t.json")}, exitUsage},
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
	require.Equal(t, exitFailed, realMain([]string{"run", "--inbox", inbox, "--period", "2023-06",
		"--clickhouse", dsn, "--hmac-key-file", filepath.Join(dataDir, "hmac.key"), "--log-level", "error"}),
		"a period with no folder fails")

	// The query times of a dashboard check and of a report build (the
	// bench reads them): one entry per panel query, and every read of the
	// report with the function that sent it.
	times := filepath.Join(dataDir, "panels.json")
	captureStdout(t, func() {
		code = realMain([]string{"dashboards", "--check", "--clickhouse", dsn, "--query-times", times})
	})
	require.Equal(t, exitOK, code)
	panels, err := querytime.ReadFile(times)
	require.NoError(t, err)
	require.Len(t, panels, len(dashboards.Queries()))
	require.Contains(t, panels[0].Query, " / ", "labelled dashboard / panel")
	times = filepath.Join(dataDir, "report.json")
	captureStdout(t, func() {
		code = realMain([]string{"report", "--period", "2025-12", "--kind", "quarterly", "--out", filepath.Join(dataDir, "q"),
			"--pdf", "off", "--clickhouse", dsn, "--log-level", "error", "--query-times", times})
	})
	require.Equal(t, exitOK, code)
	reads, err := querytime.ReadFile(times)
	require.NoError(t, err)
	require.NotEmpty(t, reads)
	callers := map[string]bool{}
	for _, q := range reads {
		callers[q.Caller] = true
	}
	require.True(t, callers["reports.(*loader).loadLedger"], "the report's reads name their function: %v", callers)

	conn, err := ch.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	ctx := context.Background()

	var periods uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT uniqExact(period) FROM indicator").Scan(&periods))
	require.Equal(t, uint64(24), periods, "the demo spans 2024-01..2025-12")

	// The demo's province delivers every department, the optional housing,
	// water and collective too: every month's run read them and missed
	// none, both of their indicators count households in every month, and
	// the headlines show them.
	var published, lacking uint64
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(),
  countIf(NOT (has(sources, 'housing') AND has(sources, 'water') AND has(sources, 'collective')) OR length(missing_sources) > 0)
FROM etl_run WHERE status = 'published'`).Scan(&published, &lacking))
	require.GreaterOrEqual(t, published, uint64(24))
	require.Zero(t, lacking, "a published run of the demo lacked a department")
	for code, title := range map[string]string{"HOUSING_SAFE_RATE": "农村住房安全保障率", "WATER_SAFE_RATE": "农村饮水安全达标率"} {
		var counted uint64
		require.NoError(t, conn.QueryRow(ctx, fmt.Sprintf(`SELECT uniqExactIf(period, denominator > 0) FROM indicator
WHERE indicator_code = '%s' AND region_level = 'province'`, code)).Scan(&counted))
		require.Equal(t, uint64(24), counted, "%s has households in its denominator every month", code)
		require.Contains(t, printed, "   "+title+" ", "the demo prints the headline %s", code)
	}
	// Their rules find someone in some month. COLLECTIVE_SHARE_MISSING
	// needs a village paying dividends to some of its households and not
	// to another: 150 households are about one a village, so it finds no
	// one here (535 households in the full demo's December); the village
	// collective's distributions are read all the same.
	for _, rule := range []string{"HOUSING_UNSAFE_NOT_PLANNED", "HOUSING_RENOVATION_STALLED", "WATER_UNSAFE", "SEASONAL_WATER_SHORTAGE"} {
		var n uint64
		require.NoError(t, conn.QueryRow(ctx, fmt.Sprintf("SELECT count() FROM discrepancy WHERE rule_code = '%s'", rule)).Scan(&n))
		require.Positive(t, n, "the demo's province has %s findings", rule)
	}
	var distributions uint64
	require.NoError(t, conn.QueryRow(ctx, `SELECT sum(arraySum(arrayFilter((n, s) -> s = 'collective', rows_accepted, sources)))
FROM etl_run WHERE status = 'published'`).Scan(&distributions))
	require.Positive(t, distributions, "the village collective's distributions are accepted")

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

// stderrOf runs realMain with args and returns its exit status and what it
// wrote to stderr.
func stderrOf(t *testing.T, args ...string) (int, string) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stderr
	os.Stderr = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	code := realMain(args)
	os.Stderr = old
	require.NoError(t, w.Close())
	return code, string(<-done)
}

// TestSettingsAreRefusedBeforeAnyIO: a bad setting or flag is a usage error
// (exit 2) said once, in one line, before anything is read or started: the
// data directory, where the embedded warehouse would start, stays empty.
func TestSettingsAreRefusedBeforeAnyIO(t *testing.T) {
	inbox := t.TempDir()
	for name, tc := range map[string]struct {
		key, message string
		args         []string
	}{
		"short key in the environment": {"short", "ZENGSHOU_HMAC_KEY: key shorter than 16 bytes",
			[]string{"--period", "2025-01"}},
		"--to before --period": {"a-key-long-enough-0123456789", "--to 2025-01 is before --period 2025-03",
			[]string{"--to", "2025-01", "--period", "2025-03"}},
		"an unknown flag": {"a-key-long-enough-0123456789", "flag provided but not defined: -bogus",
			[]string{"--bogus"}},
		"a year without reference parameters": {"a-key-long-enough-0123456789", "looking up reference parameters: params.years has no year 2031",
			[]string{"--period", "2031-01"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ZENGSHOU_HMAC_KEY", tc.key)
			dataDir := t.TempDir()
			code, stderr := stderrOf(t, append([]string{"run", "--inbox", inbox, "--data-dir", dataDir}, tc.args...)...)
			require.Equal(t, exitUsage, code, stderr)
			require.Equal(t, "zengshou run: "+tc.message, strings.TrimSuffix(stderr, "\n"), "one line, said once")
			entries, err := os.ReadDir(dataDir)
			require.NoError(t, err)
			require.Empty(t, entries, "nothing was started or written")
		})
	}
}

// TestRunRefusalsAndErrorsAreOneLine drives `zengshou run` against the test
// ClickHouse: a run under another key is refused with exit 2; a partial
// delivery over a full publication fails with exit 1 naming the sources it
// lacks, and --allow-missing publishes it; a broken extract fails with one
// line that names the file once.
func TestRunRefusalsAndErrorsAreOneLine(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	inbox := t.TempDir()
	cfg := synth.Clean()
	cfg.Households, cfg.From, cfg.To = 100, "2025-01", "2025-02"
	_, err := synth.Generate(context.Background(), cfg, inbox)
	require.NoError(t, err)
	run := func(t *testing.T, key, inbox string, extra ...string) (int, string) {
		t.Helper()
		t.Setenv("ZENGSHOU_HMAC_KEY", key)
		code, stderr := stderrOf(t, append([]string{"run", "--inbox", inbox, "--period", "2025-01",
			"--clickhouse", dsn, "--log-level", "warn"}, extra...)...)
		return code, strings.TrimSuffix(stderr, "\n")
	}
	const key = "the-warehouse-key-0123456789"
	code, stderr := run(t, key, inbox, "--to", "2025-02")
	require.Equal(t, exitOK, code, stderr)

	t.Run("another key", func(t *testing.T) {
		code, stderr := run(t, "another-key-0123456789abcdef", inbox)
		require.Equal(t, exitUsage, code)
		require.NotContains(t, stderr, "\n", "one line")
		require.Contains(t, stderr, "the pseudonymisation key is not the warehouse's")
		require.NotContains(t, stderr, "another-key")
	})

	partial := t.TempDir()
	require.NoError(t, os.CopyFS(partial, os.DirFS(inbox)))
	for _, src := range schemas.AwaitedSources() { // the sources the generator writes by default
		if src != schemas.Roster {
			require.NoError(t, os.Remove(filepath.Join(partial, "2025-01", src+".csv")))
		}
	}
	t.Run("partial delivery", func(t *testing.T) {
		code, stderr := run(t, key, partial)
		require.Equal(t, exitFailed, code)
		require.NotContains(t, stderr, "\n", "one line")
		require.Contains(t, stderr, "lacking household_income, education, medical, civil, employment, pension, sales")
		require.Contains(t, stderr, "--allow-missing")
		code, stderr = run(t, key, partial, "--allow-missing", "--no-cascade")
		require.Equal(t, exitOK, code, stderr)
	})

	t.Run("broken extract", func(t *testing.T) {
		broken := t.TempDir()
		require.NoError(t, os.CopyFS(broken, os.DirFS(inbox)))
		require.NoError(t, os.WriteFile(filepath.Join(broken, "2025-01", "pension.csv"), []byte("身份证号\n"), 0o644))
		t.Setenv("ZENGSHOU_LOG_LEVEL", "info")
		code, stderr := run(t, key, broken, "--log-level", "info")
		require.Equal(t, exitFailed, code)
		lines := strings.Split(stderr, "\n")
		last := lines[len(lines)-1]
		require.Equal(t, "zengshou run: running period 2025-01: reading 2025-01/pension.csv: missing required columns 发放年月 (pay_month), 养老金金额 (amount)", last)
		require.Equal(t, 1, strings.Count(stderr, "missing required columns"), "the error is printed once, not logged too:\n%s", stderr)
	})
}

// TestGenerateWritesWorkbooks: --xlsx-share 1 writes every extract as .xlsx.
func TestGenerateWritesWorkbooks(t *testing.T) {
	out := t.TempDir()
	require.Equal(t, exitOK, realMain([]string{"generate", "--out", out, "--households", "30",
		"--from", "2025-03", "--to", "2025-03", "--xlsx-share", "1", "--log-level", "error"}))
	files, err := filepath.Glob(filepath.Join(out, "2025-03", "*"))
	require.NoError(t, err)
	require.Len(t, files, 8, "the eight sources; the extra departments are off by default")
	for _, f := range files {
		require.Equal(t, ".xlsx", filepath.Ext(f), f)
	}
	require.Equal(t, exitUsage, realMain([]string{"generate", "--out", out, "--xlsx-share", "2"}), "a share above 1")
}

// TestGenerateWritesTheDepartmentsOnRequest: --departments adds the extra
// departments' extracts (also with --clean); an unknown name is a usage
// error.
func TestGenerateWritesTheDepartmentsOnRequest(t *testing.T) {
	for _, tc := range []struct {
		flag string
		want []string
	}{
		{"all", []string{"collective", "housing", "water"}},
		{"water, housing", []string{"housing", "water"}},
		{"none", nil},
	} {
		out := t.TempDir()
		require.Equal(t, exitOK, realMain([]string{"generate", "--out", out, "--households", "30", "--clean",
			"--from", "2025-03", "--to", "2025-03", "--departments", tc.flag, "--log-level", "error"}), tc.flag)
		files, err := filepath.Glob(filepath.Join(out, "2025-03", "*.csv"))
		require.NoError(t, err)
		var extra []string
		for _, f := range files {
			if name := strings.TrimSuffix(filepath.Base(f), ".csv"); slices.Contains(synth.Departments, name) {
				extra = append(extra, name)
			}
		}
		require.Equal(t, tc.want, extra, tc.flag)
		require.Len(t, files, 8+len(tc.want), tc.flag)
	}
	require.Equal(t, exitUsage, realMain([]string{"generate", "--out", t.TempDir(), "--departments", "tax"}))
}

// TestRunReadsDepartmentDatabases: a config file's `sources:` replace two
// inbox files by PostgreSQL tables; the run publishes from both.
func TestRunReadsDepartmentDatabases(t *testing.T) {
	dsn, pg := testenv.ClickHouse(t), testenv.Postgres(t)
	inbox := t.TempDir()
	require.Equal(t, exitOK, realMain([]string{"generate", "--out", inbox, "--households", "40",
		"--from", "2025-01", "--to", "2025-01", "--clean", "--log-level", "error"}))
	sources, err := deptdb.Load(context.Background(), config.KindPostgres, pg, inbox, []values.Month{values.NewMonth(2025, 1)})
	require.NoError(t, err)
	var yml strings.Builder
	yml.WriteString("sources:\n")
	for _, s := range sources {
		if s.Source != schemas.Civil && s.Source != schemas.Employment {
			continue
		}
		require.NoError(t, os.Remove(filepath.Join(inbox, "2025-01", s.Source+".csv")))
		fmt.Fprintf(&yml, "  - source: %s\n    kind: postgres\n    dsn: %s\n    password_env: ZS_TEST_PG_PASSWORD\n    table: %s\n    period_column: %s\n    period_form: %s\n    order_by: [xh]\n    columns:\n",
			s.Source, s.DSN, s.Table, s.PeriodColumn, s.PeriodForm)
		for db, logical := range s.Columns {
			fmt.Fprintf(&yml, "      %s: %s\n", db, logical)
		}
	}
	cfgFile := filepath.Join(t.TempDir(), "zengshou.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte(yml.String()), 0o644))
	t.Setenv("ZS_TEST_PG_PASSWORD", "unused-under-trust")
	t.Setenv("ZENGSHOU_HMAC_KEY", "cmd-test-key-0123456789abcdef")
	require.Equal(t, exitOK, realMain([]string{"run", "--config", cfgFile, "--inbox", inbox, "--period", "2025-01",
		"--clickhouse", dsn, "--log-level", "error"}))

	opts, err := ch.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := ch.Open(opts)
	require.NoError(t, err)
	defer conn.Close()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT count() FROM etl_run FINAL WHERE status = 'published'").Scan(&n))
	require.Equal(t, uint64(1), n)
}

// TestCheckListsEveryProblem: check reads a period's deliveries without a
// warehouse, exits 0 on a clean delivery and 1 listing each problem.
func TestCheckListsEveryProblem(t *testing.T) {
	inbox := t.TempDir()
	require.Equal(t, exitOK, realMain([]string{"generate", "--out", inbox, "--households", "200",
		"--from", "2025-01", "--to", "2025-02", "--clean", "--log-level", "error"}))
	require.Equal(t, exitOK, realMain([]string{"check", "--inbox", inbox, "--period", "2025-02"}))

	dir := filepath.Join(inbox, "2025-02")
	b, err := os.ReadFile(filepath.Join(dir, "employment.csv"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "employment.csv"), b[:len(b)/3], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pension.csv"), []byte("身份证号,发放年月\n"), 0o644))
	require.Equal(t, exitFailed, realMain([]string{"check", "--inbox", inbox, "--period", "2025-02"}))

	d := jobs.Deliveries{Inbox: inbox}
	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	rep := d.Check(context.Background(), values.NewMonth(2025, 2), regions, 0.5, memory.NewGoAllocator())
	require.Len(t, rep.Problems, 2, "%v", rep.Problems)
	require.Contains(t, rep.Problems[0], "2025-02/employment.csv: ")
	require.Contains(t, rep.Problems[0], "in 2025-01 (-6")
	require.Contains(t, rep.Problems[1], "reading 2025-02/pension.csv: missing required column 养老金金额 (amount)")
	for _, cs := range rep.Sources {
		if cs.Source == schemas.Employment {
			require.Equal(t, int64(1), cs.Reasons["FIELD_COUNT"], "the row cut off mid-way has fewer fields than the header")
		}
	}
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
		// The demo names the read-only account and says how to stop the
		// server only when it started one.
		embeddedOnly := strings.Contains(l, "warehouse down") || strings.Contains(l, "analyst.password")
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

func TestParseBytesReadsSizesWithUnits(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "1500MiB": 1500 << 20, "512KiB": 512 << 10, "1GB": 1e9, "1000": 1000, "0": 0} {
		got, err := parseBytes(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "two GiB", "-1MiB", "1.5GiB"} {
		_, err := parseBytes(bad)
		require.Error(t, err, bad)
	}
}
