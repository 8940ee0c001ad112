package clusterddl

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden SQL files under testdata/")

func generate(t *testing.T, opts Options) Schema {
	t.Helper()
	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	s, err := Generate(schemas.Tables, migrations, opts)
	require.NoError(t, err)
	return s
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run %s -update to write %s", t.Name(), path)
	require.Equal(t, string(want), got, "the cluster DDL changed: check the diff, then go test -update")
}

func TestTheClusterDDLIsTheGoldenSQL(t *testing.T) {
	s := generate(t, Options{Cluster: "zengshou_cluster", Database: "zengshou"})
	golden(t, "cluster.sql", strings.Join(s.Statements(), ";\n\n")+";\n")
}

func TestTheReplicatedClusterDDLIsTheGoldenSQL(t *testing.T) {
	s := generate(t, Options{Cluster: "zengshou_cluster", Database: "zengshou", Replicated: true})
	golden(t, "cluster_replicated.sql", strings.Join(s.Statements(), ";\n\n")+";\n")
}

func TestEveryTableHasItsPlacementAndShardingKey(t *testing.T) {
	s := generate(t, Options{Cluster: "c", Database: "zengshou"})
	want := map[string]struct {
		placement Placement
		local     string
		key       string
	}{
		"person_month":    {Sharded, "person_month_local", "cityHash64(county_code)"},
		"household_year":  {Sharded, "household_year_local", "cityHash64(county_code)"},
		"discrepancy":     {Sharded, "discrepancy_local", "cityHash64(county_code)"},
		"sales_month":     {Sharded, "sales_month_local", "cityHash64(county_code)"},
		"indicator":       {Sharded, "indicator_local", "cityHash64(region_code)"},
		"quarantine":      {Sharded, "quarantine_local", "rand()"},
		"dim_county":      {EveryShard, "dim_county", ""},
		"dim_indicator":   {EveryShard, "dim_indicator", ""},
		"dim_rule":        {EveryShard, "dim_rule", ""},
		"dim_reason":      {EveryShard, "dim_reason", ""},
		"etl_run":         {EveryShard, "etl_run", ""},
		"report":          {EveryShard, "report", ""},
		"stale_period":    {EveryShard, "stale_period", ""},
		"key_fingerprint": {EveryShard, "key_fingerprint", ""},
	}
	require.Len(t, s.Tables, len(want), "every table of schemas.Tables has a placement")
	for _, tb := range s.Tables {
		w, ok := want[tb.Name]
		require.True(t, ok, "table %s", tb.Name)
		require.Equal(t, w.placement, tb.Placement, tb.Name)
		require.Equal(t, w.local, tb.Local, tb.Name)
		require.Equal(t, w.key, tb.ShardingKey, tb.Name)
		require.True(t, strings.HasPrefix(tb.CreateLocal, "CREATE TABLE IF NOT EXISTS "+w.local+" ("), tb.Name)
		if w.placement == Sharded {
			require.True(t, strings.HasSuffix(tb.CreateDistributed, ") ENGINE = Distributed(c, zengshou, "+w.local+", "+w.key+")"), tb.Name)
		} else {
			require.Empty(t, tb.CreateDistributed, "%s is whole on every shard: no Distributed table", tb.Name)
		}
	}
}

func TestTheShardLocalTablesKeepTheSingleNodeEnginesAndComments(t *testing.T) {
	s := generate(t, Options{Cluster: "c", Database: "zengshou"})
	byName := map[string]Table{}
	for _, tb := range s.Tables {
		byName[tb.Name] = tb
	}
	pm := byName["person_month"].CreateLocal
	require.True(t, strings.HasSuffix(pm, ") ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (county_code, household_key, person_key)"),
		"person_month_local is partitioned and ordered as on one node, so REPLACE PARTITION publishes a period per shard")
	require.Contains(t, pm, "deceased UInt8 COMMENT '是否死亡 1 = registered dead by the end of the period", "the comment migration 0003 gave")
	require.Contains(t, pm, "death_date Nullable(Date) COMMENT '死亡日期 of the latest registration", "the column of 0002 as 0003 left it")
	require.Contains(t, byName["indicator"].CreateLocal, "stale UInt8 DEFAULT 0 COMMENT '数据过期", "DEFAULT kept (migration 0005)")
	require.True(t, strings.HasSuffix(byName["report"].CreateLocal, ") ENGINE = ReplacingMergeTree(version) PARTITION BY toYear(period) ORDER BY (kind, period)"),
		"report as migration 0007 recreated it")
	require.Equal(t, uint32(11), s.Version, "the schema is that of the last migration")
	for _, tb := range s.Tables {
		require.NotContains(t, tb.CreateLocal, "COMMENT ''", "every column of %s keeps its COMMENT", tb.Name)
	}
}

func TestReplicatedTablesNameTheirShardAndReplica(t *testing.T) {
	s := generate(t, Options{Cluster: "c", Database: "zengshou", Replicated: true})
	byName := map[string]Table{}
	for _, tb := range s.Tables {
		byName[tb.Name] = tb
	}
	require.Contains(t, byName["person_month"].CreateLocal,
		") ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/zengshou/person_month_local', '{replica}') PARTITION BY toYYYYMM(period)")
	require.Contains(t, byName["etl_run"].CreateLocal,
		") ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/zengshou/etl_run', '{replica}', version) ORDER BY run_id")
	require.Contains(t, byName["person_month"].CreateDistributed, "ENGINE = Distributed(c, zengshou, person_month_local, cityHash64(county_code))",
		"the Distributed table is the same with or without replication")
}

func TestGenerateRefusesWhatItCannotPlaceOrName(t *testing.T) {
	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		tables []schemas.Table
		opts   Options
		err    string
	}{
		"cluster name with a space": {schemas.Tables, Options{Cluster: "my cluster", Database: "zengshou"}, `cluster name "my cluster" is not an identifier`},
		"database with a dash":      {schemas.Tables, Options{Cluster: "c", Database: "zeng-shou"}, `database "zeng-shou" is not an identifier`},
		"a table no migration creates": {[]schemas.Table{{Name: "nowhere", Columns: []schemas.TableColumn{{Name: "a", Type: "String"}}}},
			Options{Cluster: "c", Database: "zengshou"}, "nowhere: no migration creates it"},
		"a column type the migrations do not give": {[]schemas.Table{{Name: "dim_reason", Dimension: true, Columns: []schemas.TableColumn{{Name: "reason_code", Type: "UInt8"}, {Name: "reason_name", Type: "String"}, {Name: "action", Type: "String"}}}},
			Options{Cluster: "c", Database: "zengshou"}, "column 1 is reason_code String after the migrations, reason_code UInt8 in schemas.Tables"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Generate(tc.tables, migrations, tc.opts)
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestATableWithoutCountyCodeNeedsAPlacement(t *testing.T) {
	migrations := []schemas.Migration{{Version: 1, Name: "0001_x.sql", Statements: []string{
		"CREATE TABLE IF NOT EXISTS audit (\n    at DateTime COMMENT 'when'\n) ENGINE = MergeTree() ORDER BY at",
	}}}
	_, err := Generate([]schemas.Table{{Name: "audit", Columns: []schemas.TableColumn{{Name: "at", Type: "DateTime"}}}}, migrations, Options{Cluster: "c", Database: "d"})
	require.ErrorContains(t, err, "audit: no county_code and no placement")
}

func TestTheReplayRefusesAStatementItDoesNotUnderstand(t *testing.T) {
	migrations := []schemas.Migration{{Version: 1, Name: "0001_x.sql", Statements: []string{
		"ALTER TABLE t MODIFY COLUMN a UInt16",
	}}}
	_, err := Generate(nil, migrations, Options{Cluster: "c", Database: "d"})
	require.ErrorContains(t, err, "replaying migration 0001_x.sql statement 1: statement not understood")
}

func TestTheConfigsClusterSectionGivesTheOptions(t *testing.T) {
	c := config.Cluster{Name: "jiangxi", Replicated: true, Shards: []config.Shard{
		{DSN: "clickhouse://w@10.1.0.11:9000/wh"}, {DSN: "clickhouse://w@10.1.0.12:9000/wh"},
	}}
	require.Equal(t, Options{Cluster: "jiangxi", Database: "wh", Replicated: true}, ForCluster(c))
	c.Shards = []config.Shard{{DSN: "clickhouse://w@10.1.0.11:9000"}}
	require.Equal(t, "zengshou", ForCluster(c).Database, "a DSN without a database means zengshou, as for the sink")
}
