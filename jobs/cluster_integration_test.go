package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
	"zengshou/internal/whsum"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// clusterWarehouse connects a cluster sink to the shards of c.
func clusterWarehouse(t testing.TB, c testenv.TestCluster) *clickhouse.Cluster {
	t.Helper()
	cc := config.Cluster{Name: c.Name}
	for _, s := range c.Shards {
		cc.Shards = append(cc.Shards, config.Shard{DSN: s.DSN})
	}
	sink, err := clickhouse.NewCluster(clickhouse.DefaultConfig(), cc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	require.NoError(t, sink.Connect(context.Background()))
	t.Cleanup(func() { sink.Close() })
	return sink
}

// TestTwoShardsHoldTheRowsOfOneNode loads the province of
// TestTheWarehouseHoldsTheRecordedRows (seed 20241101, 400 households,
// 2024-11..2025-02, every file form) month by month into a cluster of two
// shards. Read through the Distributed tables, every table holds exactly
// the rows a single node holds (the checksums recorded on one node in
// checksumsFile): the history each month read back through the cluster
// gave the same figures, and nothing was lost or written twice. Each
// county's rows are on one shard only, the one cityHash64(county_code)
// names; both shards hold some.
func TestTwoShardsHoldTheRowsOfOneNode(t *testing.T) {
	ctx := context.Background()
	cluster := testenv.Cluster(t, 2)
	sink := clusterWarehouse(t, cluster)
	inbox := recordedProvince(t)
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox,
		values.NewMonth(2024, 11), values.NewMonth(2025, 2), mem)
	require.NoError(t, err)
	require.Len(t, runs, 4)
	for _, r := range runs {
		require.Equal(t, pipeline.StatusPublished, r.Status, r.Period.String())
	}

	want, err := whsum.Read(checksumsFile)
	require.NoError(t, err)
	for shard := range cluster.Shards {
		// Each shard's Distributed tables read the whole cluster; each
		// shard's own copies (dimensions, run records) are whole.
		got, err := whsum.Compute(ctx, sink.Shard(shard).Conn(), want, checksumWhere, checksumExprs)
		require.NoError(t, err)
		for i := range want {
			require.Equal(t, want[i].String(), got[i].String(), "table %s read on shard %d", want[i].Table, shard+1)
		}
	}

	for _, table := range []string{"person_month", "household_year", "discrepancy", "sales_month"} {
		var total, spread uint64
		q := fmt.Sprintf("SELECT count(), uniqExact(county_code) FROM %s", table)
		require.NoError(t, sink.Conn().QueryRow(ctx, q).Scan(&total, &spread))
		var sum uint64
		for shard := range cluster.Shards {
			conn := sink.Shard(shard).Conn()
			var rows uint64
			require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM "+table+"_local").Scan(&rows))
			require.NotZero(t, rows, "%s on shard %d", table, shard+1)
			sum += rows
			counties, err := conn.Query(ctx, "SELECT DISTINCT county_code FROM "+table+"_local")
			require.NoError(t, err)
			for counties.Next() {
				var code string
				require.NoError(t, counties.Scan(&code))
				require.Equal(t, shard, clickhouse.ShardOf(code, len(cluster.Shards)), "%s: county %s on shard %d", table, code, shard+1)
			}
			require.NoError(t, counties.Err())
			counties.Close()
		}
		require.Equal(t, total, sum, "%s: the shards' rows add up to the Distributed table's", table)
	}
}

// TestTheWriterPlacesACountyWhereClickHouseDoes compares ShardOf with the
// server's own cityHash64(county_code) % shards for every county of
// Jiangxi, on 2, 3 and 4 shards: the rows the writer sends straight to a
// shard are where a Distributed table sharded by county would put them.
func TestTheWriterPlacesACountyWhereClickHouseDoes(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	var codes []string
	for _, c := range schemas.MustLoadRegions().Counties() {
		codes = append(codes, "'"+c.Code+"'")
	}
	rows, err := sink.Conn().Query(ctx, "SELECT c, cityHash64(c) % 2, cityHash64(c) % 3, cityHash64(c) % 4 FROM (SELECT arrayJoin(["+
		strings.Join(codes, ", ")+"]) AS c)")
	require.NoError(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		var code string
		var s2, s3, s4 uint8
		require.NoError(t, rows.Scan(&code, &s2, &s3, &s4))
		require.Equal(t, []int{int(s2), int(s3), int(s4)},
			[]int{clickhouse.ShardOf(code, 2), clickhouse.ShardOf(code, 3), clickhouse.ShardOf(code, 4)}, code)
		n++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, 100, n, "every county of regions.csv")
}
