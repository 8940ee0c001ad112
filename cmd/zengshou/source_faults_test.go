package main

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/deptdb"
	"zengshou/internal/testenv"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// cuttingProxy forwards TCP connections to a database and, when cut is
// set, drops each connection once the server has sent that many bytes
// through it: the source's database going away in the middle of a result.
type cuttingProxy struct {
	ln     net.Listener
	target string
	cut    atomic.Int64 // bytes from the server after which a connection is dropped; 0: never
	budget atomic.Int64 // how many more connections may be dropped
	conns  atomic.Int64 // connections accepted
	cuts   atomic.Int64 // connections dropped
	mu     sync.Mutex
	sent   []int64 // bytes the server sent through each connection
}

func startCuttingProxy(t *testing.T, target string) *cuttingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &cuttingProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(client)
		}
	}()
	return p
}

func (p *cuttingProxy) addr() string { return p.ln.Addr().String() }

func (p *cuttingProxy) serve(client net.Conn) {
	defer client.Close()
	p.conns.Add(1)
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	go io.Copy(server, client) //nolint:errcheck // ends when either side closes
	limit := p.cut.Load()
	var n int64
	buf := make([]byte, 4096)
	for {
		k, err := server.Read(buf)
		if limit > 0 && n+int64(k) >= limit && p.budget.Add(-1) >= 0 {
			client.Write(buf[:limit-n]) //nolint:errcheck // the connection is dropped anyway
			p.cuts.Add(1)
			if tc, ok := client.(*net.TCPConn); ok {
				tc.SetLinger(0) //nolint:errcheck // a reset, as a dying server's host sends
			}
			return
		}
		if k > 0 {
			if _, werr := client.Write(buf[:k]); werr != nil {
				break
			}
			n += int64(k)
		}
		if err != nil {
			break
		}
	}
	p.mu.Lock()
	p.sent = append(p.sent, n)
	p.mu.Unlock()
}

// TestADepartmentDatabaseLostMidReadFailsTheRunClearly publishes 2025-01
// with its employment extract read from PostgreSQL (then MariaDB) through a
// TCP proxy. With the proxy dropping the first connection half-way through
// the result, the read resumes on a second one and the run publishes the
// same tables (ordered checksums). With the proxy dropping every
// connection half-way: `zengshou run` tries
// connect_attempts (3) connections, exits 1 with one line that names the
// source, the attempts and the lost connections (and not the password); the
// failed run is in etl_run and the previous publication is intact (the same
// ordered checksums, the same published run). With the proxy mended the
// next run publishes the same tables.
func TestADepartmentDatabaseLostMidReadFailsTheRunClearly(t *testing.T) {
	for _, kind := range []string{config.KindPostgres, config.KindMySQL} {
		t.Run(kind, func(t *testing.T) {
			var dsn string
			if kind == config.KindPostgres {
				dsn = testenv.Postgres(t)
			} else {
				dsn = testenv.MariaDB(t)
			}
			sc := &faultScene{t: t, dsn: testenv.ClickHouse(t), dataDir: t.TempDir(), inbox: t.TempDir()}
			cfg := synth.DefaultConfig()
			cfg.Households, cfg.From, cfg.To = faultHouseholds, "2025-01", "2025-01"
			cfg.Dirty.Ragged = 0 // a database row has no ragged form
			_, err := synth.Generate(t.Context(), cfg, sc.inbox)
			require.NoError(t, err)
			sc.key = filepath.Join(sc.dataDir, "hmac.key")
			require.NoError(t, os.WriteFile(sc.key, []byte("fault-test-key-0123456789abcdef\n"), 0o600))
			sc.connect()

			sources, err := deptdb.Load(t.Context(), kind, dsn, sc.inbox, []values.Month{values.NewMonth(2025, 1)})
			require.NoError(t, err)
			var src config.DatabaseSource
			for _, s := range sources {
				if s.Source == schemas.Employment {
					src = s
				}
			}
			require.NoError(t, os.Remove(filepath.Join(sc.inbox, "2025-01", schemas.Employment+".csv")))
			proxied, target := proxiedDSN(t, kind, dsn)
			proxy := startCuttingProxy(t, target)
			proxied = strings.ReplaceAll(proxied, "PROXY", proxy.addr())

			const secret = "s3cret-Pa55w0rd"
			var yml strings.Builder
			fmt.Fprintf(&yml, "sources:\n  - source: %s\n    kind: %s\n    dsn: %q\n    table: %s\n    period_column: %s\n    period_form: %s\n    order_by: [xh]\n    connect_attempts: 3\n    retry_backoff: 20ms\n",
				src.Source, kind, proxied, src.Table, src.PeriodColumn, src.PeriodForm)
			if kind == config.KindPostgres {
				yml.WriteString("    password_env: ZS_TEST_DB_PASSWORD\n") // trust: the server ignores it
			}
			yml.WriteString("    columns:\n")
			for db, logical := range src.Columns {
				fmt.Fprintf(&yml, "      %s: %s\n", db, logical)
			}
			cfgFile := filepath.Join(t.TempDir(), "zengshou.yaml")
			require.NoError(t, os.WriteFile(cfgFile, []byte(yml.String()), 0o600))
			run := func() *child {
				return startChild(t, []string{"ZS_TEST_DB_PASSWORD=" + secret}, "run", "--config", cfgFile, "--inbox", sc.inbox,
					"--period", "2025-01", "--clickhouse", sc.dsn, "--data-dir", sc.dataDir, "--hmac-key-file", sc.key, "--log-level", "warn")
			}

			c := run()
			require.Equal(t, exitOK, c.wait(t), "stderr: %s", c.stderr.String())
			ref, first := sc.checksums(), sc.publishedRun()
			proxy.mu.Lock()
			require.Len(t, proxy.sent, 1, "one connection to the department's database")
			whole := proxy.sent[0]
			proxy.mu.Unlock()

			proxy.cut.Store(whole / 2)
			proxy.budget.Store(1)
			c = run()
			require.Equal(t, exitOK, c.wait(t), "one connection dropped mid-read: the read resumes; stderr: %s", c.stderr.String())
			require.Equal(t, int64(1), proxy.cuts.Load())
			require.Equal(t, ref, sc.checksums(), "resumed, the same tables as a clean read's: no row lost or doubled")
			old := sc.publishedRun()
			require.NotEqual(t, first, old, "the resumed run published")

			proxy.budget.Store(100)
			before, cutsBefore := proxy.conns.Load(), proxy.cuts.Load()
			c = run()
			require.Equal(t, exitFailed, c.wait(t), "stderr: %s", c.stderr.String())
			line := stderrLine(t, c)
			t.Logf("%d of %d bytes, then dropped (%d connections): %s", whole/2, whole, proxy.conns.Load()-before, line)
			require.Contains(t, line, "reading "+kind+":"+src.Table+": giving up after 3 attempts")
			require.Contains(t, line, "the connection was lost mid-read 3 times; the previous publication stays")
			require.NotContains(t, line, secret)
			require.Equal(t, int64(3), proxy.cuts.Load()-cutsBefore, "three connections, each dropped mid-result")
			require.Equal(t, old, sc.publishedRun(), "the previous publication stays")
			require.Equal(t, ref, sc.checksums(), "and is intact")
			failed := sc.query("SELECT error FROM etl_run FINAL WHERE period = toDate('2025-01-01') AND status = 'failed'")
			// (one failed run: the resumed one published)
			require.Len(t, failed, 1)
			require.Contains(t, failed[0], "giving up after 3 attempts")
			require.NotContains(t, failed[0], secret)

			proxy.cut.Store(0)
			c = run()
			require.Equal(t, exitOK, c.wait(t), "stderr: %s", c.stderr.String())
			require.NotEqual(t, old, sc.publishedRun())
			require.Equal(t, ref, sc.checksums(), "the next run publishes the same tables")
		})
	}
}

// proxiedDSN returns the DSN with its address replaced by PROXY, and the
// address it named.
func proxiedDSN(t *testing.T, kind, dsn string) (string, string) {
	t.Helper()
	if kind == config.KindPostgres {
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		target := u.Host
		u.Host = "PROXY"
		return u.String(), target
	}
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	target := cfg.Addr
	cfg.Addr = "PROXY"
	return cfg.FormatDSN(), target
}
