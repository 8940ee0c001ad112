package clickhouse

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/schemas"
)

// TestAMigrationOfAnExistingClusterChangesEveryShard creates a two-shard
// warehouse, then applies a migration written as for one node, as a later
// release would bring it: a column added to a county-sharded table (with
// its COMMENT), a new table with a county code and one without. On every
// shard the column is on the shard-local table and on the Distributed one
// (a Distributed table's columns are its own, not looked up), the new
// county table is a shard-local MergeTree under a Distributed table
// sharded by county, the other new table is a plain copy, and each
// shard's schema_migrations records the version; run again, the migration
// changes nothing. A RENAME of a sharded table is refused, naming why.
func TestAMigrationOfAnExistingClusterChangesEveryShard(t *testing.T) {
	ctx := context.Background()
	tc := testenv.Cluster(t, 2)
	cc := config.Cluster{Name: tc.Name}
	for _, s := range tc.Shards {
		cc.Shards = append(cc.Shards, config.Shard{DSN: s.DSN})
	}
	cluster, err := NewCluster(DefaultConfig(), cc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	require.NoError(t, cluster.Connect(ctx))
	defer cluster.Close()

	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	next := migrations[len(migrations)-1].Version + 1
	later := append(migrations[:len(migrations):len(migrations)], schemas.Migration{Version: next, Name: "9999_later.sql", Statements: []string{
		// As the migrations do it: 18.16 ignores a COMMENT given with ADD COLUMN.
		"ALTER TABLE person_month ADD COLUMN later_flag UInt8 DEFAULT 0 COMMENT '测试: 以后的版本加的列' AFTER sources_present",
		"ALTER TABLE person_month COMMENT COLUMN later_flag '测试: 以后的版本加的列'",
		"CREATE TABLE county_note (period Date, county_code String, note String) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY county_code",
		"CREATE TABLE code_note (code String, note String) ENGINE = MergeTree() ORDER BY code",
	}})
	for pass := range 2 {
		for i := range tc.Shards {
			require.NoError(t, cluster.Shard(i).migrate(ctx, later), "pass %d shard %d", pass+1, i+1)
		}
	}
	for i := range tc.Shards {
		conn := cluster.Shard(i).Conn()
		for _, table := range []string{"person_month", "person_month_local"} {
			var typ, comment string
			require.NoError(t, conn.QueryRow(ctx, "SELECT type, comment FROM system.columns WHERE database = currentDatabase() AND table = ? AND name = 'later_flag'", table).Scan(&typ, &comment),
				"shard %d %s", i+1, table)
			require.Equal(t, "UInt8", typ)
			require.Equal(t, "测试: 以后的版本加的列", comment, "shard %d %s", i+1, table)
		}
		engines := map[string]string{}
		rows, err := conn.Query(ctx, "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN ('county_note', 'county_note_local', 'code_note', 'code_note_local')")
		require.NoError(t, err)
		for rows.Next() {
			var name, engine string
			require.NoError(t, rows.Scan(&name, &engine))
			engines[name] = engine
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.Len(t, engines, 3, "shard %d: %v", i+1, engines)
		require.Contains(t, engines["county_note"], "Distributed("+tc.Name)
		require.Contains(t, engines["county_note"], "cityHash64(county_code)")
		require.Contains(t, engines["county_note_local"], "MergeTree")
		require.Contains(t, engines["code_note"], "MergeTree")
		var recorded uint64
		require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM schema_migrations WHERE version = ?", next).Scan(&recorded))
		require.Equal(t, uint64(1), recorded, "shard %d", i+1)
	}
	// The new Distributed table answers on either shard.
	for i := range tc.Shards {
		var notes uint64
		require.NoError(t, cluster.Shard(i).Conn().QueryRow(ctx, "SELECT count() FROM county_note").Scan(&notes))
		require.Zero(t, notes)
	}

	rename := append(later[:len(later):len(later)], schemas.Migration{Version: next + 1, Name: "9999_rename.sql",
		Statements: []string{"RENAME TABLE county_note TO county_remark"}})
	err = cluster.Shard(0).migrate(ctx, rename)
	require.ErrorContains(t, err, "RENAME TABLE of the sharded table county_note is not supported on a cluster")
}
