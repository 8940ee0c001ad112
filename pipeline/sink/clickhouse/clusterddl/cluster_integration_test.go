package clusterddl_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"zengshou/internal/chcompat"
	"zengshou/internal/testenv"
	sink "zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/clusterddl"
	"zengshou/schemas"
)

// personsPerCounty is how many person_month rows the test writes per county.
const personsPerCounty = 40

func open(t *testing.T, dsn string) driver.Conn {
	t.Helper()
	opts, err := clickhouse.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// TestTwoShardsHoldEachCountyWholeAndDistributedReadsSeeBoth creates the
// generated cluster schema on two local servers (two shards of one
// cluster), writes a month of two counties through the Distributed
// person_month with synchronous distributed inserts, and checks that each
// county's rows sit whole on the shard its sharding key names, and that a
// Distributed SELECT on either shard returns exactly the rows of both.
func TestTwoShardsHoldEachCountyWholeAndDistributedReadsSeeBoth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl := testenv.Cluster(t, 2)
	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	schema, err := clusterddl.Generate(schemas.Tables, migrations, clusterddl.Options{Cluster: cl.Name, Database: cl.Database})
	require.NoError(t, err)

	shards := make([]driver.Conn, len(cl.Shards))
	for i, s := range cl.Shards {
		shards[i] = open(t, s.DSN)
		for _, stmt := range schema.Statements() {
			require.NoError(t, shards[i].Exec(ctx, stmt), "shard %d: %s", i+1, stmt)
		}
	}

	t.Run("every shard has the single node's tables: columns, types, defaults, comments and engines", func(t *testing.T) {
		// A single node migrated by the sink, on the make test server.
		single := testenv.ClickHouse(t)
		cfg := sink.DefaultConfig()
		cfg.DSN = single
		node := sink.New(cfg, slog.New(slog.DiscardHandler))
		require.NoError(t, node.Connect(ctx))
		defer node.Close()
		nodeConn := open(t, single)
		for i, conn := range shards {
			for _, tb := range schema.Tables {
				want := describe(t, ctx, nodeConn, tb.Name)
				require.Equal(t, want.columns, describe(t, ctx, conn, tb.Local).columns, "shard %d table %s", i+1, tb.Local)
				require.Equal(t, want.engine, describe(t, ctx, conn, tb.Local).engine, "shard %d table %s", i+1, tb.Local)
				if tb.CreateDistributed != "" {
					d := describe(t, ctx, conn, tb.Name)
					require.Equal(t, want.columns, d.columns, "shard %d Distributed table %s", i+1, tb.Name)
					require.Equal(t, fmt.Sprintf("Distributed(%s, %s, %s, %s)", cl.Name, cl.Database, tb.Local, tb.ShardingKey), d.engine)
				}
			}
		}
	})

	// Two counties the sharding key sends to different shards: a
	// Distributed table of shards with weight 1 sends a row to shard
	// (key % 2) + 1.
	var counties [2]schemas.County
	var found [2]bool
	for _, c := range schemas.MustLoadRegions().Counties() {
		var slot uint64
		require.NoError(t, shards[0].QueryRow(ctx, "SELECT toUInt64(cityHash64(?) % 2)", c.Code).Scan(&slot))
		if !found[slot] {
			counties[slot], found[slot] = c, true
		}
		if found[0] && found[1] {
			break
		}
	}
	require.True(t, found[0] && found[1], "regions.csv has counties on both shards")

	insert := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_distributed_sync": 1}))
	for _, c := range counties {
		require.NoError(t, shards[0].Exec(insert, fmt.Sprintf(`INSERT INTO person_month (period, year, person_key, household_key, county_code, city_code, wage)
SELECT toDate('2025-06-01'), 2025, concat('%[1]s-p', toString(number)), concat('%[1]s-h', toString(intDiv(number, 4))), '%[1]s', '%[2]s', toDecimal64(number, 2)
FROM system.numbers LIMIT %[3]d`, c.Code, c.CityCode, personsPerCounty)))
	}

	type row struct{ County, Person string }
	read := func(conn driver.Conn, table string) []row {
		t.Helper()
		rows, err := conn.Query(ctx, "SELECT county_code, person_key FROM "+table+" ORDER BY county_code, person_key")
		require.NoError(t, err)
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			require.NoError(t, rows.Scan(&r.County, &r.Person))
			out = append(out, r)
		}
		require.NoError(t, rows.Err())
		return out
	}

	t.Run("each county's rows sit on the shard its key names, and only there", func(t *testing.T) {
		for i, conn := range shards {
			local := read(conn, "person_month_local")
			require.Len(t, local, personsPerCounty, "shard %d holds one county's persons", i+1)
			for _, r := range local {
				require.Equal(t, counties[i].Code, r.County, "shard %d", i+1)
			}
		}
	})

	t.Run("a Distributed SELECT on either shard returns exactly the rows of both", func(t *testing.T) {
		var union []row
		for _, conn := range shards {
			union = append(union, read(conn, "person_month_local")...)
		}
		sort.Slice(union, func(i, j int) bool {
			if union[i].County != union[j].County {
				return union[i].County < union[j].County
			}
			return union[i].Person < union[j].Person
		})
		require.Len(t, union, 2*personsPerCounty)
		for i, conn := range shards {
			require.Equal(t, union, read(conn, "person_month"), "Distributed person_month read on shard %d", i+1)
		}
		var households uint64
		var wages string
		require.NoError(t, shards[1].QueryRow(ctx, "SELECT uniqExact(household_key), toString(sum(wage)) FROM person_month").Scan(&households, &wages))
		require.Equal(t, uint64(2*personsPerCounty/4), households, "aggregates over the Distributed table count both shards once")
		require.Equal(t, fmt.Sprintf("%d.00", 2*(personsPerCounty*(personsPerCounty-1)/2)), wages)
	})
	t.Run("a join with a dimension runs on each shard against its whole copy", func(t *testing.T) {
		for _, conn := range shards {
			for _, c := range counties {
				require.NoError(t, conn.Exec(ctx, fmt.Sprintf("INSERT INTO dim_county (county_code, county_name, city_code, city_name, is_key_county) SELECT '%s', '%s', '%s', '%s', 0",
					c.Code, c.Name, c.CityCode, c.CityName)))
			}
		}
		rows, err := shards[0].Query(ctx, `SELECT county_name, count() FROM person_month AS p
ANY LEFT JOIN dim_county AS c USING county_code
GROUP BY county_name ORDER BY county_name`)
		require.NoError(t, err)
		defer rows.Close()
		got := map[string]uint64{}
		for rows.Next() {
			var name string
			var n uint64
			require.NoError(t, rows.Scan(&name, &n))
			got[name] = n
		}
		require.NoError(t, rows.Err())
		require.Equal(t, map[string]uint64{counties[0].Name: personsPerCounty, counties[1].Name: personsPerCounty}, got)
	})
}

// description is a table as the system tables show it: each column's name,
// type, default and comment, in order, and the engine with its clauses.
type description struct {
	columns []string
	engine  string
}

func describe(t *testing.T, ctx context.Context, conn driver.Conn, table string) description {
	t.Helper()
	rows, err := conn.Query(ctx, "SELECT name, type, default_kind, default_expression, comment FROM system.columns WHERE database = currentDatabase() AND table = ?", table)
	require.NoError(t, err)
	defer rows.Close()
	var d description
	for rows.Next() {
		var name, typ, kind, expr, comment string
		require.NoError(t, rows.Scan(&name, &typ, &kind, &expr, &comment))
		d.columns = append(d.columns, strings.Join([]string{name, typ, kind, expr, comment}, " | "))
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, d.columns, "table %s exists", table)
	require.NoError(t, conn.QueryRow(ctx, "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = ?", table).Scan(&d.engine))
	return d
}

// TestTheClusterDDLRunsOnCurrentClickHouse runs the whole generated DDL on
// a current release (chdb, ClickHouse 26.x in-process, started on a
// remote_servers configuration naming the cluster: current releases check
// at CREATE that a Distributed table's cluster exists; its shards are never
// contacted) and checks the engine of every table.
func TestTheClusterDDLRunsOnCurrentClickHouse(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs chdb (run make test)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	modules := os.Getenv(chcompat.ChdbEnv)
	if modules == "" {
		abs, err := filepath.Abs(filepath.Join("..", "..", "..", "..", ".cache", "chdb", "node_modules"))
		require.NoError(t, err)
		modules = abs
	}
	if _, err := os.Stat(filepath.Join(modules, "chdb", "package.json")); err != nil {
		t.Fatalf("the current-ClickHouse test needs the npm package chdb in %s: run `make test` (its chdb target installs it), or set %s", modules, chcompat.ChdbEnv)
	}
	configFile := filepath.Join(t.TempDir(), "cluster.xml")
	require.NoError(t, os.WriteFile(configFile, []byte(`<clickhouse><remote_servers><two_shards>
<shard><replica><host>127.0.0.1</host><port>19001</port></replica></shard>
<shard><replica><host>127.0.0.1</host><port>19002</port></replica></shard>
</two_shards></remote_servers></clickhouse>
`), 0o600))
	current, err := chcompat.OpenChdbWithConfig(ctx, modules, "zengshou", "UTC", configFile)
	require.NoError(t, err)
	defer current.Close() //nolint:errcheck // the test's assertions say more

	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	schema, err := clusterddl.Generate(schemas.Tables, migrations, clusterddl.Options{Cluster: "two_shards", Database: "zengshou"})
	require.NoError(t, err)
	for _, stmt := range schema.Statements() {
		require.NoError(t, current.Exec(ctx, stmt), "ClickHouse %s: %s", current.Version(), stmt)
	}
	out, err := current.Query(ctx, "SELECT name, engine_full FROM system.tables WHERE database = 'zengshou' ORDER BY name")
	require.NoError(t, err)
	engines := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, engine, _ := strings.Cut(line, "\t")
		engines[name] = strings.ReplaceAll(engine, `\'`, `'`)
	}
	for _, tb := range schema.Tables {
		require.Contains(t, engines, tb.Local)
		require.Contains(t, engines[tb.Local], "MergeTree", "table %s on ClickHouse %s", tb.Local, current.Version())
		if tb.CreateDistributed != "" {
			require.Equal(t, fmt.Sprintf("Distributed('two_shards', 'zengshou', '%s', %s)", tb.Local, tb.ShardingKey), engines[tb.Name])
		}
	}
}
