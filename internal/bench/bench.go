// Package bench measures a monthly run side by side with the bare import of
// its own files (issue 12): the floor is clickhouse-client importing the
// period's input files as they are into plain MergeTree tables of String
// columns; the run is `zengshou run` of the same files into a fresh
// warehouse, timed stage by stage. On the largest size's warehouse, after
// its last measured month, it times every dashboard panel's query and every
// query of the monthly and quarterly report builds. It drives the zengshou binary and
// clickhouse-client as child processes, so each peak RSS is one process's.
package bench

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"zengshou/internal/querytime"
	"zengshou/synth"
)

// Config says what to measure.
type Config struct {
	// Households is the base size (1×); the scaling runs 0.25×, 0.5× and
	// 1× of it. Province scale is 1 000 000.
	Households int `yaml:"households"`
	// December also measures December of the base size, after running
	// February..November into the same warehouse (the most history).
	December bool `yaml:"december"`
	// WorkDir holds the generated inboxes (kept and reused for the same
	// size and seed) and the throwaway warehouses.
	WorkDir string `yaml:"work_dir"`
	// Seed is the generator's seed.
	Seed int64 `yaml:"seed"`
	// Year is the year of the measured months.
	Year int `yaml:"year"`
	// Zengshou is the zengshou binary to drive.
	Zengshou string `yaml:"zengshou"`
	// ClickHouseClient is the clickhouse-client program of the floor.
	ClickHouseClient string `yaml:"clickhouse_client"`
	// MemoryLimit is passed to each run as --memory-limit ("" for none).
	MemoryLimit string `yaml:"memory_limit"`
}

// DefaultConfig finishes in a few minutes on a 2-core machine.
func DefaultConfig() Config {
	return Config{Households: 100_000, December: true, WorkDir: filepath.Join(os.TempDir(), "zengshou-bench"),
		Seed: synth.DefaultConfig().Seed, Year: 2024, ClickHouseClient: "clickhouse-client"}
}

// Validate checks the settings without I/O.
func (c Config) Validate() error {
	switch {
	case c.Households < 4:
		return fmt.Errorf("households: %d is below 4 (0.25× must be a household at least)", c.Households)
	case c.WorkDir == "":
		return errors.New("work_dir: empty")
	case c.Zengshou == "":
		return errors.New("zengshou: empty")
	case c.ClickHouseClient == "":
		return errors.New("clickhouse_client: empty")
	case c.Year < 2000 || c.Year > 2100:
		return fmt.Errorf("year: %d is out of range", c.Year)
	}
	return nil
}

// Stage is one stage's time in a run, as `zengshou run --stats-json` writes it.
type Stage struct {
	Stage   string  `json:"stage"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
}

// Measure is one month measured at one size.
type Measure struct {
	Households int
	Period     string
	// Files, Rows and Bytes are the period's input files, their data rows
	// and their size as delivered (compressed where gzipped).
	Files int
	Rows  int64
	Bytes int64
	// RosterRows is the roster's data rows (persons, before repair).
	RosterRows int64
	// Floor is the wall time of clickhouse-client importing the files.
	Floor time.Duration
	// Run is the wall time of `zengshou run`, PeakRSS its peak resident set.
	Run     time.Duration
	PeakRSS int64
	// CPU is the run process's own CPU time (user + system): next to Run
	// it shows how much of the wall time the process computed and how
	// much it waited (mostly on the ClickHouse server).
	CPU time.Duration
	// Load is the machine's one-minute load average when the run ended:
	// on 2 cores, above 2 means other work shared them.
	Load   float64
	Stages []Stage
}

// Ratio is Run / Floor.
func (m Measure) Ratio() float64 { return m.Run.Seconds() / m.Floor.Seconds() }

// Result is everything measured.
type Result struct {
	Config  Config
	Machine Machine
	// Scaling holds January at 0.25×, 0.5× and 1× of the base size.
	Scaling []Measure
	// December is December at the base size, nil unless asked for.
	December *Measure
	// Queries are the query times on the base size's warehouse after its
	// last measured month (December, or January without it).
	Queries *QueryTimes
	Started time.Time
	Took    time.Duration
}

// QueryTimes are the queries of the dashboards and of the reports on one
// warehouse, each timed from sending it to its last row read.
type QueryTimes struct {
	Households int
	// Period is the latest period: the dashboards' and the monthly report's.
	Period string
	// Dashboards are the SQL panels' and variables' queries of
	// `zengshou dashboards --check`, labelled "dashboard / panel".
	Dashboards []querytime.Query
	// Monthly and Quarterly are the reads of `zengshou report` for Period
	// and for its quarter (Quarterly is empty when the quarter's last month
	// is not in the warehouse).
	Monthly   []querytime.Query
	Quarterly []querytime.Query
	// Quarter names the quarter, as 2024-Q4 ("" with no quarterly report).
	Quarter string
}

// Bench runs the measurements; progress goes to log.
type Bench struct {
	cfg Config
	key string
	log io.Writer
}

// New returns a Bench.
func New(cfg Config, log io.Writer) *Bench {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return &Bench{cfg: cfg, key: hex.EncodeToString(b[:]), log: log}
}

// Run measures the scaling sizes' Januaries and the base size's December.
func (b *Bench) Run(ctx context.Context) (*Result, error) {
	res := &Result{Config: b.cfg, Started: time.Now().UTC()}
	m, err := DescribeMachine(ctx, b.cfg.ClickHouseClient)
	if err != nil {
		return nil, err
	}
	res.Machine = m
	if err := os.MkdirAll(b.cfg.WorkDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", b.cfg.WorkDir, err)
	}
	base := b.cfg.Households
	for _, n := range []int{base / 4, base / 2, base} {
		last := 1
		if n == base && b.cfg.December {
			last = 12
		}
		inbox, err := b.inbox(ctx, n, last)
		if err != nil {
			return nil, err
		}
		var queries *QueryTimes
		if n == base {
			queries = &QueryTimes{Households: n}
			res.Queries = queries
		}
		jan, dec, err := b.measureSize(ctx, inbox, n, last == 12, queries)
		if err != nil {
			return nil, err
		}
		res.Scaling = append(res.Scaling, *jan)
		if dec != nil {
			res.December = dec
		}
	}
	res.Took = time.Since(res.Started)
	return res, nil
}

func (b *Bench) month(m int) string { return fmt.Sprintf("%04d-%02d", b.cfg.Year, m) }

// inbox generates (or reuses) the inbox of n households, January..last.
func (b *Bench) inbox(ctx context.Context, n, last int) (string, error) {
	dir := filepath.Join(b.cfg.WorkDir, fmt.Sprintf("inbox-%d-seed%d-%s-%s", n, b.cfg.Seed, b.month(1), b.month(last)))
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err == nil {
		b.logf("reusing %s", dir)
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("removing %s: %w", dir, err)
	}
	b.logf("generating %d households, %s..%s", n, b.month(1), b.month(last))
	_, err := b.zengshou(ctx, "generate", "--households", fmt.Sprint(n), "--seed", fmt.Sprint(b.cfg.Seed),
		"--from", b.month(1), "--to", b.month(last), "--out", dir)
	return dir, err
}

// measureSize measures January (and December) of one inbox in a fresh
// warehouse; with queries, it then times the dashboards' and the reports'
// queries on that warehouse into it.
func (b *Bench) measureSize(ctx context.Context, inbox string, n int, december bool, queries *QueryTimes) (jan, dec *Measure, err error) {
	dataDir := filepath.Join(b.cfg.WorkDir, fmt.Sprintf("warehouse-%d", n))
	if err := os.RemoveAll(dataDir); err != nil {
		return nil, nil, fmt.Errorf("removing %s: %w", dataDir, err)
	}
	out, err := b.zengshou(ctx, "warehouse", "up", "--data-dir", dataDir)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if _, derr := b.zengshou(context.WithoutCancel(ctx), "warehouse", "down", "--data-dir", dataDir); derr != nil && err == nil {
			err = derr
		}
	}()
	dsn := ""
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "clickhouse://") {
			dsn = strings.TrimSpace(line)
		}
	}
	u, perr := url.Parse(dsn)
	if dsn == "" || perr != nil {
		return nil, nil, fmt.Errorf("reading the warehouse's address from %q", out)
	}
	port := u.Port()
	if jan, err = b.measureMonth(ctx, inbox, dataDir, port, n, 1); err != nil {
		return nil, nil, err
	}
	last := 1
	if december {
		b.logf("%d households: running %s..%s for December's history", n, b.month(2), b.month(11))
		if _, err := b.zengshou(ctx, b.runArgs(inbox, dataDir, 2, 11, "")...); err != nil {
			return nil, nil, err
		}
		if dec, err = b.measureMonth(ctx, inbox, dataDir, port, n, 12); err != nil {
			return nil, nil, err
		}
		last = 12
	}
	if queries != nil {
		if err := b.measureQueries(ctx, dataDir, last, queries); err != nil {
			return nil, nil, err
		}
	}
	return jan, dec, nil
}

// measureQueries times, on the warehouse of dataDir whose last month is
// last, every dashboard panel's query (`zengshou dashboards --check`) and
// the reads of the monthly report of that month and, when the month ends a
// quarter, of the quarterly report (`zengshou report --pdf off`).
func (b *Bench) measureQueries(ctx context.Context, dataDir string, last int, q *QueryTimes) error {
	q.Period = b.month(last)
	b.logf("%d households, %s: timing the dashboards' and the reports' queries", q.Households, q.Period)
	times := func(name string) string { return filepath.Join(dataDir, "query-times-"+name+".json") }
	var err error
	if q.Dashboards, err = b.queryTimes(ctx, times("dashboards"), "dashboards", "--check", "--data-dir", dataDir); err != nil {
		return err
	}
	report := func(kind string) ([]querytime.Query, error) {
		return b.queryTimes(ctx, times(kind), "report", "--period", q.Period, "--kind", kind,
			"--out", filepath.Join(dataDir, "reports"), "--pdf", "off", "--data-dir", dataDir)
	}
	if q.Monthly, err = report("monthly"); err != nil {
		return err
	}
	if last%3 == 0 {
		q.Quarter = fmt.Sprintf("%04d-Q%d", b.cfg.Year, last/3)
		if q.Quarterly, err = report("quarterly"); err != nil {
			return err
		}
	}
	return nil
}

// queryTimes runs zengshou with args and --query-times file and returns
// what it wrote there.
func (b *Bench) queryTimes(ctx context.Context, file string, args ...string) ([]querytime.Query, error) {
	if _, err := b.zengshou(ctx, append(args, "--query-times", file)...); err != nil {
		return nil, err
	}
	return querytime.ReadFile(file)
}

func (b *Bench) runArgs(inbox, dataDir string, from, to int, stats string) []string {
	// No --clickhouse: with the data directory, the run finds the server
	// `warehouse up` left running and connects as its writer account (the
	// printed DSN carries no password).
	args := []string{"run", "--inbox", inbox, "--period", b.month(from), "--to", b.month(to),
		"--data-dir", dataDir, "--no-cascade"}
	if stats != "" {
		args = append(args, "--stats-json", stats)
	}
	if b.cfg.MemoryLimit != "" {
		args = append(args, "--memory-limit", b.cfg.MemoryLimit)
	}
	return args
}

// measureMonth measures the floor, then the run, of one month.
func (b *Bench) measureMonth(ctx context.Context, inbox, dataDir, port string, n, month int) (*Measure, error) {
	m := &Measure{Households: n, Period: b.month(month)}
	dir := filepath.Join(inbox, m.Period)
	files, err := filepath.Glob(filepath.Join(dir, "*.csv*"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("listing %s: no input files (%v)", dir, err)
	}
	sort.Strings(files)
	m.Files = len(files)
	b.logf("%d households, %s: floor (clickhouse-client, %d files)", n, m.Period, len(files))
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		m.Bytes += st.Size()
		rows, took, err := b.floorFile(ctx, f, port)
		if err != nil {
			return nil, err
		}
		m.Rows += rows
		if strings.HasPrefix(filepath.Base(f), "roster.") {
			m.RosterRows = rows
		}
		m.Floor += took
	}
	b.logf("%d households, %s: zengshou run", n, m.Period)
	stats := filepath.Join(dataDir, "stats-"+m.Period+".json")
	start := time.Now()
	usage, err := b.zengshouUsage(ctx, b.runArgs(inbox, dataDir, month, month, stats)...)
	m.Run = time.Since(start)
	if err != nil {
		return nil, err
	}
	m.PeakRSS = usage.Maxrss * 1024 // kilobytes on Linux
	m.CPU = time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
	m.Load = loadAverage()
	raw, err := os.ReadFile(stats)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", stats, err)
	}
	var runs []struct {
		Stages []Stage `json:"stages"`
	}
	if err := json.Unmarshal(raw, &runs); err != nil || len(runs) != 1 {
		return nil, fmt.Errorf("reading %s: want one run's stages (%v)", stats, err)
	}
	m.Stages = runs[0].Stages
	b.logf("%d households, %s: floor %.1f s, run %.1f s (%.2f×), peak RSS %d MiB",
		n, m.Period, m.Floor.Seconds(), m.Run.Seconds(), m.Ratio(), m.PeakRSS>>20)
	return m, nil
}

// floorFile imports one file as it is into a fresh MergeTree table of
// String columns, one per header field. A gzipped file is decompressed
// first, outside the timing, so the floor is the import alone.
func (b *Bench) floorFile(ctx context.Context, file, port string) (rows int64, took time.Duration, err error) {
	plain := file
	if strings.HasSuffix(file, ".gz") {
		plain = filepath.Join(b.cfg.WorkDir, "floor-"+strings.TrimSuffix(filepath.Base(file), ".gz"))
		if err := gunzip(file, plain); err != nil {
			return 0, 0, err
		}
		defer os.Remove(plain) //nolint:errcheck // a scratch copy
	}
	fields, err := headerFields(plain)
	if err != nil {
		return 0, 0, err
	}
	table := "floor." + strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(filepath.Base(plain), ".csv"), "."), "-", "_")
	cols := make([]string, fields)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d String", i+1)
	}
	for _, q := range []string{
		"CREATE DATABASE IF NOT EXISTS floor",
		"DROP TABLE IF EXISTS " + table,
		"CREATE TABLE " + table + " (" + strings.Join(cols, ", ") + ") ENGINE = MergeTree ORDER BY tuple()",
	} {
		if _, err := b.client(ctx, port, nil, "--query", q); err != nil {
			return 0, 0, err
		}
	}
	f, err := os.Open(plain)
	if err != nil {
		return 0, 0, fmt.Errorf("opening %s: %w", plain, err)
	}
	defer f.Close() //nolint:errcheck // read only
	start := time.Now()
	// Ragged rows (the generator's dirt) are skipped, not fatal: the
	// floor only has to store what parses.
	if _, err := b.client(ctx, port, f, "--format_csv_allow_single_quotes=0",
		"--input_format_allow_errors_num=1000000000", "--input_format_allow_errors_ratio=1",
		"--query", "INSERT INTO "+table+" FORMAT CSVWithNames"); err != nil {
		return 0, 0, err
	}
	took = time.Since(start)
	out, err := b.client(ctx, port, nil, "--query", "SELECT count() FROM "+table)
	if err != nil {
		return 0, 0, err
	}
	if _, err := fmt.Sscan(out, &rows); err != nil {
		return 0, 0, fmt.Errorf("counting %s: %q", table, out)
	}
	return rows, took, nil
}

func (b *Bench) client(ctx context.Context, port string, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.cfg.ClickHouseClient, append([]string{"--port", port}, args...)...)
	cmd.Stdin = stdin
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("running clickhouse-client %s: %w: %s", strings.Join(args, " "), err, lastLine(ee.Stderr))
		}
		return "", fmt.Errorf("running clickhouse-client: %w", err)
	}
	return string(out), nil
}

// zengshou runs the binary and returns its standard output.
func (b *Bench) zengshou(ctx context.Context, args ...string) (string, error) {
	cmd := b.command(ctx, args...)
	var out strings.Builder
	cmd.Stdout = &out
	err := b.wait(cmd, args)
	return out.String(), err
}

// zengshouUsage runs the binary and returns its resource usage.
func (b *Bench) zengshouUsage(ctx context.Context, args ...string) (*syscall.Rusage, error) {
	cmd := b.command(ctx, args...)
	if err := b.wait(cmd, args); err != nil {
		return nil, err
	}
	u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return nil, errors.New("reading the run's resource usage: not available on this system")
	}
	return u, nil
}

func (b *Bench) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.cfg.Zengshou, args...)
	cmd.Env = append(os.Environ(), "ZENGSHOU_HMAC_KEY="+b.key, "ZENGSHOU_LOG_LEVEL=warn")
	return cmd
}

func (b *Bench) wait(cmd *exec.Cmd, args []string) error {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("running zengshou %s: %w: %s", strings.Join(args, " "), err, lastLine([]byte(stderr.String())))
	}
	return nil
}

func (b *Bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

// loadAverage is the one-minute load average (0 where unreadable).
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var load float64
	if _, err := fmt.Sscanf(string(raw), "%f", &load); err != nil {
		return 0
	}
	return load
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func gunzip(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("opening %s: %w", from, err)
	}
	defer in.Close() //nolint:errcheck // read only
	zr, err := gzip.NewReader(bufio.NewReaderSize(in, 1<<20))
	if err != nil {
		return fmt.Errorf("decompressing %s: %w", from, err)
	}
	out, err := os.Create(to)
	if err != nil {
		return fmt.Errorf("creating %s: %w", to, err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		out.Close() //nolint:errcheck // the copy failed already
		return fmt.Errorf("decompressing %s: %w", from, err)
	}
	return out.Close()
}

// headerFields counts the header's fields (the table's columns).
func headerFields(file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("opening %s: %w", file, err)
	}
	defer f.Close() //nolint:errcheck // read only
	r := csv.NewReader(bufio.NewReader(f))
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return 0, fmt.Errorf("reading the header of %s: %w", file, err)
	}
	return len(rec), nil
}
