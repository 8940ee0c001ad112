package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/values"
)

// identities are what must never be readable outside the inbox: every ID
// number the inbox holds, in every form it was delivered in, and every
// name on its rosters.
type identities struct {
	// cores are characters 7–17 of every ID number (normalised: 18
	// characters, ASCII digits, upper-case X): the part a masked ID number
	// hides (its first 6 and last 4 are shown), so no stored text may hold
	// it in any form.
	cores map[string]bool
	// raws are the ID-shaped runs (15 or 18 characters after turning
	// full-width digits into ASCII and x into X) exactly as delivered,
	// valid or not.
	raws map[string]bool
	// names are the roster names of two characters or more.
	names map[string]bool
	// forms counts the delivered ID values by how they differ from the
	// normalised form (what dirt the inbox had).
	forms map[string]int
}

// idText maps full-width digits to ASCII and x to X, rune by rune.
func idText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + r - '０'
		case r == 'x' || r == 'ｘ' || r == 'Ｘ':
			return 'X'
		}
		return r
	}, s)
}

// idRuns are the maximal runs of digits and X in s (after idText).
func idRuns(s string) []string {
	var out []string
	start := -1
	s = idText(s)
	for i := 0; i <= len(s); i++ {
		if i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == 'X') {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}

// collectIdentities reads every extract of every period of the inbox (CSV
// and XLSX, every encoding, as the pipeline reads them) and gathers every
// ID-shaped value of every column, and the roster names.
func collectIdentities(t *testing.T, inbox string) identities {
	t.Helper()
	ids := identities{cores: map[string]bool{}, raws: map[string]bool{}, names: map[string]bool{}, forms: map[string]int{}}
	entries, err := os.ReadDir(inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	for _, e := range entries {
		period, err := values.ParseMonth(e.Name())
		if !e.IsDir() || err != nil {
			continue
		}
		extracts, err := jobs.InboxExtracts(inbox, period, mem)
		require.NoError(t, err)
		for _, ex := range extracts {
			idCol, nameCol := -1, -1
			for i, c := range ex.Contract.Columns {
				if c.Kind == schemas.IDNumber {
					idCol = i
				}
				if ex.Contract.Name == schemas.Roster && c.Name == "name" {
					nameCol = i
				}
			}
			_, err := ex.Source.Read(t.Context(), func(rec arrow.RecordBatch) error {
				for c := 0; c < int(rec.NumCols()); c++ {
					col, ok := rec.Column(c).(*array.String)
					if !ok {
						continue
					}
					for i := 0; i < col.Len(); i++ {
						v := col.Value(i)
						for _, run := range idRuns(v) {
							if len(run) == 15 || len(run) == 18 {
								ids.raws[run] = true
							}
							if len(run) == 18 {
								ids.cores[run[6:17]] = true
							}
						}
						if c == idCol {
							if id, err := idnum.Normalize(v); err == nil {
								ids.cores[id[6:17]] = true
								ids.forms[idForm(v, id)]++
							} else {
								ids.forms["invalid"]++
							}
						}
						if c == nameCol {
							if name := strings.TrimSpace(v); utf8.RuneCountInString(name) >= 2 && isHan(name) {
								ids.names[name] = true
							}
						}
					}
				}
				return nil
			})
			require.NoError(t, err, ex.Source.Name())
		}
	}
	return ids
}

// idForm names how a delivered ID number differs from its normalised form.
// The readers trim every field, so one delivered with surrounding spaces
// arrives as is (its characters are the normalised ones all the same).
func idForm(raw, id string) string {
	switch {
	case raw == id:
		return "as is"
	case len(strings.TrimSpace(raw)) == 15:
		return "15-digit"
	case strings.HasPrefix(raw, "'"):
		return "apostrophe"
	case strings.ContainsAny(raw, "０１２３４５６７８９"):
		return "full-width"
	case strings.HasSuffix(raw, "x"):
		return "lower-case x"
	}
	return "other"
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// leaks returns what of ids a text holds: ID cores and raw forms, names.
func (ids identities) leaks(text string) []string {
	var out []string
	for _, run := range idRuns(text) {
		for i := 0; i+11 <= len(run); i++ {
			if ids.cores[run[i:i+11]] {
				out = append(out, "ID digits "+run[i:i+11]+" in "+run)
			}
		}
		for _, n := range []int{15, 18} {
			for i := 0; i+n <= len(run); i++ {
				if ids.raws[run[i:i+n]] {
					out = append(out, "ID "+run[i:i+n])
				}
			}
		}
	}
	runes := []rune(text)
	for i := range runes {
		if !unicode.Is(unicode.Han, runes[i]) {
			continue
		}
		for n := 2; n <= 4 && i+n <= len(runes); n++ {
			if w := string(runes[i : i+n]); ids.names[w] {
				out = append(out, "name "+w)
			}
		}
	}
	return out
}

// scanned counts what the privacy test looked at and what it found.
type scanned struct {
	ids identities
	// secrets must not appear either: the HMAC key, a DSN's password.
	secrets map[string]string
	t       *testing.T
	counts  map[string]int // texts scanned, by kind
	hits    []string
}

func (s *scanned) scan(kind, where, text string) {
	s.counts[kind]++
	hits := s.ids.leaks(text)
	for what, secret := range s.secrets {
		if strings.Contains(text, secret) {
			hits = append(hits, what)
		}
	}
	for _, hit := range hits {
		if len(s.hits) < 40 {
			context := text
			if len(context) > 300 {
				context = context[:300] + "…"
			}
			s.hits = append(s.hits, fmt.Sprintf("%s %s: %s (in %q)", kind, where, hit, context))
		}
	}
}

// scanWarehouse scans every value of every String, Nullable(String) and
// Array(String) column of every table of the database.
func (s *scanned) scanWarehouse(sc *faultScene) {
	s.t.Helper()
	for _, tc := range sc.query(`SELECT concat(table, '.', name, ' ', type) FROM system.columns
WHERE database = currentDatabase() AND type LIKE '%String%' ORDER BY table, name`) {
		col, typ, _ := strings.Cut(tc, " ")
		table, name, _ := strings.Cut(col, ".")
		expr := fmt.Sprintf("toString(`%s`)", name)
		from := "`" + table + "`"
		switch {
		case strings.HasPrefix(typ, "Array("):
			expr, from = "toString(x)", fmt.Sprintf("(SELECT arrayJoin(`%s`) AS x FROM `%s`)", name, table)
		case strings.HasPrefix(typ, "Nullable("):
			expr = fmt.Sprintf("ifNull(toString(`%s`), '')", name)
		}
		vals := sc.query(fmt.Sprintf("SELECT DISTINCT %s AS v FROM %s", expr, from))
		s.counts["warehouse column"]++
		for _, v := range vals {
			s.scan("warehouse", col, v)
		}
	}
}

// scanFiles scans every report and dashboard file under dir: HTML,
// Markdown, CSV, text and JSON as they are, workbooks by their XML parts,
// PDFs by the text pdftotext extracts.
func (s *scanned) scanFiles(dir string) {
	s.t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch ext := strings.ToLower(filepath.Ext(path)); ext {
		case ".html", ".md", ".csv", ".txt", ".json":
			b, err := os.ReadFile(path)
			require.NoError(s.t, err)
			s.scan(ext[1:]+" file", rel, string(b))
		case ".xlsx":
			zr, err := zip.OpenReader(path)
			require.NoError(s.t, err)
			var all strings.Builder
			for _, f := range zr.File {
				rc, err := f.Open()
				require.NoError(s.t, err)
				b, err := io.ReadAll(rc)
				require.NoError(s.t, err)
				rc.Close()
				all.Write(b)
				all.WriteString("\n")
			}
			zr.Close()
			s.scan("xlsx file", rel, all.String())
		case ".pdf":
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
			require.NoError(s.t, err, "pdftotext %s (apt-get install poppler-utils; make deps)", path)
			require.NotEmpty(s.t, bytes.TrimSpace(out), "the PDF has text")
			s.scan("pdf file", rel, string(out))
		}
		return nil
	})
	require.NoError(s.t, err)
}

// TestAFullDemoRunLeaksNoIdentity runs what a user runs, as child
// processes: `zengshou demo` (a province with every dirty form of
// inputs.md: ID numbers with spaces, full-width digits, a lower-case x, 15
// digits, an apostrophe, invalid ones, ragged rows, Excel workbooks; 24
// months, the December and Q4 reports with their PDFs, the dashboards),
// then a re-run of a month at debug level, then the daemon (`zengshou
// serve`, JSON logs at debug level) catching up three months into another
// database while its /metrics is scraped. It collects every ID number the
// inbox delivered, in every form, and every roster name, and scans for
// them: every String value of every table of both databases, every line
// the processes wrote (text and JSON logs, the printed output), the
// /metrics page, every report file (HTML, workbook, summary, the PDFs'
// text) and every dashboard JSON. Zero hits. The HMAC key is in none of
// them either, nor is the analyst's password a command was given in a DSN.
func TestAFullDemoRunLeaksNoIdentity(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil && os.Getenv("CI") == "" {
		t.Logf("pdftotext missing (apt-get install poppler-utils): the PDF reports are not scanned")
	}
	dsn := testenv.ClickHouse(t)
	sc := &faultScene{t: t, dsn: dsn, dataDir: t.TempDir()}
	sc.connect()
	dataDir := sc.dataDir
	var logs []*child

	start := time.Now()
	demo := startChild(t, nil, "demo", "--households", "120", "--data-dir", dataDir, "--clickhouse", dsn, "--log-level", "debug")
	require.Equal(t, exitOK, demo.waitWithin(t, 6*time.Minute), "stderr: %s", demo.stderr.String())
	logs = append(logs, demo)
	t.Logf("demo: %s", time.Since(start).Round(time.Second))
	inbox := filepath.Join(dataDir, "demo-inbox")
	keyFile := filepath.Join(dataDir, "hmac.key")

	rerun := startChild(t, nil, "run", "--inbox", inbox, "--period", "2025-12", "--clickhouse", dsn,
		"--data-dir", dataDir, "--hmac-key-file", keyFile, "--log-level", "debug")
	require.Equal(t, exitOK, rerun.wait(t), "stderr: %s", rerun.stderr.String())
	logs = append(logs, rerun)

	// The analyst account cannot run the pipeline; whatever it says, the
	// password given in its DSN is not in it.
	analyst := testenv.Analyst(t, dsn)
	password := analystPassword(t, analyst)
	refused := startChild(t, nil, "runs", "--clickhouse", analyst, "--data-dir", dataDir, "--log-level", "debug")
	refused.wait(t)
	logs = append(logs, refused)

	daemonDSN := testenv.ClickHouse(t)
	listen := freeAddr(t)
	cfg := filepath.Join(t.TempDir(), "serve.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(`clickhouse: %s
data_dir: %s
inbox: %s
hmac_key_file: %s
log_level: debug
serve:
  listen: %s
  log_format: json
  etl: {enabled: true, schedule: "0 2 5 * *", watch: {enabled: false, quiet: 0s}}
  monthly_report: {enabled: false}
  quarterly_report: {enabled: false}
  catch_up: {enabled: true, limit: 3}
  retry: {attempts: 2, initial: 50ms, max: 200ms, jitter: 0.2}
  lock_wait: 0s
`, daemonDSN, filepath.Join(dataDir, "daemon"), inbox, keyFile, listen)), 0o600))
	daemon := startChild(t, nil, "serve", "--config", cfg)
	metrics := ""
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(metrics, `zengshou_job_runs_total{job_name="etl-catchup",status="published"} 3`) {
		require.True(t, time.Now().Before(deadline), "the daemon's catch-up did not publish three months; stderr: %s", daemon.stderr.String())
		select {
		case <-daemon.done:
			t.Fatalf("serve exited %d; stderr: %s", daemon.code, daemon.stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
		if resp, err := http.Get("http://" + listen + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			metrics = string(b)
		}
	}
	require.NoError(t, daemon.cmd.Process.Signal(os.Interrupt))
	require.Equal(t, exitOK, daemon.wait(t), "stderr: %s", daemon.stderr.String())
	logs = append(logs, daemon)

	ids := collectIdentities(t, inbox)
	t.Logf("the inbox: %d ID cores, %d ID forms as delivered, %d names; ID values by form: %v", len(ids.cores), len(ids.raws), len(ids.names), ids.forms)
	for _, form := range []string{"full-width", "lower-case x", "15-digit", "apostrophe", "invalid"} {
		require.Positive(t, ids.forms[form], "the inbox has ID numbers in the form %q", form)
	}
	require.Greater(t, len(ids.names), 200)

	key, err := os.ReadFile(keyFile)
	require.NoError(t, err)
	secret := strings.TrimSpace(string(key))
	require.GreaterOrEqual(t, len(secret), 16)
	s := &scanned{ids: ids, t: t, counts: map[string]int{},
		secrets: map[string]string{"the HMAC key": secret, "the analyst's password": password}}
	// The scan finds what it looks for: a masked and a raw ID of the inbox.
	var someCore string
	for c := range ids.cores {
		someCore = c
		break
	}
	require.NotEmpty(t, ids.leaks("360102"+someCore+"5"))
	require.Empty(t, ids.leaks("360102********"+someCore[8:]+"5"), "a masked ID is no leak")
	roster, err := os.ReadFile(filepath.Join(inbox, "2025-12", "roster.csv"))
	require.NoError(t, err)
	require.Greater(t, len(ids.leaks(string(roster))), 2*len(ids.names)/3, "the roster itself is full of IDs and names")

	s.scanWarehouse(sc)
	daemonScene := &faultScene{t: t, dsn: daemonDSN}
	daemonScene.connect()
	s.scanWarehouse(daemonScene)
	for _, c := range logs {
		for _, stream := range []struct{ name, text string }{{"stderr", c.stderr.String()}, {"stdout", c.stdout.String()}} {
			for i, line := range strings.Split(stream.text, "\n") {
				s.scan("log line", fmt.Sprintf("%s %s:%d", c.cmd.Args[1], stream.name, i+1), line)
			}
		}
	}
	s.scan("metrics", "/metrics", metrics)
	s.scanFiles(filepath.Join(dataDir, "reports"))
	s.scanFiles(filepath.Join(dataDir, "dashboards"))

	kinds := make([]string, 0, len(s.counts))
	for k := range s.counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var counts []string
	for _, k := range kinds {
		counts = append(counts, fmt.Sprintf("%s %d", k, s.counts[k]))
	}
	t.Logf("scanned: %s", strings.Join(counts, ", "))
	require.Positive(t, s.counts["pdf file"], "the PDF reports were read")
	require.Positive(t, s.counts["xlsx file"])
	require.Positive(t, s.counts["json file"], "the dashboards were read")
	require.Greater(t, s.counts["log line"], 100)
	require.Empty(t, s.hits, "no ID number or name outside the inbox")

}

// analystPassword is the password of an analyst DSN.
func analystPassword(t *testing.T, dsn string) string {
	t.Helper()
	_, rest, ok := strings.Cut(dsn, "://")
	require.True(t, ok)
	userinfo, _, ok := strings.Cut(rest, "@")
	require.True(t, ok)
	_, pw, ok := strings.Cut(userinfo, ":")
	require.True(t, ok && pw != "", "the analyst DSN has a password")
	return pw
}
