package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// testWarehouse publishes January to April 2025 of a small dirty province
// (plain UTF-8 files, so that the test can read the raw roster) and returns
// the connection and the inbox.
func testWarehouse(t *testing.T) (driver.Conn, string) {
	t.Helper()
	ctx := context.Background()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sink := clickhouse.New(cfg, logger)
	require.NoError(t, sink.Connect(ctx))
	t.Cleanup(func() { sink.Close() })

	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 400, "2025-01", "2025-04"
	scfg.GB18030Share, scfg.GzipShare = 0, 0
	scfg.MissingSources = map[string][]string{"2025-02": {schemas.Pension}}
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	runner := pipeline.NewRunner(sink, config.DefaultParams(), schemas.MustLoadRegions(), []byte("reports-test-key-0123456789"), mem, logger)
	_, err = jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, inbox, values.NewMonth(2025, 1), values.NewMonth(2025, 4), mem)
	require.NoError(t, err)
	return sink.Conn(), inbox
}

// outDir is where the test leaves the reports and screenshots for a person
// to look at: $ZENGSHOU_REPORT_TEST_OUT, else reports/testdata/out.
func outDir(t *testing.T, name string) string {
	base := os.Getenv("ZENGSHOU_REPORT_TEST_OUT")
	if base == "" {
		base = filepath.Join("testdata", "out")
	}
	dir, err := filepath.Abs(filepath.Join(base, name))
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func count(t *testing.T, conn driver.Conn, q string) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(), q).Scan(&n))
	return n
}

// TestReportsOfATestWarehouse builds the April monthly and the first
// quarterly report of a four-month test warehouse and checks every output
// against the warehouse: the workbook, the HTML in headless chromium, the
// privacy of every file, and that building again changes nothing but the
// generation time and keeps one report row per (period, kind).
func TestReportsOfATestWarehouse(t *testing.T) {
	ctx := context.Background()
	conn, inbox := testWarehouse(t)
	chromium := reports.FindChromium()
	require.NotEmpty(t, chromium, "chromium is needed: make deps installs Debian's chromium and fonts-noto-cjk")

	apr := values.NewMonth(2025, 4)
	dir := outDir(t, "reports")
	build := func(kind reports.Kind, m values.Month, at time.Time, pdf string) *reports.Result {
		opts := reports.DefaultOptions()
		opts.Period, opts.Kind, opts.OutDir, opts.PDF = m, kind, dir, pdf
		opts.Now = func() time.Time { return at }
		res, err := reports.Build(ctx, conn, opts)
		require.NoError(t, err)
		return res
	}
	first := time.Date(2025, 5, 5, 1, 2, 3, 0, time.UTC)
	monthly := build(reports.Monthly, apr, first, reports.PDFOn)
	quarterly := build(reports.Quarterly, values.NewMonth(2025, 2), first, reports.PDFOn)
	require.Equal(t, values.NewMonth(2025, 3), quarterly.Period, "a quarterly report is filed under the quarter's last month")
	require.Equal(t, filepath.Join(dir, "quarterly-2025-Q1.html"), quarterly.HTML)
	for _, res := range []*reports.Result{monthly, quarterly} {
		require.Len(t, res.Files, 4, "html, xlsx, summary and pdf")
		for _, f := range res.Files {
			st, err := os.Stat(f)
			require.NoError(t, err)
			require.Positive(t, st.Size(), f)
		}
	}

	t.Run("the quarterly report adds up the quarter's months", func(t *testing.T) {
		var sales float64
		require.NoError(t, conn.QueryRow(ctx, `SELECT value FROM indicator WHERE indicator_code = 'HELP_SALES'
AND region_level = 'province' AND period = toDate('2025-03-01')`).Scan(&sales))
		html := string(readFile(t, quarterly.HTML))
		start := strings.Index(html, `<table id="quarter">`)
		require.Positive(t, start)
		quarter := html[start : start+strings.Index(html[start:], "</table>")]
		require.Equal(t, 4, strings.Count(quarter, "<tr>")-1, "three months and the quarter")
		require.Contains(t, quarter, "<b>"+reports.FormatValue(sales, "元")+"</b>", "Q1 sales are the year to date at March")
		require.Contains(t, quarterly.Summary, "本季度帮扶产品销售"+reports.FormatValue(sales, "元"))
		require.NotContains(t, string(readFile(t, monthly.HTML)), `<table id="quarter">`)
	})
	t.Run("workbook totals equal the indicator table", func(t *testing.T) {
		checkWorkbook(t, conn, monthly.XLSX, apr)
		checkWorkbook(t, conn, quarterly.XLSX, values.NewMonth(2025, 3))
	})
	t.Run("no raw ID number or name in any file", func(t *testing.T) {
		ids, names := rawIdentities(t, inbox)
		require.NotEmpty(t, ids)
		for _, res := range []*reports.Result{monthly, quarterly} {
			for _, f := range res.Files {
				if strings.HasSuffix(f, ".pdf") {
					continue // printed from the HTML, whose text is checked; its text streams are compressed
				}
				text := fileText(t, f)
				for _, id := range ids {
					require.NotContains(t, text, id, "%s holds a raw ID number", f)
				}
				for _, name := range names {
					require.NotContains(t, text, name, "%s holds a raw name", f)
				}
			}
		}
	})
	t.Run("the HTML renders in headless chromium", func(t *testing.T) {
		checkHTML(t, conn, chromium, monthly.HTML, apr, filepath.Join(dir, "monthly-2025-04.png"))
		checkHTML(t, conn, chromium, quarterly.HTML, values.NewMonth(2025, 3), filepath.Join(dir, "quarterly-2025-Q1.png"))
	})
	t.Run("building again gives the same files and one row per report", func(t *testing.T) {
		before := map[string][]byte{}
		for _, f := range monthly.Files[:3] {
			before[f] = readFile(t, f)
		}
		again := build(reports.Monthly, apr, first.Add(26*time.Hour), reports.PDFOff)
		require.Equal(t, monthly.Files[:3], again.Files)
		generated := regexp.MustCompile(`<span id="generated">[^<]*</span>`)
		for f, b := range before {
			after := readFile(t, f)
			if strings.HasSuffix(f, ".html") {
				require.NotEqual(t, b, after, "the generation time changed")
				b, after = generated.ReplaceAll(b, nil), generated.ReplaceAll(after, nil)
			}
			require.True(t, bytes.Equal(b, after), "%s differs between two builds", f)
		}
		require.Equal(t, uint64(1), count(t, conn, `SELECT count() FROM report FINAL WHERE kind = 'monthly' AND period = toDate('2025-04-01')`))
		require.Equal(t, uint64(1), count(t, conn, `SELECT count() FROM report FINAL WHERE kind = 'quarterly' AND period = toDate('2025-03-01')`))
		require.Equal(t, uint64(2), count(t, conn, `SELECT count() FROM report`), "merged: one physical row per report")
		latest, err := reports.Latest(ctx, conn)
		require.NoError(t, err)
		require.Len(t, latest, 2)
		require.Equal(t, reports.Quarterly, latest[0].Kind)
		require.Equal(t, again.Files, latest[1].Files, "the latest build wins")
		require.Equal(t, first.Add(26*time.Hour), latest[1].GeneratedAt.UTC())
		require.Len(t, latest[1].SourceRuns, 4, "one run per month of the year")
		require.Equal(t, monthly.Summary, latest[1].Summary)
	})

	_, err := reports.Build(ctx, conn, reports.Options{Period: values.NewMonth(2024, 12), Kind: reports.Monthly, OutDir: dir, PDF: reports.PDFOff})
	require.ErrorIs(t, err, reports.ErrNotPublished)
}

// checkWorkbook opens the workbook and compares it with the warehouse.
func checkWorkbook(t *testing.T, conn driver.Conn, path string, period values.Month) {
	ctx := context.Background()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, reports.Sheets, f.GetSheetList())
	p := fmt.Sprintf("toDate('%s-01')", period)

	// 目标进度: every province indicator with its value.
	want := map[string]float64{}
	// (The housing and water rates are listed only where some household
	// counts in them.)
	rows, err := conn.Query(ctx, `SELECT indicator_code, value FROM indicator WHERE region_level = 'province' AND period = `+p+
		` AND NOT (indicator_code IN ('HOUSING_SAFE_RATE', 'WATER_SAFE_RATE') AND denominator = 0)`)
	require.NoError(t, err)
	for rows.Next() {
		var code string
		var v float64
		require.NoError(t, rows.Scan(&code, &v))
		want[code] = v
	}
	require.NoError(t, rows.Err())
	rows.Close()
	got := sheetRows(t, f, reports.SheetTargets)
	require.Len(t, got, len(want))
	for _, r := range got {
		v, ok := want[r[0]]
		require.True(t, ok, r[0])
		require.InDelta(t, v, parse(t, r[3]), 1e-6*max(1, v), "%s value", r[0])
	}

	// 市县排名: every city and county, with its income ratio.
	ratios := map[string]float64{}
	rows, err = conn.Query(ctx, `SELECT region_code, value FROM indicator WHERE indicator_code = 'INCOME_RATIO_TO_RURAL'
AND region_level IN ('city', 'county') AND period = `+p)
	require.NoError(t, err)
	for rows.Next() {
		var code string
		var v float64
		require.NoError(t, rows.Scan(&code, &v))
		ratios[code] = v
	}
	require.NoError(t, rows.Err())
	rows.Close()
	ranking := sheetRows(t, f, reports.SheetRanking)
	require.Len(t, ranking, len(ratios))
	for _, r := range ranking {
		require.InDelta(t, ratios[r[2]], parse(t, r[6]), 1e-9, "%s income ratio", r[2])
	}

	// 收入结构: the province's per-capita income is the indicator's.
	structure := sheetRows(t, f, reports.SheetStructure)
	require.Equal(t, "全省脱贫人口", structure[0][0])
	require.InDelta(t, want["PER_CAPITA_NET_INCOME"], parse(t, structure[0][3]), 0.01)
	sum := parse(t, structure[0][4]) + parse(t, structure[0][5]) + parse(t, structure[0][6]) + parse(t, structure[0][7])
	require.InDelta(t, parse(t, structure[0][3]), sum, 0.05, "the four parts add up to the net income")

	// 数据比对台账: exactly the findings of the period.
	ledger := sheetRows(t, f, reports.SheetLedger)
	require.Equal(t, count(t, conn, "SELECT count() FROM discrepancy WHERE period = "+p), uint64(len(ledger)))
	wantFindings := map[string]int{}
	rows, err = conn.Query(ctx, "SELECT county_code, rule_code, detail FROM discrepancy WHERE period = "+p)
	require.NoError(t, err)
	for rows.Next() {
		var c, r, d string
		require.NoError(t, rows.Scan(&c, &r, &d))
		wantFindings[c+"|"+r+"|"+d]++
	}
	require.NoError(t, rows.Err())
	rows.Close()
	masked := regexp.MustCompile(`^\d{6}\*{8}[0-9X]{4}$`)
	for _, r := range ledger {
		wantFindings[r[1]+"|"+r[6]+"|"+r[9]]--
		require.Regexp(t, masked, r[4], "masked ID of %v", r)
		require.NotEmpty(t, r[3], "village code of %v", r)
	}
	for k, n := range wantFindings {
		require.Zero(t, n, "finding %s", k)
	}

	// 一户一策清单: every household below ¥10 000, below the line or
	// without employment, each with a measure.
	actions := sheetRows(t, f, reports.SheetActions)
	require.Equal(t, count(t, conn, `SELECT count() FROM household_year WHERE period = `+p+` AND (below_10k_target = 1 OR below_monitoring_line = 1
OR household_key IN (SELECT household_key FROM discrepancy WHERE period = `+p+` AND rule_code = 'ZERO_EMPLOYMENT_HOUSEHOLD'))`), uint64(len(actions)))
	require.NotEmpty(t, actions)
	for _, r := range actions {
		require.NotEmpty(t, r[16], "a suggested measure for %v", r)
	}
}

// sheetRows returns a sheet's rows below the header with raw values.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.NotEmpty(t, rows, sheet)
	out := rows[1:]
	for len(out) > 0 && strings.Join(out[len(out)-1], "") == "" {
		out = out[:len(out)-1] // the table's padding row of an empty sheet
	}
	return out
}

func parse(t *testing.T, s string) float64 {
	var v float64
	_, err := fmt.Sscan(s, &v)
	require.NoError(t, err, "number %q", s)
	return v
}

func readFile(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// fileText is a file's text; for a workbook, every part unzipped.
func fileText(t *testing.T, path string) string {
	b := readFile(t, path)
	if !strings.HasSuffix(path, ".xlsx") {
		return string(b)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var sb strings.Builder
	for _, zf := range z.File {
		r, err := zf.Open()
		require.NoError(t, err)
		_, err = io.Copy(&sb, r)
		require.NoError(t, err)
		r.Close()
	}
	return sb.String()
}

// rawIdentities reads every 身份证号 and 姓名 of the inbox's rosters.
func rawIdentities(t *testing.T, inbox string) (ids, names []string) {
	files, err := filepath.Glob(filepath.Join(inbox, "*", "roster.csv"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	seenID, seenName := map[string]bool{}, map[string]bool{}
	for _, file := range files {
		b := bytes.TrimPrefix(readFile(t, file), []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		require.NoError(t, err)
		idCol, nameCol := -1, -1
		for i, h := range recs[0] {
			switch strings.TrimSpace(h) {
			case "身份证号":
				idCol = i
			case "姓名":
				nameCol = i
			}
		}
		require.True(t, idCol >= 0 && nameCol >= 0, file)
		for _, rec := range recs[1:] {
			if len(rec) != len(recs[0]) {
				// A ragged row (FIELD_COUNT): its fields are not where the
				// header says, and it is quarantined whole and masked
				// (jobs.TestQuarantineHoldsNoRawIdentity proves that).
				continue
			}
			if idCol < len(rec) {
				if id := strings.TrimSpace(rec[idCol]); len(id) >= 15 && !seenID[id] {
					seenID[id] = true
					ids = append(ids, id)
				}
			}
			if nameCol < len(rec) {
				if n := strings.TrimSpace(rec[nameCol]); len([]rune(n)) >= 2 && !seenName[n] {
					seenName[n] = true
					names = append(names, n)
				}
			}
		}
	}
	return ids, names
}

// checkHTML loads a report in headless chromium: no console errors, every
// chart drawn as a non-empty SVG, the headline figures in the DOM; it
// writes a full-page screenshot to png.
func checkHTML(t *testing.T, conn driver.Conn, chromium, path string, period values.Month, png string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bctx, stop, err := reports.BrowserContext(ctx, chromium)
	require.NoError(t, err)
	defer stop()

	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			if m.Type == chromedp.ConsoleError || m.IsException() {
				problems = append(problems, m.String())
			}
			mu.Unlock()
			if m.Text == "zengshou-test-end" {
				close(done)
				return
			}
		}
	}()
	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.CSS("body[data-charts]"))))

	charts, err := chromedp.Run(bctx, chromedp.Evaluate[[]int](`Array.from(document.querySelectorAll('[data-chart]')).map(
  el => { const s = el.querySelector('svg'); return s ? s.querySelectorAll('path, text, rect').length : 0; })`))
	require.NoError(t, err)
	require.Len(t, charts, 6, "six charts")
	for i, n := range charts {
		require.Greater(t, n, 10, "chart %d is drawn", i)
	}

	var employed float64
	require.NoError(t, conn.QueryRow(context.Background(), fmt.Sprintf(`SELECT value FROM indicator WHERE indicator_code = 'EMPLOYED_PERSONS'
AND region_level = 'province' AND period = toDate('%s-01')`, period)).Scan(&employed))
	shown, err := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS(`tr[data-code="EMPLOYED_PERSONS"] td.v`)))
	require.NoError(t, err)
	require.Equal(t, reports.FormatValue(employed, "人"), strings.TrimSpace(shown))
	title, err := chromedp.Run(bctx, chromedp.Title())
	require.NoError(t, err)
	require.Contains(t, title, "增收监测")
	total, err := chromedp.Run(bctx, chromedp.TextContent(chromedp.ID("findings-total")))
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(count(t, conn, fmt.Sprintf("SELECT count() FROM discrepancy WHERE period = toDate('%s-01')", period))), total)

	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(png, shot, 0o644))
	t.Logf("screenshot of %s: %s", filepath.Base(path), png)

	_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](`console.log('zengshou-test-end'), true`))
	require.NoError(t, err)
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("the console's messages did not arrive")
	}
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, problems, "console errors")
}
