package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"

	"zengshou/internal/querytime"
)

// Machine describes where the bench ran.
type Machine struct {
	CPU        string
	Cores      int
	MemoryGiB  float64
	Kernel     string
	Go         string
	ClickHouse string
}

// DescribeMachine reads the CPU, memory and kernel from /proc and the
// ClickHouse client's version.
func DescribeMachine(ctx context.Context, client string) (Machine, error) {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close() //nolint:errcheck // read only
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb int64
			if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); err == nil {
				m.MemoryGiB = float64(kb) / (1 << 20)
				break
			}
		}
		f.Close() //nolint:errcheck // read only
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	out, err := exec.CommandContext(ctx, client, "--version").Output()
	if err != nil {
		return m, fmt.Errorf("running %s --version: %w", client, err)
	}
	m.ClickHouse = strings.TrimSpace(string(out))
	return m, nil
}

// Markdown renders the result as docs/performance.md.
func (r *Result) Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Performance\n\n")
	w("Written by `make bench` (`zengshou bench --households %d`) on %s; it took %.0f s.\n",
		r.Config.Households, r.Started.Format("2006-01-02 15:04 MST"), r.Took.Seconds())
	w("Issue 12's goals are below the tables; no test asserts a time.\n\n")
	w("## Machine\n\n")
	w("- CPU: %s, %d cores (shared with other work while measured)\n", r.Machine.CPU, r.Machine.Cores)
	w("- memory: %.1f GiB; %s\n", r.Machine.MemoryGiB, r.Machine.Kernel)
	w("- %s; %s (the server on the same machine)\n", r.Machine.Go, r.Machine.ClickHouse)
	w("- runs with `--memory-limit %s` (the GC's soft limit)\n\n", orNone(r.Config.MemoryLimit))
	w("## Floor and run\n\n")
	w("Floor: `clickhouse-client --format_csv_allow_single_quotes=0` importing the period's files as they are, one after the other, " +
		"into plain MergeTree tables of String columns (gzipped files decompressed beforehand, untimed; ragged rows skipped). " +
		"Run: `zengshou run` of the same files into a fresh warehouse on the same server, wall time and peak RSS of the process.\n\n")
	w("Run CPU is the zengshou process's own CPU time (user + system; the rest of the run's wall time it waited, " +
		"mostly on the server); load is the machine's one-minute load average when the run ended (above the core count: other work shared the cores).\n\n")
	w("| month | households | roster rows | rows in all | input MB | floor s | run s | run / floor | run CPU s | load | peak RSS MiB |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	months := append([]Measure{}, r.Scaling...)
	if r.December != nil {
		months = append(months, *r.December)
	}
	for _, m := range months {
		w("| %s | %d | %d | %d | %.0f | %.1f | %.1f | %.2f | %.1f | %.1f | %d |\n", m.Period, m.Households, m.RosterRows, m.Rows,
			float64(m.Bytes)/1e6, m.Floor.Seconds(), m.Run.Seconds(), m.Ratio(), m.CPU.Seconds(), m.Load, m.PeakRSS>>20)
	}
	w("\n## Scaling (January)\n\n")
	w("| size | households | run s | × previous size's time | floor s |\n|---|---:|---:|---:|---:|\n")
	for i, m := range r.Scaling {
		growth := "—"
		if i > 0 {
			growth = fmt.Sprintf("%.2f", m.Run.Seconds()/r.Scaling[i-1].Run.Seconds())
		}
		w("| %s× | %d | %.1f | %s | %.1f |\n", []string{"0.25", "0.5", "1"}[i], m.Households, m.Run.Seconds(), growth, m.Floor.Seconds())
	}
	base := r.Scaling[len(r.Scaling)-1]
	w("\n## Stages\n\n")
	w("Wall time of each stage of the run (`zengshou run --stats-json`); decode is the time the run waited for the file to be read and split (that runs on its own goroutine, overlapped with normalising), " +
		"normalise is ID repair and typing, join/survey/aggregate is what the rows feed; the rest is the run's own stages.\n\n")
	header := "| stage | " + base.Period + " rows | " + base.Period + " s | rows/s"
	sep := "|---|---:|---:|---:"
	dec := map[string]Stage{}
	if r.December != nil {
		header += " | " + r.December.Period + " s"
		sep += "|---:"
		for _, s := range r.December.Stages {
			dec[s.Stage] = s
		}
	}
	w("%s |\n%s|\n", header, sep)
	var total float64
	for _, s := range base.Stages {
		total += s.Seconds
		rate := "—"
		if s.Rows > 0 && s.Seconds > 0 {
			rate = fmt.Sprintf("%.0f", float64(s.Rows)/s.Seconds)
		}
		w("| %s | %d | %.2f | %s", s.Stage, s.Rows, s.Seconds, rate)
		if r.December != nil {
			w(" | %.2f", dec[s.Stage].Seconds)
		}
		w(" |\n")
	}
	w("| (stages in all) | | %.2f | |", total)
	if r.December != nil {
		var t float64
		for _, s := range r.December.Stages {
			t += s.Seconds
		}
		w(" %.2f |", t)
	}
	w("\n\nThe run's wall time beyond the stages is starting the process, connecting, migrations and the key check.\n")
	if r.Queries != nil {
		r.Queries.markdown(w)
	}
	w("\n## Goals (issue 12)\n\n| goal | measured | met |\n|---|---|---|\n")
	ratio := fmt.Sprintf("January %.2f×", base.Ratio())
	ok := base.Ratio() <= 0.5
	if r.December != nil {
		ratio += fmt.Sprintf(", December %.2f×", r.December.Ratio())
		ok = ok && r.December.Ratio() <= 0.5
	}
	w("| run ≤ 0.5× the floor, January and December | %s | %s |\n", ratio, yes(ok))
	peak := base.PeakRSS
	if r.December != nil {
		peak = max(peak, r.December.PeakRSS)
	}
	w("| peak RSS ≤ 2 GB at province scale | %d MiB at %d households%s | %s |\n", peak>>20, base.Households,
		provinceNote(base.Households), yes(peak <= 2<<30 && base.Households >= 1_000_000))
	growth, lin := "", true
	for i := 1; i < len(r.Scaling); i++ {
		g := r.Scaling[i].Run.Seconds() / r.Scaling[i-1].Run.Seconds()
		growth += fmt.Sprintf(" %.2f", g)
		lin = lin && g <= 2.1
	}
	w("| time linear: successive sizes ≤ 2.1× | %s | %s |\n", strings.TrimSpace(growth), yes(lin))
	if q := r.Queries; q != nil {
		all := q.groups()[len(q.groups())-1].queries
		st := summarise(all)
		w("| every dashboard panel and report query ≤ %d ms on the province warehouse | max %.1f ms, %d of %d over, at %d households%s | %s |\n",
			slowQuery, st.max, st.over, st.n, q.Households, provinceNote(q.Households), yes(st.over == 0 && q.Households >= 1_000_000))
	}
	w("\nDecode throughput (MB/s per core) and the load next to a clickhouse-client Native insert are Go benchmarks: " +
		"`make bench-go` (see the Go benchmarks section of the README).\n")
	w("\nWhat limits each goal missed, and what would reach it: [performance-analysis.md](performance-analysis.md) (written by hand from these tables and the profiles).\n")
	return b.String()
}

// slowQuery is issue 12's bound on a dashboard panel's or report's query, in ms.
const slowQuery = 300

// queryGroup is one command's queries in the queries table.
type queryGroup struct {
	name    string
	queries []querytime.Query
}

// groups are the dashboards, the monthly and the quarterly report (when
// built) and, last, all of them together.
func (q *QueryTimes) groups() []queryGroup {
	gs := []queryGroup{{"dashboard panels", q.Dashboards}, {"monthly report " + q.Period, q.Monthly}}
	if q.Quarter != "" {
		gs = append(gs, queryGroup{"quarterly report " + q.Quarter, q.Quarterly})
	}
	var all []querytime.Query
	for _, g := range gs {
		all = append(all, g.queries...)
	}
	return append(gs, queryGroup{"all", all})
}

type querySummary struct {
	n, over     int
	median, max float64
}

func summarise(qs []querytime.Query) querySummary {
	ms := make([]float64, len(qs))
	s := querySummary{n: len(qs)}
	for i, q := range qs {
		ms[i] = q.Ms
		if q.Ms > slowQuery {
			s.over++
		}
	}
	sort.Float64s(ms)
	if n := len(ms); n > 0 {
		s.max = ms[n-1]
		s.median = (ms[(n-1)/2] + ms[n/2]) / 2
	}
	return s
}

// markdown writes the queries section: a summary line per command and the
// five slowest queries of all.
func (q *QueryTimes) markdown(w func(string, ...any)) {
	w("\n## Queries (dashboards and reports)\n\n")
	reports := "the monthly report of " + q.Period
	if q.Quarter != "" {
		reports += " and the quarterly report of " + q.Quarter
	}
	w("On the %d-household warehouse after its %s run, still up: `zengshou dashboards --check` (every SQL panel's and variable's query "+
		"on the latest period, all regions, as the read-only account) and `zengshou report --pdf off` (%s), "+
		"each query timed from sending it to its last row read (`--query-times FILE`).", q.Households, q.Period, reports)
	if q.Quarter == "" {
		w(" No quarterly report: the quarter's last month is not in the warehouse.")
	}
	w("\n\n| queries of | queries | median ms | max ms | over %d ms |\n|---|---:|---:|---:|---:|\n", slowQuery)
	gs := q.groups()
	for _, g := range gs {
		s := summarise(g.queries)
		w("| %s | %d | %.1f | %.1f | %d |\n", g.name, s.n, s.median, s.max, s.over)
	}
	type slow struct {
		group string
		querytime.Query
	}
	var all []slow
	for _, g := range gs[:len(gs)-1] {
		for _, x := range g.queries {
			all = append(all, slow{g.name, x})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Ms > all[j].Ms })
	w("\nThe five slowest:\n\n| queries of | query | sent by | rows | ms |\n|---|---|---|---:|---:|\n")
	for _, x := range all[:min(5, len(all))] {
		w("| %s | %s | %s | %d | %.1f |\n", x.group, cell(x.Query.Query), cell(x.Caller), x.Rows, x.Ms)
	}
}

// cell makes s safe in a Markdown table cell ("—" when empty).
func cell(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func provinceNote(n int) string {
	if n >= 1_000_000 {
		return ""
	}
	return " (below province scale)"
}
