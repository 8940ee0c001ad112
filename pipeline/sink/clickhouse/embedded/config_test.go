package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(*Config)
		wantErr string
	}{
		{name: "default is valid", edit: func(*Config) {}},
		{name: "explicit binary", edit: func(c *Config) { c.Binary = "/opt/clickhouse/clickhouse" }},
		{name: "empty data dir", edit: func(c *Config) { c.DataDir = " " }, wantErr: `data_dir " "`},
		{name: "binary with spaces", edit: func(c *Config) { c.Binary = " clickhouse" }, wantErr: `binary " clickhouse"`},
		{name: "zero timeout", edit: func(c *Config) { c.StartTimeout = 0 }, wantErr: "start_timeout 0s"},
		{name: "pinned port", edit: func(c *Config) { c.Port = 9000 }},
		{name: "negative port", edit: func(c *Config) { c.Port = -1 }, wantErr: "port -1"},
		{name: "port too large", edit: func(c *Config) { c.Port = 70000 }, wantErr: "port 70000"},
		{name: "negative timeout", edit: func(c *Config) { c.StartTimeout = -time.Second }, wantErr: "start_timeout -1s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestCommandForSingleBinaryAddsServer(t *testing.T) {
	require.Equal(t, []string{"server"}, commandFor("/usr/bin/clickhouse").args)
	require.Empty(t, commandFor("/usr/sbin/clickhouse-server").args)
}

func TestWriteConfigKeepsEverythingUnderDataDir(t *testing.T) {
	l, err := newLayout(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, writeConfig(l, 12345, passwords{analyst: "secret", writer: "inkpot"}, nil))

	server, err := os.ReadFile(l.configFile())
	require.NoError(t, err)
	s := string(server)
	require.Contains(t, s, "<listen_host>127.0.0.1</listen_host>")
	require.Contains(t, s, "<tcp_port>12345</tcp_port>")
	require.NotContains(t, s, "http_port", "HTTP and interserver listeners stay closed")
	require.Contains(t, s, "<path>"+filepath.Join(l.dir, "data")+"/</path>")
	require.Contains(t, s, "<level>warning</level>")

	users, err := os.ReadFile(l.usersFile())
	require.NoError(t, err)
	u := string(users)
	require.Contains(t, u, "<ip>127.0.0.1</ip>")
	require.Contains(t, u, "<ip>::1</ip>")
	require.Equal(t, 1, strings.Count(u, "<password></password>"))
}

func TestUsersXMLHasTheWriterAndTheReadOnlyAnalyst(t *testing.T) {
	l, err := newLayout(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, writeConfig(l, 12345, passwords{analyst: "secret", writer: "inkpot"}, nil))
	users, err := os.ReadFile(l.usersFile())
	require.NoError(t, err)
	u := string(users)
	require.NotContains(t, u, ">secret<", "only the hashes are in users.xml")
	require.NotContains(t, u, ">inkpot<", "only the hashes are in users.xml")
	require.Contains(t, u, "<readonly>2</readonly>")

	user := func(name string) string {
		start := strings.Index(u, "<"+name+">")
		end := strings.Index(u, "</"+name+">")
		require.True(t, start >= 0 && end > start, "users.xml has %s", name)
		return u[start:end]
	}
	analyst := user("analyst")
	// sha256("secret")
	require.Contains(t, analyst, "<password_sha256_hex>2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b</password_sha256_hex>")
	require.Contains(t, analyst, "<profile>readonly</profile>")
	writer := user(WriterUser)
	// sha256("inkpot")
	require.Contains(t, writer, "<password_sha256_hex>f73f8371eba66d79b17920864e7c8f58dd9dda11bee39927537fb4ca0094ad7b</password_sha256_hex>")
	require.Contains(t, writer, "<profile>default</profile>")
	require.Contains(t, writer, "<ip>127.0.0.1</ip>")
}

func TestEnsurePasswordsAreStableAndPrivate(t *testing.T) {
	l, err := newLayout(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(l.dir, 0o750))
	first, err := ensurePasswords(l)
	require.NoError(t, err)
	require.Len(t, first.analyst, 32)
	require.Len(t, first.writer, 32)
	require.NotEqual(t, first.analyst, first.writer, "each account has its own password")
	again, err := ensurePasswords(l)
	require.NoError(t, err)
	require.Equal(t, first, again)
	for _, file := range []string{l.analystFile(), l.writerFile()} {
		info, err := os.Stat(file)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), file)
	}
}

func TestASingleServerHasNoRemoteServers(t *testing.T) {
	l, err := newLayout(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, writeConfig(l, 12345, passwords{analyst: "a", writer: "w"}, nil))
	server, err := os.ReadFile(l.configFile())
	require.NoError(t, err)
	require.NotContains(t, string(server), "remote_servers", "the single-node configuration is unchanged")
}

func TestClustersAreWrittenToRemoteServers(t *testing.T) {
	l, err := newLayout(t.TempDir())
	require.NoError(t, err)
	clusters := []RemoteCluster{{Name: "two_shards", Shards: []string{"127.0.0.1:19001", "127.0.0.1:19002"}, DefaultDatabase: "zengshou"}}
	require.NoError(t, writeConfig(l, 19001, passwords{analyst: "a", writer: "w"}, clusters))
	server, err := os.ReadFile(l.configFile())
	require.NoError(t, err)
	s := strings.Join(strings.Fields(string(server)), "")
	require.Contains(t, s, "<remote_servers><two_shards>"+
		"<shard><replica><host>127.0.0.1</host><port>19001</port><default_database>zengshou</default_database></replica></shard>"+
		"<shard><replica><host>127.0.0.1</host><port>19002</port><default_database>zengshou</default_database></replica></shard>"+
		"</two_shards></remote_servers>")
}

func TestValidateRejectsABadCluster(t *testing.T) {
	for name, tc := range map[string]struct {
		cluster RemoteCluster
		err     string
	}{
		"name with a dash": {RemoteCluster{Name: "two-shards", Shards: []string{"127.0.0.1:9000"}}, `cluster name "two-shards": must be an identifier`},
		"no shards":        {RemoteCluster{Name: "c"}, "cluster c: no shards"},
		"bad database":     {RemoteCluster{Name: "c", Shards: []string{"127.0.0.1:9000"}, DefaultDatabase: "a b"}, `cluster c: default database "a b": must be an identifier`},
		"no port":          {RemoteCluster{Name: "c", Shards: []string{"127.0.0.1"}}, `cluster c shard 1: "127.0.0.1" is not host:port`},
		"port zero":        {RemoteCluster{Name: "c", Shards: []string{"127.0.0.1:9000", "127.0.0.1:0"}}, `cluster c shard 2: port "0" is not between 1 and 65535`},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Clusters = []RemoteCluster{tc.cluster}
			require.ErrorContains(t, cfg.Validate(), tc.err)
		})
	}
}
