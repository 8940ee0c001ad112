package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"zengshou/dashboards"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/synth"
)

// waitLimit bounds every wait for another process; reaching it fails the
// test (it is a hang guard, not a timing assertion).
const waitLimit = 2 * time.Minute

// zengshou is a zengshou process started by a test.
type zengshou struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{}
}

// lockedBuffer is a bytes.Buffer written by the process's copier and read
// by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startDaemonTestProcess(t *testing.T, args ...string) *zengshou {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "ZENGSHOU_HMAC_KEY=process-test-key-0123456789")
	z := &zengshou{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = z.stderr
	require.NoError(t, cmd.Start())
	go func() { _ = cmd.Wait(); close(z.done) }()
	t.Cleanup(func() {
		select {
		case <-z.done:
		default:
			_ = cmd.Process.Kill()
			<-z.done
		}
	})
	return z
}

// exitCode waits for the process to end and returns its exit status.
func (z *zengshou) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-z.done:
	case <-time.After(waitLimit):
		t.Fatalf("zengshou %v did not end; stderr:\n%s", z.cmd.Args[1:], z.stderr)
	}
	return z.cmd.ProcessState.ExitCode()
}

// eventually polls cond until it holds, failing after waitLimit.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: gave up", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func smallInbox(t *testing.T, from, to string) string {
	t.Helper()
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 120, from, to
	_, err := synth.Generate(context.Background(), cfg, inbox)
	require.NoError(t, err)
	return inbox
}

// serveConfig writes a daemon config: catch-up on, cron jobs far away,
// no quiet time and short retries.
func serveConfig(t *testing.T, dsn, dataDir, inbox, listen string) string {
	return serveConfigGrace(t, dsn, dataDir, inbox, listen, time.Minute)
}

func serveConfigGrace(t *testing.T, dsn, dataDir, inbox, listen string, grace time.Duration) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "serve.yaml")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(`clickhouse: %s
data_dir: %s
inbox: %s
log_level: info
serve:
  listen: %s
  log_format: json
  etl: {enabled: true, schedule: "0 2 5 * *", watch: {enabled: false, quiet: 0s}}
  catch_up: {enabled: true, limit: 3}
  retry: {attempts: 3, initial: 50ms, max: 200ms, jitter: 0.2}
  lock_wait: 0s
  shutdown_grace: %s
`, dsn, dataDir, inbox, listen, grace)), 0o644))
	return path
}

func openConn(t *testing.T, dsn string) driver.Conn {
	t.Helper()
	opts, err := ch.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := ch.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

type runRow struct{ job, status, errText string }

func periodRuns(t *testing.T, conn driver.Conn, period string) []runRow {
	t.Helper()
	rows, err := conn.Query(context.Background(), fmt.Sprintf(`SELECT job, status, error FROM etl_run FINAL
WHERE period = toDate('%s-01') ORDER BY started_at, run_id`, period))
	if err != nil {
		return nil // etl_run not created yet
	}
	defer rows.Close()
	var out []runRow
	for rows.Next() {
		var r runRow
		require.NoError(t, rows.Scan(&r.job, &r.status, &r.errText))
		out = append(out, r)
	}
	return out
}

// fifoRoster replaces the roster of period with a named pipe: a run that
// reads it blocks until feed writes the real content, so the test holds a
// run in the middle without any sleep.
func fifoRoster(t *testing.T, inbox, period string) (feed func()) {
	t.Helper()
	path := filepath.Join(inbox, period, "roster.csv")
	content, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.Remove(path))
	require.NoError(t, syscall.Mkfifo(path, 0o644))
	return func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.Write(content)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
}

func lockHolder(dataDir, period string) string {
	b, _ := os.ReadFile(filepath.Join(dataDir, "locks", period+".lock"))
	return string(b)
}

// TestDaemonAndManualRunPublishAPeriodOnce: the daemon's catch-up and a
// manual `zengshou run` contend for one period as two real processes, each
// way round; exactly one publishes, the other skips (daemon, recorded with
// the holder) or exits 2 naming the holder (manual run, recorded as a
// failed attempt).
func TestDaemonAndManualRunPublishAPeriodOnce(t *testing.T) {
	for _, first := range []string{"manual run", "daemon"} {
		t.Run(first+" first", func(t *testing.T) {
			dsn := testenv.ClickHouse(t)
			dataDir := t.TempDir()
			inbox := smallInbox(t, "2025-01", "2025-01")
			feed := fifoRoster(t, inbox, "2025-01")
			conn := openConn(t, dsn)
			cfgFile := serveConfig(t, dsn, dataDir, inbox, freeAddr(t))
			manual := []string{"run", "--inbox", inbox, "--period", "2025-01", "--clickhouse", dsn, "--data-dir", dataDir}

			if first == "manual run" {
				run := startDaemonTestProcess(t, manual...)
				eventually(t, "the manual run to hold the lock", func() bool { return strings.Contains(lockHolder(dataDir, "2025-01"), "zengshou run") })
				daemon := startDaemonTestProcess(t, "serve", "--config", cfgFile)
				eventually(t, "the daemon to record its skip", func() bool {
					for _, r := range periodRuns(t, conn, "2025-01") {
						if r.status == jobs.StatusSkipped {
							return true
						}
					}
					return false
				})
				feed()
				require.Equal(t, exitOK, run.exitCode(t), run.stderr.String())
				require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
				require.Equal(t, exitOK, daemon.exitCode(t), "SIGTERM ends the daemon with 0")

				runs := periodRuns(t, conn, "2025-01")
				require.Len(t, runs, 2)
				require.Equal(t, runRow{"period", "published", ""}, runs[0])
				require.Equal(t, runRow{"etl-catchup", jobs.StatusSkipped, runs[1].errText}, runs[1])
				require.Contains(t, runs[1].errText, "zengshou run", "the skip names the holder")
				return
			}

			daemon := startDaemonTestProcess(t, "serve", "--config", cfgFile)
			eventually(t, "the daemon to hold the lock", func() bool { return strings.Contains(lockHolder(dataDir, "2025-01"), "zengshou serve") })
			run := startDaemonTestProcess(t, manual...)
			require.Equal(t, exitUsage, run.exitCode(t), "a held period is refused")
			msg := strings.TrimSpace(run.stderr.String())
			require.NotContains(t, msg, "\n", "one line")
			require.Contains(t, msg, "zengshou serve", "naming the holder")
			feed()
			// Every attempt is recorded: the refused manual run as failed,
			// naming the holder (the rows' order is the race's).
			byJob := func() map[string]runRow {
				out := map[string]runRow{}
				for _, r := range periodRuns(t, conn, "2025-01") {
					out[r.job] = r
				}
				return out
			}
			eventually(t, "the daemon to publish", func() bool { return byJob()["etl-catchup"].status == "published" })
			require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
			require.Equal(t, exitOK, daemon.exitCode(t))
			require.Len(t, periodRuns(t, conn, "2025-01"), 2)
			runs := byJob()
			require.Equal(t, runRow{"etl-catchup", "published", ""}, runs["etl-catchup"])
			require.Equal(t, "failed", runs["period"].status)
			require.Contains(t, runs["period"].errText, "zengshou serve", "the refusal names the holder")
		})
	}
}

// promQuery asks Prometheus' HTTP API for an instant vector; nil while
// Prometheus does not answer (for polling).
func promQuery(t *testing.T, promAddr, query string) []promSample {
	t.Helper()
	series, err := promAPI(promAddr, "/api/v1/query", url.Values{"query": {query}})
	if err != nil {
		return nil
	}
	var out []promSample
	for _, s := range series {
		require.Len(t, s.values, 1, "an instant vector has one value per series")
		out = append(out, promSample{s.labels, s.values[0]})
	}
	return out
}

type promSample struct {
	labels map[string]string
	value  float64
}

// promSeries is one series of a query result: an instant vector's single
// value, or a range query's values.
type promSeries struct {
	labels map[string]string
	values []float64
}

// promAPI runs a query through Prometheus' HTTP API (path /api/v1/query or
// /api/v1/query_range) and returns the series of its vector or matrix; an
// expression Prometheus refuses is an error naming its reason.
func promAPI(promAddr, path string, params url.Values) ([]promSeries, error) {
	resp, err := http.Get("http://" + promAddr + path + "?" + params.Encode())
	if err != nil {
		return nil, fmt.Errorf("asking Prometheus %s: %w", path, err)
	}
	defer resp.Body.Close()
	var body struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
		Data      struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  []any             `json:"value"`
				Values [][]any           `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("decoding Prometheus' answer to %s (HTTP %d): %w", params.Get("query"), resp.StatusCode, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("Prometheus refused %s: %s: %s", params.Get("query"), body.ErrorType, body.Error)
	}
	if t := body.Data.ResultType; t != "vector" && t != "matrix" {
		return nil, fmt.Errorf("Prometheus answered %s with a %s, not series", params.Get("query"), t)
	}
	value := func(pair []any) (float64, error) {
		if len(pair) != 2 {
			return 0, fmt.Errorf("a sample of %s is %v, not [time, value]", params.Get("query"), pair)
		}
		s, _ := pair[1].(string)
		return strconv.ParseFloat(s, 64) // "NaN" and "+Inf" parse too
	}
	var out []promSeries
	for _, r := range body.Data.Result {
		s := promSeries{labels: r.Metric}
		pairs := r.Values
		if body.Data.ResultType == "vector" {
			pairs = [][]any{r.Value}
		}
		for _, pair := range pairs {
			v, err := value(pair)
			if err != nil {
				return nil, err
			}
			s.values = append(s.values, v)
		}
		out = append(out, s)
	}
	return out, nil
}

// promScrapeInterval is the test Prometheus' scrape interval.
const promScrapeInterval = time.Second

// startPrometheus runs a real Prometheus scraping target (host:port of
// `zengshou serve`) every second, and returns its address. Its log is
// printed if the test fails.
func startPrometheus(t *testing.T, target string) string {
	t.Helper()
	promBin, err := exec.LookPath("prometheus")
	if errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("prometheus is not installed: run make deps (make test installs it)")
	}
	promDir := t.TempDir()
	promAddr := freeAddr(t)
	require.NoError(t, os.WriteFile(filepath.Join(promDir, "prometheus.yml"), []byte(fmt.Sprintf(`global:
  scrape_interval: %s
scrape_configs:
  - job_name: zengshou
    static_configs:
      - targets: ['%s']
`, promScrapeInterval, target)), 0o644))
	prom := exec.Command(promBin, "--config.file="+filepath.Join(promDir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(promDir, "data"), "--web.listen-address="+promAddr)
	promLog, err := os.Create(filepath.Join(promDir, "prometheus.log"))
	require.NoError(t, err)
	prom.Stdout, prom.Stderr = promLog, promLog
	require.NoError(t, prom.Start())
	t.Cleanup(func() {
		_ = prom.Process.Signal(syscall.SIGTERM)
		_ = prom.Wait()
		promLog.Close()
		if t.Failed() {
			b, _ := os.ReadFile(promLog.Name())
			t.Logf("prometheus log:\n%s", b)
		}
	})
	return promAddr
}

// waitServing waits until the daemon at listen answers /healthz and /readyz.
func waitServing(t *testing.T, listen string) {
	t.Helper()
	for _, path := range []string{"/healthz", "/readyz"} {
		eventually(t, path, func() bool {
			resp, err := http.Get("http://" + listen + path)
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
}

// TestPrometheusScrapesTheDaemon starts the daemon (its catch-up runs one
// period) and a real Prometheus scraping it, then finds the series in
// Prometheus with the values the run recorded in etl_run.
func TestPrometheusScrapesTheDaemon(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	inbox := smallInbox(t, "2025-01", "2025-01")
	listen := freeAddr(t)
	daemon := startDaemonTestProcess(t, "serve", "--config", serveConfig(t, dsn, t.TempDir(), inbox, listen))
	waitServing(t, listen)
	conn := openConn(t, dsn)
	eventually(t, "the catch-up to publish", func() bool {
		runs := periodRuns(t, conn, "2025-01")
		return len(runs) == 1 && runs[0].status == "published"
	})
	var rosterAccepted uint64
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT rows_accepted[indexOf(sources, 'roster')] FROM etl_run FINAL WHERE status = 'published'").Scan(&rosterAccepted))

	promAddr := startPrometheus(t, listen)
	var got []promSample
	eventually(t, "Prometheus to have scraped the run", func() bool {
		got = promQuery(t, promAddr, `zengshou_job_runs_total{job_name="etl-catchup"}`)
		return len(got) > 0
	})
	byStatus := map[string]float64{}
	for _, s := range got {
		byStatus[s.labels["status"]] = s.value
	}
	require.Equal(t, map[string]float64{"published": 1, "failed": 0, "skipped": 0}, byStatus,
		"every outcome of an enabled job is a series from the start")

	roster := promQuery(t, promAddr, `zengshou_rows_total{source="roster",outcome="accepted"}`)
	require.Len(t, roster, 1)
	require.Equal(t, float64(rosterAccepted), roster[0].value, "the rows etl_run recorded")

	period := promQuery(t, promAddr, `zengshou_latest_published_period`)
	require.Len(t, period, 1)
	require.Equal(t, 202501.0, period[0].value)

	// One series per province indicator with a target, equal to value/target
	// of the indicator table (the housing and water rates only when some
	// household counts in them: the province delivers neither).
	want := map[string]float64{}
	rows, err := conn.Query(context.Background(), `SELECT indicator_code, value / assumeNotNull(target) FROM indicator
WHERE region_level = 'province' AND period = toDate('2025-01-01') AND target IS NOT NULL AND target != 0
  AND NOT (indicator_code IN ('HOUSING_SAFE_RATE', 'WATER_SAFE_RATE') AND denominator = 0)`)
	require.NoError(t, err)
	for rows.Next() {
		var code string
		var ratio float64
		require.NoError(t, rows.Scan(&code, &ratio))
		want[code] = ratio
	}
	rows.Close()
	require.NotEmpty(t, want)
	got2 := map[string]float64{}
	for _, s := range promQuery(t, promAddr, `zengshou_target_progress_ratio`) {
		require.Equal(t, []string{"__name__", "indicator", "instance", "job"}, sortedKeys(s.labels), "bounded labels only")
		got2[s.labels["indicator"]] = s.value
	}
	require.Equal(t, len(want), len(got2))
	for code, ratio := range want {
		require.InDelta(t, ratio, got2[code], 1e-9*max(1, ratio), code)
	}

	loc, err := jobs.Location()
	require.NoError(t, err)
	sched, err := jobs.ParseSchedule("0 2 5 * *", loc)
	require.NoError(t, err)
	next := promQuery(t, promAddr, `zengshou_job_next_run_timestamp_seconds{job_name="etl-monthly"}`)
	require.Len(t, next, 1)
	require.Equal(t, float64(sched.Next(time.Now()).Unix()), next[0].value, "02:00 Beijing time on the next 5th")

	success := promQuery(t, promAddr, `zengshou_job_last_success_timestamp_seconds{job_name="etl-catchup"}`)
	require.Len(t, success, 1)
	require.Positive(t, success[0].value)
	require.Len(t, promQuery(t, promAddr, `zengshou_job_run_duration_seconds_count{job_name="etl-catchup"}`), 1)

	require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitOK, daemon.exitCode(t))
	for _, line := range strings.Split(strings.TrimSpace(daemon.stderr.String()), "\n") {
		require.True(t, json.Valid([]byte(line)), "log_format json: %s", line)
	}
}

// TestEveryPrometheusPanelReturnsData runs the PromQL of every Prometheus
// panel of the dashboards, with Grafana's interval variables expanded, on a
// real Prometheus scraping the real daemon while its catch-up publishes
// three generated months, and requires each to be valid and to return at
// least one series with a number. Prometheus scrapes the daemon before the
// first run (its roster is held on a named pipe), as it does a daemon that
// has been up for a while: the counts over the range include every run.
func TestEveryPrometheusPanelReturnsData(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	inbox := smallInbox(t, "2025-01", "2025-03")
	feed := fifoRoster(t, inbox, "2025-01")
	listen := freeAddr(t)
	daemon := startDaemonTestProcess(t, "serve", "--config", serveConfig(t, dsn, t.TempDir(), inbox, listen))
	waitServing(t, listen)
	from := time.Now()
	promAddr := startPrometheus(t, listen)

	published := func(want float64) func() bool {
		return func() bool {
			s := promQuery(t, promAddr, `zengshou_job_runs_total{job_name="etl-catchup",status="published"}`)
			return len(s) == 1 && s[0].value == want
		}
	}
	eventually(t, "Prometheus to scrape the daemon before its first run", published(0))
	feed()
	eventually(t, "Prometheus to scrape the catch-up's three runs", published(3))
	eventually(t, "Prometheus to scrape the latest period", func() bool {
		s := promQuery(t, promAddr, `zengshou_latest_published_period`)
		return len(s) == 1 && s[0].value == 202503
	})

	// Grafana's values for a dashboard range from Prometheus' start to now:
	// $__interval the step (here the scrape interval, the data source's
	// minimum), $__rate_interval max($__interval + scrape, 4 × scrape).
	to := time.Now()
	v := dashboards.PromValues{
		Range:        to.Sub(from).Truncate(time.Second) + time.Second,
		Interval:     promScrapeInterval,
		RateInterval: max(promScrapeInterval+promScrapeInterval, 4*promScrapeInterval),
	}
	queries := dashboards.PromQueries()
	require.NotEmpty(t, queries)
	for _, q := range queries {
		expr, err := dashboards.ExpandPromQL(q.Expr, v)
		require.NoError(t, err)
		path, params := "/api/v1/query", url.Values{"query": {expr}, "time": {unixSeconds(to)}}
		if q.Range {
			path = "/api/v1/query_range"
			params = url.Values{"query": {expr}, "start": {unixSeconds(from)}, "end": {unixSeconds(to)},
				"step": {strconv.Itoa(int(v.Interval / time.Second))}}
		}
		series, err := promAPI(promAddr, path, params)
		require.NoError(t, err, "%s / %s %s", q.Dashboard, q.Panel, q.RefID)
		points, finite, last := 0, 0, 0.0
		for _, s := range series {
			for i, x := range s.values {
				points++
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					finite++
					if i == len(s.values)-1 {
						last += x
					}
				}
			}
		}
		t.Logf("%s / %s %s: %d series, %d points, sum of the last values %.6g", q.Dashboard, q.Panel, q.RefID, len(series), points, last)
		require.NotEmpty(t, series, "%s / %s %s returned no series:\n%s", q.Dashboard, q.Panel, q.RefID, expr)
		require.Positive(t, finite, "%s / %s %s returned no number:\n%s", q.Dashboard, q.Panel, q.RefID, expr)
	}

	require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, exitOK, daemon.exitCode(t))
}

func unixSeconds(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64)
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestShutdownFinishesOrAbortsBeforePublication sends SIGTERM while the
// daemon's job is in the middle of its run (held on a named-pipe roster):
// within the grace period the run finishes and publishes; with no grace it
// is aborted and nothing of the period is published. Both exit 0.
func TestShutdownFinishesOrAbortsBeforePublication(t *testing.T) {
	for name, tc := range map[string]struct {
		grace      time.Duration
		wantStatus string
	}{
		"grace lets the run finish": {time.Minute, "published"},
		"no grace aborts the run":   {0, "failed"},
	} {
		t.Run(name, func(t *testing.T) {
			dsn := testenv.ClickHouse(t)
			dataDir := t.TempDir()
			inbox := smallInbox(t, "2025-01", "2025-01")
			feed := fifoRoster(t, inbox, "2025-01")
			conn := openConn(t, dsn)
			daemon := startDaemonTestProcess(t, "serve", "--config", serveConfigGrace(t, dsn, dataDir, inbox, freeAddr(t), tc.grace))
			eventually(t, "the daemon's run to start", func() bool {
				runs := periodRuns(t, conn, "2025-01")
				return len(runs) == 1 && runs[0].status == "running"
			})
			require.NoError(t, daemon.cmd.Process.Signal(syscall.SIGTERM))
			eventually(t, "the daemon to begin its shutdown", func() bool {
				return strings.Contains(daemon.stderr.String(), "shutting down")
			})
			if tc.grace == 0 {
				eventually(t, "the daemon to abort its job", func() bool {
					return strings.Contains(daemon.stderr.String(), "aborting running jobs")
				})
			}
			// Feed the roster to whoever reads it; if the aborted run never
			// opens it, open the pipe ourselves once the daemon is gone.
			fed := make(chan struct{})
			go func() { defer close(fed); feed() }()
			code := daemon.exitCode(t)
			select {
			case <-fed:
			default:
				f, err := os.OpenFile(filepath.Join(inbox, "2025-01", "roster.csv"), os.O_RDONLY|syscall.O_NONBLOCK, 0)
				require.NoError(t, err)
				<-fed
				f.Close()
			}
			require.Equal(t, exitOK, code, daemon.stderr.String())
			runs := periodRuns(t, conn, "2025-01")
			require.Len(t, runs, 1)
			require.Equal(t, tc.wantStatus, runs[0].status, runs[0].errText)
			var published uint64
			require.NoError(t, conn.QueryRow(context.Background(),
				"SELECT count() FROM indicator WHERE period = toDate('2025-01-01')").Scan(&published))
			if tc.wantStatus == "published" {
				require.Positive(t, published)
			} else {
				require.Zero(t, published, "nothing of an aborted run is published")
				require.Contains(t, runs[0].errText, "context canceled")
			}
		})
	}
}
