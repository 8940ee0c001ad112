package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConfigurationErrorsNameTheKeyAndTheValue: every configuration error
// exits 2 with one line on stderr naming the key (or flag) and the bad
// value, and never the DSN's password; nothing is started.
func TestConfigurationErrorsNameTheKeyAndTheValue(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), mode))
		require.NoError(t, os.Chmod(path, mode)) // whatever the umask
		return path
	}
	inbox := filepath.Join(dir, "inbox")
	require.NoError(t, os.MkdirAll(filepath.Join(inbox, "2025-01"), 0o755))
	key := write("ok.key", "config-test-key-0123456789abcdef\n", 0o600)
	open := write("open.key", "config-test-key-0123456789abcdef\n", 0o644)
	unknown := write("unknown.yaml", "clickhouse_prot: 9000\n", 0o644)
	nested := write("nested.yaml", "serve:\n  etl:\n    shedule: \"0 3 5 * *\"\n", 0o644)
	cron := write("cron.yaml", "serve:\n  etl:\n    schedule: \"61 * * * *\"\n", 0o644)
	cluster := write("cluster.yaml", "cluster:\n  name: jiangxi\n  shards:\n    - dsn: clickhouse://zs:s3cret@10.1.0.11:9000/zengshou\n    - dsn: clickhouse://zs:s3cret@10.1.0.12:9000/other\n", 0o644)
	oneCluster := write("one-cluster.yaml", "cluster:\n  name: jiangxi\n  shards:\n    - dsn: clickhouse://zs:s3cret@10.1.0.11:9000/zengshou\n", 0o644)
	run := func(extra ...string) []string {
		return append([]string{"run", "--inbox", inbox, "--period", "2025-01", "--data-dir", filepath.Join(dir, "data")}, extra...)
	}
	for name, tc := range map[string]struct {
		args []string
		want []string
	}{
		"unknown key":             {run("--config", unknown, "--hmac-key-file", key), []string{"unknown key clickhouse_prot", "line 1"}},
		"unknown nested key":      {run("--config", nested, "--hmac-key-file", key), []string{"unknown key shedule", "line 3"}},
		"shards of two databases": {run("--config", cluster, "--hmac-key-file", key), []string{"config cluster.shards[2].dsn", "database other, but shard 1 names zengshou"}},
		"cluster and a DSN":       {run("--config", oneCluster, "--hmac-key-file", key, "--clickhouse", "clickhouse://zs:s3cret@10.1.0.10:9000/zengshou"), []string{"config clickhouse (ZENGSHOU_CLICKHOUSE, --clickhouse) and cluster are both set"}},
		"bad cron spec":           {[]string{"serve", "--config", cron, "--data-dir", filepath.Join(dir, "data")}, []string{"serve.etl.schedule", "61 * * * *"}},
		"bad DSN port":            {run("--hmac-key-file", key, "--clickhouse", "clickhouse://zs:s3cret@db.example:abc/zengshou"), []string{"clickhouse dsn", "db.example:abc", "zs:***@"}},
		"DSN of the HTTP port":    {run("--hmac-key-file", key, "--clickhouse", "http://zs:s3cret@db.example:8123/zengshou"), []string{"clickhouse dsn", "scheme http", "zs:***@"}},
		"parameter year missing":  {run("--hmac-key-file", key, "--period", "2019-01"), []string{"params.years", "2019"}},
		"key file missing":        {run("--hmac-key-file", filepath.Join(dir, "none.key")), []string{"HMAC key file", "none.key", "no such file"}},
		"key file open to others": {run("--hmac-key-file", open), []string{"HMAC key file", "open.key", "0644"}},
		"bad log level":           {run("--hmac-key-file", key, "--log-level", "loud"), []string{"log_level", "loud"}},
		"embedded port too high":  {append(run("--hmac-key-file", key), "--clickhouse-port", "70000"), []string{"clickhouse_port", "70000"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("ZENGSHOU_HMAC_KEY", "")
			code, stderr := stderrOf(t, tc.args...)
			require.Equal(t, exitUsage, code, stderr)
			line := strings.TrimSuffix(stderr, "\n")
			require.NotContains(t, line, "\n", "one line")
			for _, w := range tc.want {
				require.Contains(t, line, w)
			}
			require.NotContains(t, line, "s3cret", "the password is redacted")
			_, err := os.Stat(filepath.Join(dir, "data", "clickhouse"))
			require.ErrorIs(t, err, os.ErrNotExist, "no server was started")
		})
	}
}
