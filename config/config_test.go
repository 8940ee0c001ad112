package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaultParamsAreDomainMd(t *testing.T) {
	p := DefaultParams()
	require.Len(t, p.KeyCounties, 25)
	require.True(t, p.IsKeyCounty("360731"))
	require.False(t, p.IsKeyCounty("360102"))
	require.Equal(t, 1309000.0, p.Targets.EmployedPersons)
	require.Equal(t, 14e9, p.Targets.HelpSalesYuan)
	require.Equal(t, 20000.0, p.Targets.VocationalEnrollment)
	for year, want := range map[int]YearParams{
		2023: {RuralIncome: 21358, IncomeRatioTarget: 0.85, MonitoringLine: 7300, DibaoStandard: 6960, MedicalOOPThreshold: 5000},
		2024: {RuralIncome: 22673, IncomeRatioTarget: 0.88, MonitoringLine: 7600, DibaoStandard: 7320, MedicalOOPThreshold: 5000},
		2025: {RuralIncome: 24033, IncomeRatioTarget: 0.90, MonitoringLine: 7900, DibaoStandard: 7680, MedicalOOPThreshold: 5000},
	} {
		got, err := p.Year(year)
		require.NoError(t, err)
		require.NotEmpty(t, got.Source, "every year names its source")
		got.Source, got.NationalRuralGrowth = "", nil
		require.Equal(t, want, got, "year %d", year)
	}
	_, err := p.Year(2031)
	require.ErrorContains(t, err, "2031")
}

func TestLoadParamsRejectsUnknownKeysAndBadValues(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ yaml, err string }{
		"unknown key":     {"key_counties: []\nbogus: 1\n", "bogus"},
		"short county":    {"key_counties: ['3607']\n", "3607"},
		"zero line":       {"years:\n  2025: {rural_income: 1, monitoring_line: 0, dibao_standard: 1}\n", "monitoring_line"},
		"negative income": {"years:\n  2025: {rural_income: -1, monitoring_line: 1, dibao_standard: 1}\n", "rural_income"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".yaml")
			require.NoError(t, os.WriteFile(path, []byte(tc.yaml), 0o644))
			_, err := LoadParams(path)
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestConfigPrecedenceFileThenEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zengshou.yaml")
	require.NoError(t, os.WriteFile(path, []byte("clickhouse: clickhouse://file:9000/a\ninbox: /in\nlog_level: warn\n"), 0o644))
	c, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, "clickhouse://file:9000/a", c.ClickHouse)
	require.Equal(t, ".zengshou", c.DataDir, "defaults stay for keys the file lacks")
	env := map[string]string{EnvClickHouse: "clickhouse://env:9000/b"}
	c.ApplyEnv(func(k string) string { return env[k] })
	require.Equal(t, "clickhouse://env:9000/b", c.ClickHouse)
	require.Equal(t, "/in", c.Inbox)
	require.NoError(t, c.Validate())

	require.NoError(t, os.WriteFile(path, []byte("clickhous: typo\n"), 0o644))
	_, err = Load(path)
	require.ErrorContains(t, err, "clickhous")

	c.LogLevel = "loud"
	require.ErrorContains(t, c.Validate(), "loud")
}

func TestHMACKey(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	_, err := Default().HMACKey(noEnv)
	require.ErrorIs(t, err, ErrNoKey)

	key, err := Default().HMACKey(func(k string) string {
		if k == EnvHMACKey {
			return " from-the-environment-0123 "
		}
		return ""
	})
	require.NoError(t, err)
	require.Equal(t, "from-the-environment-0123", string(key))

	c := Default()
	c.HMACKeyFile = filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(c.HMACKeyFile, []byte("0123456789abcdef0123\n"), 0o600))
	key, err = c.HMACKey(noEnv)
	require.NoError(t, err)
	require.Equal(t, "0123456789abcdef0123", string(key))

	require.NoError(t, os.WriteFile(c.HMACKeyFile, []byte("short\n"), 0o600))
	_, err = c.HMACKey(noEnv)
	require.ErrorContains(t, err, "shorter than 16")

	// A short key in the environment is refused here too, not later in the run.
	_, err = Default().HMACKey(func(k string) string {
		if k == EnvHMACKey {
			return "short"
		}
		return ""
	})
	require.ErrorContains(t, err, EnvHMACKey+": key shorter than 16 bytes")
}

func TestClickHousePortFromEnvironment(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvClickHousePort {
				return v
			}
			return ""
		}
	}
	c := Default()
	c.ApplyEnv(env("19000"))
	require.NoError(t, c.Validate())
	require.Equal(t, 19000, c.ClickHousePort)

	c = Default()
	c.ApplyEnv(env("nine"))
	require.ErrorContains(t, c.Validate(), `config clickhouse_port: ZENGSHOU_CLICKHOUSE_PORT "nine" is not a number`)

	c = Default()
	c.ClickHousePort = 70000
	require.ErrorContains(t, c.Validate(), "config clickhouse_port: 70000")
}

// TestConfigExampleIsValid keeps docs/config-example.yaml, the example with
// every key, loadable and valid; its commented-out cluster section too,
// which, uncommented in place of the clickhouse DSN, is valid.
func TestConfigExampleIsValid(t *testing.T) {
	c, err := Load("../docs/config-example.yaml")
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Len(t, c.Sources, 2)
	require.Equal(t, 2*time.Second, c.Sources[0].RetryBackoff)
	require.Equal(t, []string{"jsrq", "lsh"}, c.Sources[0].OrderBy)
	require.Equal(t, "个人自付", c.Sources[0].Columns["grzf"])
	require.Nil(t, c.Cluster, "the cluster section is commented out")

	b, err := os.ReadFile("../docs/config-example.yaml")
	require.NoError(t, err)
	var lines []string
	inCluster := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "clickhouse:"):
			continue
		case l == "# cluster:":
			inCluster = true
		case !strings.HasPrefix(l, "#   "):
			inCluster = false
		}
		if inCluster {
			l = strings.TrimPrefix(l, "# ")
		}
		lines = append(lines, l)
	}
	path := filepath.Join(t.TempDir(), "cluster.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644))
	c, err = Load(path)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, "jiangxi", c.Cluster.Name)
	require.Len(t, c.Cluster.Shards, 2)
}

// TestAClusterExcludesTheClickHouseDSN: a cluster's shards give their own
// DSNs, so a configuration with both is refused, naming both keys.
func TestAClusterExcludesTheClickHouseDSN(t *testing.T) {
	c := Default()
	c.ClickHouse = "clickhouse://w:secret@10.1.0.10:9000/zengshou"
	c.Cluster = &Cluster{Name: "jiangxi", Shards: []Shard{{DSN: "clickhouse://w:secret@10.1.0.11:9000/zengshou"}}}
	err := c.Validate()
	require.ErrorContains(t, err, "config clickhouse (ZENGSHOU_CLICKHOUSE, --clickhouse) and cluster are both set")
	require.NotContains(t, err.Error(), "secret")
	c.ClickHouse = ""
	require.NoError(t, c.Validate())
}

func TestDatabaseSourceValidate(t *testing.T) {
	ok := DatabaseSource{Source: "civil", Kind: KindPostgres, DSN: "postgres://etl@db/mz", Table: "mz_ff",
		PeriodColumn: "ffny", PeriodForm: PeriodCompactText, Columns: map[string]string{"sfzh": "id_number"}}
	require.NoError(t, ok.Validate())
	for _, tt := range []struct {
		name string
		edit func(*DatabaseSource)
		want string
	}{
		{"kind", func(d *DatabaseSource) { d.Kind = "oracle" }, `config sources[civil] kind: "oracle" is not postgres or mysql`},
		{"no dsn", func(d *DatabaseSource) { d.DSN = "" }, "config sources[civil] dsn: empty"},
		{"two passwords", func(d *DatabaseSource) { d.PasswordEnv, d.PasswordFile = "A", "b" }, "set password_env or password_file, not both"},
		{"table and query", func(d *DatabaseSource) { d.Query = "SELECT 1" }, "set exactly one of table and query"},
		{"period form", func(d *DatabaseSource) { d.PeriodForm = "month" }, `period_form: "month" is not date, yyyy-mm, yyyymm or yyyymm-text`},
		{"no columns", func(d *DatabaseSource) { d.Columns = nil }, "columns: empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.edit(&d)
			require.ErrorContains(t, d.Validate(), tt.want)
		})
	}
}

func TestAClusterNamesItsShardsInOneDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zengshou.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`cluster:
  name: jiangxi
  shards:
    - dsn: clickhouse://zengshou_writer:s1@10.1.0.11:9000/zengshou
    - dsn: clickhouse://zengshou_writer:s2@10.1.0.12:9000/zengshou
`), 0o644))
	c, err := Load(path)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, "jiangxi", c.Cluster.Name)
	require.Len(t, c.Cluster.Shards, 2)
	require.Equal(t, "zengshou", c.Cluster.Database())
	require.False(t, c.Cluster.Replicated, "plain MergeTree unless asked")
	require.Nil(t, Default().Cluster, "one server by default")
}

func TestClusterValidateSaysWhichShardIsWrong(t *testing.T) {
	shard := func(dsn string) Shard { return Shard{DSN: dsn} }
	a, b := shard("clickhouse://w:secret@10.1.0.11:9000/zengshou"), shard("clickhouse://w:secret@10.1.0.12:9000/zengshou")
	for name, tc := range map[string]struct {
		cluster Cluster
		want    string
	}{
		"no name":         {Cluster{Shards: []Shard{a}}, `config cluster.name: "" is not a cluster name`},
		"name with dash":  {Cluster{Name: "jiang-xi", Shards: []Shard{a}}, `config cluster.name: "jiang-xi"`},
		"no shards":       {Cluster{Name: "c"}, "config cluster.shards: empty"},
		"empty dsn":       {Cluster{Name: "c", Shards: []Shard{a, shard(" ")}}, "config cluster.shards[2].dsn: empty"},
		"http scheme":     {Cluster{Name: "c", Shards: []Shard{shard("http://w:secret@10.1.0.11:8123/zengshou")}}, "config cluster.shards[1].dsn: scheme http is not clickhouse://"},
		"two databases":   {Cluster{Name: "c", Shards: []Shard{a, shard("clickhouse://w:secret@10.1.0.12:9000/other")}}, "config cluster.shards[2].dsn: database other, but shard 1 names zengshou"},
		"default differs": {Cluster{Name: "c", Shards: []Shard{shard("clickhouse://w@10.1.0.11:9000/wh"), shard("clickhouse://w@10.1.0.12:9000")}}, "database zengshou, but shard 1 names wh"},
		"unparsable":      {Cluster{Name: "c", Shards: []Shard{shard("clickhouse://w:secret@10.1.0.11:9000/zengshou?dial_timeout=soon")}}, "config cluster.shards[1].dsn: "},
		"a server twice":  {Cluster{Name: "c", Shards: []Shard{a, b, a}}, "config cluster.shards[3].dsn: server 10.1.0.11:9000 is shard 1 already"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Config{Cluster: &tc.cluster, LogLevel: "info", DataDir: "d", Serve: DefaultServe()}.Validate()
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), "secret", "no password in the message")
		})
	}
}
