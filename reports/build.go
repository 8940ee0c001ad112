package reports

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"zengshou/pipeline/sink/clickhouse/snapshot"
	"zengshou/transforms/values"
)

// Kind is a report kind: monthly or quarterly.
type Kind string

// Report kinds.
const (
	Monthly   Kind = "monthly"
	Quarterly Kind = "quarterly"
)

// Options say which report Build writes and where.
type Options struct {
	// Period is the report's month; for a quarterly report any month of the
	// quarter (the report covers the whole quarter and is recorded under
	// its last month).
	Period values.Month `yaml:"-"`
	// Kind is monthly or quarterly.
	Kind Kind `yaml:"kind"`
	// OutDir is the directory the files are written to (created if missing).
	OutDir string `yaml:"out_dir"`
	// PDF: "auto" prints the HTML to PDF when a chromium binary is found,
	// "off" never does, "on" fails when it cannot.
	PDF string `yaml:"pdf"`
	// Chromium is the browser binary for the PDF; empty looks up chromium
	// and chromium-browser on PATH.
	Chromium string `yaml:"chromium"`
	// Now gives the generation time (time.Now when nil); tests fix it.
	Now func() time.Time `yaml:"-"`
}

// PDF modes.
const (
	PDFAuto = "auto"
	PDFOff  = "off"
	PDFOn   = "on"
)

// DefaultOptions returns the options of a monthly report into ./reports
// with a PDF when chromium is installed.
func DefaultOptions() Options {
	return Options{Kind: Monthly, OutDir: "reports", PDF: PDFAuto}
}

// Validate checks the options without touching the file system.
func (o Options) Validate() error {
	switch {
	case o.Kind != Monthly && o.Kind != Quarterly:
		return fmt.Errorf("report kind %q: must be monthly or quarterly", o.Kind)
	case o.OutDir == "":
		return errors.New("report out_dir is empty")
	case o.PDF != PDFAuto && o.PDF != PDFOff && o.PDF != PDFOn:
		return fmt.Errorf("report pdf %q: must be auto, on or off", o.PDF)
	case o.Period.Year() < 2000 || o.Period.Year() > 2100:
		return fmt.Errorf("report period %s: year out of range", o.Period)
	}
	return nil
}

// Result says what Build wrote.
type Result struct {
	Kind Kind
	// Period is the report's (last) month, Label its Chinese name.
	Period values.Month
	Label  string
	// HTML, XLSX, PDF and SummaryFile are absolute paths; PDF is empty when
	// no PDF was printed.
	HTML, XLSX, PDF, SummaryFile string
	// Files lists every file written, as recorded in the report table.
	Files []string
	// Summary is the summary text (also in SummaryFile).
	Summary string
	// GeneratedAt is the generation time (UTC, whole seconds).
	GeneratedAt time.Time
	// Findings and Actions count the rows of the 台账 and 一户一策 sheets.
	Findings, Actions int
}

// BaseName returns the file name stem of a report: monthly-2025-12 or
// quarterly-2025-Q4.
func BaseName(kind Kind, period values.Month) string {
	if kind == Quarterly {
		return fmt.Sprintf("quarterly-%d-Q%d", period.Year(), (period.Number()+2)/3)
	}
	return "monthly-" + period.String()
}

// QuarterEnd returns the last month of m's quarter.
func QuarterEnd(m values.Month) values.Month {
	return m.Add((3 - m.Number()%3) % 3)
}

// Build writes the report of opts.Kind for opts.Period from the warehouse on
// conn into opts.OutDir — <base>.html, <base>.xlsx, <base>.summary.txt and,
// with chromium, <base>.pdf (base from BaseName) — replacing earlier files
// of the same report, and records it in the report table (one row per kind
// and period; the latest wins). Only the warehouse is read; the period's
// indicators must be published. The same warehouse gives the same files
// apart from the generation time printed in the HTML and PDF.
func Build(ctx context.Context, conn driver.Conn, opts Options) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	period := opts.Period
	if opts.Kind == Quarterly {
		period = QuarterEnd(period)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	generated := now().UTC().Truncate(time.Second)
	// The report reads many tables of many periods: through snapshot.Read,
	// so that a publication running meanwhile makes it read again rather
	// than mix the old and the new tables of a period.
	var r *Report
	if _, err := snapshot.Read(ctx, conn, snapshot.Options{}, func(ctx context.Context) (err error) {
		r, err = load(ctx, conn, opts.Kind, period)
		return err
	}); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return nil, fmt.Errorf("resolving report directory %s: %w", opts.OutDir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating report directory %s: %w", dir, err)
	}
	base := filepath.Join(dir, BaseName(opts.Kind, period))
	res := &Result{Kind: opts.Kind, Period: period, Label: r.Label, GeneratedAt: generated,
		HTML: base + ".html", XLSX: base + ".xlsx", SummaryFile: base + ".summary.txt",
		Summary: strings.Join(r.Summary, "\n") + "\n", Findings: len(r.Ledger), Actions: len(r.Actions)}

	html, err := renderHTML(r, generated)
	if err != nil {
		return nil, err
	}
	if err := writeFile(res.HTML, html); err != nil {
		return nil, err
	}
	if err := writeXLSX(r, res.XLSX); err != nil {
		return nil, err
	}
	if err := writeFile(res.SummaryFile, []byte(res.Summary)); err != nil {
		return nil, err
	}
	res.Files = []string{res.HTML, res.XLSX, res.SummaryFile}
	if bin := chromiumFor(opts); bin != "" {
		res.PDF = base + ".pdf"
		if err := PrintPDF(ctx, bin, res.HTML, res.PDF); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, res.PDF)
	} else if opts.PDF == PDFOn {
		return nil, errors.New("printing the report to PDF: no chromium found (apt-get install chromium fonts-noto-cjk)")
	}
	if err := record(ctx, conn, r, res); err != nil {
		return nil, err
	}
	return res, nil
}

// chromiumFor returns the browser binary for the PDF, "" for none.
func chromiumFor(opts Options) string {
	if opts.PDF == PDFOff {
		return ""
	}
	if opts.Chromium != "" {
		return opts.Chromium
	}
	return FindChromium()
}

// FindChromium returns Debian's chromium binary from PATH, "" if none.
func FindChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// writeFile writes a file through a temporary file and a rename, so that a
// reader never sees half a report.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("renaming %s: %w", tmp, err)
	}
	return nil
}

// record inserts the report's row (a newer version replaces the earlier
// rows of the same kind and period). On a cluster the report table is each
// shard's own copy, not a Distributed table (FINAL collapses versions only
// within one server): the record and the OPTIMIZE are on the shard conn
// reaches, the first shard's when built through clickhouse.Cluster.Conn, and
// Latest reads them there.
func record(ctx context.Context, conn driver.Conn, r *Report, res *Result) error {
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO report (period, kind, files, generated_at, summary, source_runs, version)")
	if err != nil {
		return fmt.Errorf("recording report %s %s: %w", res.Kind, res.Period, err)
	}
	version := uint64(time.Now().UnixNano())
	if v := uint64(res.GeneratedAt.UnixNano()); v > version {
		version = v
	}
	if err := batch.Append(res.Period.FirstDay(), string(res.Kind), res.Files, res.GeneratedAt, res.Summary,
		r.SourceRuns, version); err != nil {
		return fmt.Errorf("recording report %s %s: %w", res.Kind, res.Period, err)
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("recording report %s %s: %w", res.Kind, res.Period, err)
	}
	// Merge the year's rows now, so that the table physically holds one row
	// per report too (the table is tiny; FINAL stays the way to read it).
	if err := conn.Exec(ctx, fmt.Sprintf("OPTIMIZE TABLE report PARTITION %d FINAL", res.Period.Year())); err != nil {
		return fmt.Errorf("merging the report table for %d: %w", res.Period.Year(), err)
	}
	return nil
}

// Recorded is one row of the report table.
type Recorded struct {
	Period      values.Month
	Kind        Kind
	Files       []string
	GeneratedAt time.Time
	Summary     string
	SourceRuns  []string
}

// Latest returns the recorded reports (the latest row of each kind and
// period), oldest period first.
func Latest(ctx context.Context, conn driver.Conn) ([]Recorded, error) {
	rows, err := conn.Query(ctx, `SELECT period, kind, files, generated_at, summary, source_runs FROM report FINAL ORDER BY period, kind`)
	if err != nil {
		return nil, fmt.Errorf("reading the report table: %w", err)
	}
	defer rows.Close()
	var out []Recorded
	for rows.Next() {
		var x Recorded
		var p time.Time
		var kind string
		if err := rows.Scan(&p, &kind, &x.Files, &x.GeneratedAt, &x.Summary, &x.SourceRuns); err != nil {
			return nil, fmt.Errorf("reading the report table: %w", err)
		}
		x.Period, x.Kind = values.MonthOf(p), Kind(kind)
		out = append(out, x)
	}
	return out, rows.Err()
}
