package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/dashboards"
	"zengshou/internal/chcompat"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/clusterddl"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// TestEveryDashboardAndReportQueryReadsTwoShardsAsOneNode loads the test
// province of the reports (400 households, 2025-01..04, pensions missing in
// February) into a cluster of two shards through the cluster writer, gives a
// single node exactly the same rows (the union of the shards' _local tables,
// the first shard's copies of the dimensions and run records), and then
// runs every query the dashboards and the reports send, on the single node
// and through the Distributed tables of each shard:
//
//   - every panel and variable query of the dashboards (macros and
//     variables expanded as dashboards.Expand does, for "All" and for a
//     selected city and county), with now() fixed to one instant;
//   - every query reports.Build sends for the April monthly and the first
//     quarter's report (recorded on the single node), and those of
//     reports.Headlines, reports.Findings and reports.Latest.
//
// Each query's result, as a multiset of rows, must be the same on the
// cluster as on the node. Floats are compared to 1e-9 relative: a sum over
// two shards adds in another order than one over one node, so its last bits
// may differ. The reports built through the cluster's connection are byte
// for byte the reports built on the node. The same queries then run through
// the Distributed tables of a current release (chdb, the generated cluster
// schema), with the analyzer and without, and the reports' IN-subqueries
// between sharded tables are refused by both releases without their
// distributed_product_mode setting. The single node is given the
// cluster's rows rather than a run of its own because two runs differ in
// their run ids and times, which the operations panels show;
// TestTwoShardsHoldTheRowsOfOneNode proves the cluster holds what one
// node's run writes.
func TestEveryDashboardAndReportQueryReadsTwoShardsAsOneNode(t *testing.T) {
	ctx := context.Background()
	cluster := testenv.Cluster(t, 2)
	sink := clusterWarehouse(t, cluster)
	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 400, "2025-01", "2025-04"
	scfg.GB18030Share, scfg.GzipShare = 0, 0
	scfg.MissingSources = map[string][]string{"2025-02": {schemas.Pension}}
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox,
		values.NewMonth(2025, 1), values.NewMonth(2025, 4), mem)
	require.NoError(t, err)
	require.Len(t, runs, 4)
	for _, r := range runs {
		require.Equal(t, pipeline.StatusPublished, r.Status, r.Period.String())
	}
	node := copyOfCluster(t, cluster)
	shards := []driver.Conn{sink.Shard(0).Conn(), sink.Shard(1).Conn()}

	compared, rows := 0, 0
	var sent []string // every query compared, for the current release
	t.Run("every panel query", func(t *testing.T) {
		county := scalarText(t, node, `SELECT county_code FROM discrepancy WHERE period = toDate('2025-04-01') AND severity = 'high'
GROUP BY county_code ORDER BY count() DESC, county_code LIMIT 1`)
		city := scalarText(t, node, "SELECT city_code FROM dim_county WHERE county_code = '"+county+"'")
		all := dashboards.Values{
			Period: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
			From:   time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
			To:     time.Now().Add(time.Hour),
		}
		selected := all
		selected.Cities, selected.Counties = []string{city}, []string{county}
		// now() fixed: the panel "距最近一次成功发布" counts seconds since
		// the last run, which would differ between two executions.
		fixedNow := fmt.Sprintf("toDateTime(%d)", all.To.Unix())
		for _, v := range []dashboards.Values{all, selected} {
			for _, q := range dashboards.Queries() {
				sql, err := dashboards.Expand(q.SQL, v)
				require.NoError(t, err)
				sql = strings.ReplaceAll(sql, "now()", fixedNow)
				what := fmt.Sprintf("%s / %s (cities %v, counties %v)", q.Dashboard, q.Panel, v.Cities, v.Counties)
				rows += compareOnShards(t, what, sql, node, shards)
				sent = append(sent, sql)
				compared++
			}
		}
	})
	panels := compared

	t.Run("every report query", func(t *testing.T) {
		rec := &chcompat.Recorder{}
		recorded := rec.Wrap(node)
		at := time.Date(2025, 5, 5, 1, 2, 3, 0, time.UTC)
		apr, mar := values.NewMonth(2025, 4), values.NewMonth(2025, 3)
		// Built into the same directory, cluster first, so that the report
		// records name the same files.
		dir := t.TempDir()
		for _, kind := range []reports.Kind{reports.Monthly, reports.Quarterly} {
			opts := reports.DefaultOptions()
			opts.Period, opts.Kind, opts.OutDir, opts.PDF = apr, kind, dir, reports.PDFOff
			if kind == reports.Quarterly {
				opts.Period = mar
			}
			opts.Now = func() time.Time { return at }
			onCluster, err := reports.Build(ctx, sink.Conn(), opts)
			require.NoError(t, err, "building the %s report through the cluster", kind)
			files := map[string][]byte{}
			for _, f := range onCluster.Files {
				files[f] = readAll(t, f)
			}
			onNode, err := reports.Build(ctx, recorded, opts)
			require.NoError(t, err)
			require.Equal(t, onCluster.Files, onNode.Files)
			for _, f := range onNode.Files {
				require.True(t, bytes.Equal(files[f], readAll(t, f)), "%s differs between the cluster and the node", filepath.Base(f))
			}
		}
		_, err := reports.Headlines(ctx, recorded, apr)
		require.NoError(t, err)
		_, err = reports.Findings(ctx, recorded, apr)
		require.NoError(t, err)
		_, err = reports.Latest(ctx, recorded)
		require.NoError(t, err)

		n := 0
		for _, st := range rec.Statements() {
			if st.Kind != chcompat.KindQuery || !strings.HasPrefix(st.Caller, "zengshou/reports.") {
				continue
			}
			require.Empty(t, st.Err, st.Caller)
			on := shards
			if strings.Contains(st.SQL, "FROM report ") {
				// The report record is written through the connection the
				// report is built on: the first shard's own copy.
				on = shards[:1]
			}
			rows += compareOnShards(t, st.Caller, st.SQL, node, on)
			sent = append(sent, st.SQL)
			n++
		}
		require.Greater(t, n, 20, "the reports' queries were recorded")
		compared += n
		require.Zero(t, count(t, shards[1], "SELECT count() FROM report"), "the second shard holds no report record")
	})
	t.Run("the same queries run through the Distributed tables of a current release", func(t *testing.T) {
		current := currentCluster(t)
		for _, analyzer := range []string{"1", "0"} {
			require.NoError(t, current.Exec(ctx, "SET enable_analyzer = "+analyzer))
			for _, sql := range sent {
				_, err := current.Query(ctx, sql)
				require.NoError(t, err, "ClickHouse %s, enable_analyzer = %s:\n%s", current.Version(), analyzer, sql)
			}
		}
		// The reports' setting is what makes them run: without it both
		// releases refuse the IN-subqueries between sharded tables.
		shardLocal := 0
		for _, sql := range sent {
			bare := strings.Replace(sql, "SETTINGS distributed_product_mode = 'local'", "", 1)
			if bare == sql {
				continue
			}
			_, err := current.Query(ctx, bare)
			require.ErrorContains(t, err, "DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED", bare)
			_, err = resultRows(shards[0], bare)
			require.ErrorContains(t, err, "Double-distributed IN/JOIN subqueries is denied", bare)
			shardLocal++
		}
		require.Positive(t, shardLocal)
		t.Logf("%d queries run on ClickHouse %s through two shards with and without the analyzer; %d of them need distributed_product_mode = 'local'",
			len(sent), current.Version(), shardLocal)
	})
	t.Logf("%d panel and variable queries and %d report queries give the same %d rows on both shards as on one node", panels, compared-panels, rows)
}

// currentCluster returns a current ClickHouse (chdb, in-process) holding
// the generated cluster schema, empty, over two shards that are both the
// engine itself (a shard at the engine's own tcp_port is run in-process, so
// each row would be read twice: the queries are proven to run there, their
// figures are proven on 18.16 above).
func currentCluster(t *testing.T) *chcompat.Chdb {
	t.Helper()
	ctx := context.Background()
	modules := os.Getenv(chcompat.ChdbEnv)
	if modules == "" {
		abs, err := filepath.Abs(filepath.Join("..", ".cache", "chdb", "node_modules"))
		require.NoError(t, err)
		modules = abs
	}
	if _, err := os.Stat(filepath.Join(modules, "chdb", "package.json")); err != nil {
		t.Fatalf("the current-ClickHouse part needs the npm package chdb in %s: run `make test` (its chdb target installs it), or set %s", modules, chcompat.ChdbEnv)
	}
	configFile := filepath.Join(t.TempDir(), "cluster.xml")
	require.NoError(t, os.WriteFile(configFile, []byte(`<clickhouse><tcp_port>9000</tcp_port><remote_servers><two_shards>
<shard><replica><host>127.0.0.1</host><port>9000</port></replica></shard>
<shard><replica><host>127.0.0.1</host><port>9000</port></replica></shard>
</two_shards></remote_servers></clickhouse>
`), 0o600))
	current, err := chcompat.OpenChdbWithConfig(ctx, modules, "zengshou", "UTC", configFile)
	require.NoError(t, err)
	t.Cleanup(func() { current.Close() })
	migrations, err := schemas.Migrations()
	require.NoError(t, err)
	schema, err := clusterddl.Generate(schemas.Tables, migrations, clusterddl.Options{Cluster: "two_shards", Database: "zengshou"})
	require.NoError(t, err)
	for _, stmt := range schema.Statements() {
		require.NoError(t, current.Exec(ctx, stmt), stmt)
	}
	return current
}

// copyOfCluster returns a single node migrated by the sink holding the rows
// of the cluster: every sharded table the union of the shards' _local
// tables, every other table (dimensions, run records) the first shard's
// copy. The node's server reads the shards by remote().
func copyOfCluster(t *testing.T, c testenv.TestCluster) driver.Conn {
	t.Helper()
	ctx := context.Background()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	s := clickhouse.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, s.Connect(ctx))
	t.Cleanup(func() { s.Close() })
	node := s.Conn()

	addrs := make([]string, len(c.Shards))
	for i, sh := range c.Shards {
		addrs[i] = sh.Addr
	}
	local := map[string]bool{}
	for _, name := range strings.Split(scalarText(t, node, fmt.Sprintf(`SELECT arrayStringConcat(groupArray(name), ',') FROM remote('%s', system.tables)
WHERE database = '%s' AND endsWith(name, '_local')`, addrs[0], c.Database)), ",") {
		local[strings.TrimSuffix(name, "_local")] = true
	}
	tables := strings.Split(scalarText(t, node, `SELECT arrayStringConcat(groupArray(name), ',') FROM system.tables
WHERE database = currentDatabase() AND name != 'schema_migrations'`), ",")
	copied := 0
	for _, table := range tables {
		require.Zero(t, count(t, node, "SELECT count() FROM "+table), "%s is empty before the copy", table)
		cols := scalarText(t, node, fmt.Sprintf(`SELECT arrayStringConcat(groupArray(name), ', ') FROM
(SELECT name FROM system.columns WHERE database = currentDatabase() AND table = '%s' AND default_kind NOT IN ('MATERIALIZED', 'ALIAS'))`, table))
		from := fmt.Sprintf("remote('%s', '%s', '%s')", addrs[0], c.Database, table)
		if local[table] {
			from = fmt.Sprintf("remote('%s', '%s', '%s_local')", strings.Join(addrs, ","), c.Database, table)
			copied++
		}
		require.NoError(t, node.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", table, cols, cols, from)), "copying %s", table)
	}
	require.Equal(t, 6, copied, "the six sharded tables")
	return node
}

// compareOnShards runs sql on node and on each shard's connection and
// requires the same rows, and at least one.
func compareOnShards(t *testing.T, what, sql string, node driver.Conn, shards []driver.Conn) int {
	t.Helper()
	want, err := resultRows(node, sql)
	require.NoError(t, err, "%s on the single node:\n%s", what, sql)
	require.NotEmpty(t, want, "%s returns no rows on the single node: nothing would be compared\n%s", what, sql)
	for i, shard := range shards {
		got, err := resultRows(shard, sql)
		require.NoError(t, err, "%s through shard %d:\n%s", what, i+1, sql)
		if problem := sameRows(want, got); problem != "" {
			t.Errorf("%s through shard %d: %s\n%s", what, i+1, problem, sql)
		}
	}
	return len(want)
}

// resultRows runs sql and returns its rows, each value dereferenced, sorted
// by their text with floats rounded to 9 significant digits.
func resultRows(conn driver.Conn, sql string) ([][]any, error) {
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	var out [][]any
	for rows.Next() {
		dest := make([]any, len(types))
		for i, ct := range types {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		row := make([]any, len(dest))
		for i, d := range dest {
			row[i] = deref(reflect.ValueOf(d).Elem().Interface())
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return rowText(out[i]) < rowText(out[j]) })
	return out, nil
}

func deref(v any) any {
	for rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer; rv = reflect.ValueOf(v) {
		if rv.IsNil() {
			return nil
		}
		v = rv.Elem().Interface()
	}
	return v
}

func rowText(row []any) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = valueText(v, 9)
	}
	return strings.Join(parts, "\t")
}

func valueText(v any, digits int) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', digits, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', digits, 32)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// sameRows says how want and got differ, "" when they hold the same rows
// (floats equal to 1e-9 relative).
func sameRows(want, got [][]any) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d rows, the single node has %d", len(got), len(want))
	}
	for i := range want {
		if len(want[i]) != len(got[i]) {
			return fmt.Sprintf("row %d has %d columns, the single node's %d", i+1, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if !sameValue(want[i][j], got[i][j]) {
				return fmt.Sprintf("row %d is\n    %s\nthe single node's\n    %s", i+1, rowText(got[i]), rowText(want[i]))
			}
		}
	}
	return ""
}

func sameValue(a, b any) bool {
	fa, aok := a.(float64)
	fb, bok := b.(float64)
	if aok && bok {
		if math.IsNaN(fa) || math.IsNaN(fb) {
			return math.IsNaN(fa) && math.IsNaN(fb)
		}
		return fa == fb || math.Abs(fa-fb) <= 1e-9*math.Max(math.Abs(fa), math.Abs(fb))
	}
	return valueText(a, -1) == valueText(b, -1)
}

func scalarText(t *testing.T, conn driver.Conn, sql string) string {
	t.Helper()
	var s string
	require.NoError(t, conn.QueryRow(context.Background(), sql).Scan(&s), sql)
	return s
}

func count(t *testing.T, conn driver.Conn, sql string) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(), sql).Scan(&n), sql)
	return n
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
