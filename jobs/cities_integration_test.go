package jobs_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
	"zengshou/internal/whsum"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/parts"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// cityGroups splits Jiangxi's cities into n parts, round robin in code
// order.
func cityGroups(n int) [][]string {
	seen := map[string]bool{}
	var cities []string
	for _, c := range schemas.MustLoadRegions().Counties() {
		if !seen[c.CityCode] {
			seen[c.CityCode] = true
			cities = append(cities, c.CityCode)
		}
	}
	sort.Strings(cities)
	groups := make([][]string, n)
	for i, c := range cities {
		groups[i%n] = append(groups[i%n], c)
	}
	return groups
}

// TestPerCityRunsPublishTheRowsOfOneRun loads the province of
// TestTheWarehouseHoldsTheRecordedRows (seed 20241101, 400 households,
// 2024-11..2025-02, every file form and kind of dirt) month by month as
// per-city runs: each
// month three parts (the 11 cities round robin), each reading the whole
// delivery and the warehouse's history, then the combining run publishes
// the month. Every table then holds exactly the rows one run of the whole
// province gives (the checksums recorded on one node in checksumsFile):
// the county and city rows of the parts, the province and group rows
// rolled up from their partials, each quarantined row once, the accounting
// of every file. Parts missing a city, or holding one twice, are refused.
// (The generator's duplicate persons are in one county; a person in
// households of two cities is TestRosterBuildersOfTwoCitiesFindTheDuplicatesOfOne.)
func TestPerCityRunsPublishTheRowsOfOneRun(t *testing.T) {
	sink := warehouse(t)
	runByCity(t, sink, 3)
	requireRecordedRows(t, sink.Conn())
}

// TestPerCityRunsOnTwoShards is TestPerCityRunsPublishTheRowsOfOneRun on a
// cluster of two shards: the parts read their history through the
// Distributed tables, the combination writes each row to the shard owning
// it, and every table read through either shard holds the single run's
// rows.
func TestPerCityRunsOnTwoShards(t *testing.T) {
	cluster := testenv.Cluster(t, 2)
	sink := clusterWarehouse(t, cluster)
	runByCity(t, sink, 2)
	for i := range cluster.Shards {
		requireRecordedRows(t, sink.Shard(i).Conn())
	}
}

// perCitySink is what the per-city tests run on: one node or a cluster.
type perCitySink interface {
	pipeline.Sink
	Conn() driver.Conn
}

// runByCity runs the recorded province's four months on sink as parts of
// the cities split n ways, each month combined, refusing November's
// combinations that miss a city or hold one twice.
func runByCity(t *testing.T, sink perCitySink, n int) {
	ctx := context.Background()
	inbox := recordedProvince(t)
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	groups := cityGroups(n)
	work := t.TempDir()
	lk := testLocking(t)
	for m := values.NewMonth(2024, 11); m <= values.NewMonth(2025, 2); m++ {
		var dirs []string
		for i, cities := range groups {
			dir := filepath.Join(work, m.String(), "part-"+string(rune('a'+i)))
			part := newRunner(t, parts.NewWriter(sink, dir), mem)
			part.Cities = cities
			run, err := jobs.Deliveries{Inbox: inbox}.RunPart(ctx, part, m, mem)
			require.NoError(t, err, "%s part %d", m, i+1)
			require.Equal(t, pipeline.StatusPublished, run.Status)
			dirs = append(dirs, dir)
		}
		if m == values.NewMonth(2024, 11) {
			_, err := jobs.CombinePeriod(ctx, newRunner(t, sink, mem), lk, m, dirs[:len(dirs)-1], mem)
			require.ErrorContains(t, err, "no part holds")
			_, err = jobs.CombinePeriod(ctx, newRunner(t, sink, mem), lk, m, append(dirs, dirs[0]), mem)
			require.ErrorContains(t, err, "is in two parts")
		}
		run, err := jobs.CombinePeriod(ctx, newRunner(t, sink, mem), lk, m, dirs, mem)
		require.NoError(t, err, m.String())
		require.Equal(t, pipeline.StatusPublished, run.Status)
	}
	_, err := os.Stat(filepath.Join(work, "2025-02", "part-a", "manifest.json"))
	require.NoError(t, err)
}

// requireRecordedRows checks every table, read through conn, against the
// checksums recorded on one node (checksumsFile).
func requireRecordedRows(t *testing.T, conn driver.Conn) {
	ctx := context.Background()
	// The refused combinations of November are recorded as failed runs;
	// etl_run's checksum is over the published ones.
	where := map[string]string{"etl_run": "status = 'published'"}
	for k, v := range checksumWhere {
		where[k] = v
	}
	want, err := whsum.Read(checksumsFile)
	require.NoError(t, err)
	got, err := whsum.Compute(ctx, conn, want, where, checksumExprs)
	require.NoError(t, err)
	for i := range want {
		require.Equal(t, want[i].String(), got[i].String(), "table %s", want[i].Table)
	}
}
