package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// promQuery asks Prometheus' HTTP API for an instant vector.
func promQuery(t *testing.T, promAddr, query string) []promSample {
	t.Helper()
	resp, err := http.Get("http://" + promAddr + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Status != "success" {
		return nil
	}
	var out []promSample
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		out = append(out, promSample{r.Metric, v})
	}
	return out
}

type promSample struct {
	labels map[string]string
	value  float64
}

// TestPrometheusScrapesTheDaemon starts the daemon (its catch-up runs one
// period) and a real Prometheus scraping it, then finds the series in
// Prometheus with the values the run recorded in etl_run.
func TestPrometheusScrapesTheDaemon(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	promBin, err := exec.LookPath("prometheus")
	if errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("prometheus is not installed: run make deps (make test installs it)")
	}
	inbox := smallInbox(t, "2025-01", "2025-01")
	listen := freeAddr(t)
	daemon := startDaemonTestProcess(t, "serve", "--config", serveConfig(t, dsn, t.TempDir(), inbox, listen))

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
	conn := openConn(t, dsn)
	eventually(t, "the catch-up to publish", func() bool {
		runs := periodRuns(t, conn, "2025-01")
		return len(runs) == 1 && runs[0].status == "published"
	})
	var rosterAccepted uint64
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT rows_accepted[indexOf(sources, 'roster')] FROM etl_run FINAL WHERE status = 'published'").Scan(&rosterAccepted))

	promDir := t.TempDir()
	promAddr := freeAddr(t)
	require.NoError(t, os.WriteFile(filepath.Join(promDir, "prometheus.yml"), []byte(fmt.Sprintf(`global:
  scrape_interval: 1s
scrape_configs:
  - job_name: zengshou
    static_configs:
      - targets: ['%s']
`, listen)), 0o644))
	prom := exec.Command(promBin, "--config.file="+filepath.Join(promDir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(promDir, "data"), "--web.listen-address="+promAddr)
	promLog, err := os.Create(filepath.Join(promDir, "prometheus.log"))
	require.NoError(t, err)
	defer promLog.Close()
	prom.Stdout, prom.Stderr = promLog, promLog
	require.NoError(t, prom.Start())
	t.Cleanup(func() {
		_ = prom.Process.Signal(syscall.SIGTERM)
		_ = prom.Wait()
	})

	var got []promSample
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(promLog.Name())
			t.Logf("prometheus log:\n%s", b)
		}
	})
	eventually(t, "Prometheus to have scraped the run", func() bool {
		got = promQuery(t, promAddr, `zengshou_job_runs_total{job_name="etl-catchup"}`)
		return len(got) > 0
	})
	require.Len(t, got, 1)
	require.Equal(t, "published", got[0].labels["status"])
	require.Equal(t, 1.0, got[0].value)

	roster := promQuery(t, promAddr, `zengshou_rows_total{source="roster",outcome="accepted"}`)
	require.Len(t, roster, 1)
	require.Equal(t, float64(rosterAccepted), roster[0].value, "the rows etl_run recorded")

	period := promQuery(t, promAddr, `zengshou_latest_published_period`)
	require.Len(t, period, 1)
	require.Equal(t, 202501.0, period[0].value)

	// One series per province indicator with a target, equal to value/target
	// of the indicator table.
	want := map[string]float64{}
	rows, err := conn.Query(context.Background(), `SELECT indicator_code, value / assumeNotNull(target) FROM indicator
WHERE region_level = 'province' AND period = toDate('2025-01-01') AND target IS NOT NULL AND target != 0`)
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
