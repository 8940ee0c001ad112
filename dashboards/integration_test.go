package dashboards_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/dashboards"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	chsink "zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// generatedWarehouse runs three generated months (a small dirty province)
// into a fresh test database and returns the writer's and the read-only
// analyst's DSN of that database.
func generatedWarehouse(t *testing.T) (writer, analyst string) {
	t.Helper()
	ctx := context.Background()
	writer = testenv.ClickHouse(t)
	analyst = testenv.Analyst(t, writer)

	cfg := chsink.DefaultConfig()
	cfg.DSN = writer
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sink := chsink.New(cfg, logger)
	require.NoError(t, sink.Connect(ctx))
	t.Cleanup(func() { sink.Close() })

	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 800, "2025-01", "2025-03"
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)

	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	runner := pipeline.NewRunner(sink, config.DefaultParams(), regions, []byte("dashboards-test-key-0123456789"), mem, logger)
	runs, err := jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, inbox, values.NewMonth(2025, 1), values.NewMonth(2025, 3), mem)
	require.NoError(t, err)
	require.Len(t, runs, 3)
	return writer, analyst
}

func open(t *testing.T, dsn string) driver.Conn {
	t.Helper()
	opts, err := clickhouse.ParseDSN(dsn)
	require.NoError(t, err)
	conn, err := clickhouse.Open(opts)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func scalarString(t *testing.T, conn driver.Conn, sql string) string {
	t.Helper()
	var s string
	require.NoError(t, conn.QueryRow(context.Background(), sql).Scan(&s))
	return s
}

// TestEveryPanelQueryRunsAsTheAnalyst runs every panel's and variable's SQL,
// macros and variables expanded, as the read-only account on three
// generated months, for "All" and for a selected city and county, and
// requires rows with exactly the columns the panel uses.
func TestEveryPanelQueryRunsAsTheAnalyst(t *testing.T) {
	_, analystDSN := generatedWarehouse(t)
	conn := open(t, analystDSN)
	ctx := context.Background()

	// The city and the county with the most high-severity findings in the
	// last period, so that every selected panel has something to show.
	county := scalarString(t, conn, `SELECT county_code FROM discrepancy
WHERE period = toDate('2025-03-01') AND severity = 'high' GROUP BY county_code ORDER BY count() DESC, county_code LIMIT 1`)
	city := scalarString(t, conn, "SELECT city_code FROM dim_county WHERE county_code = '"+county+"'")

	base := dashboards.Values{
		Period: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		From:   time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		To:     time.Now().Add(time.Hour),
	}
	selections := map[string]dashboards.Values{"all": base}
	cityOnly := base
	cityOnly.Cities = []string{city}
	selections["city "+city] = cityOnly
	countyToo := cityOnly
	countyToo.Counties = []string{county}
	selections["county "+county] = countyToo

	for name, v := range selections {
		t.Run(name, func(t *testing.T) {
			results, err := dashboards.Check(ctx, conn, v)
			require.NoError(t, err)
			require.Len(t, results, len(dashboards.Queries()))
			for _, r := range results {
				t.Logf("%s / %s: %d rows, %v", r.Dashboard, r.Panel, r.Rows, r.Took)
				require.Positive(t, r.Took, "%s / %s: the query's wall time is recorded", r.Dashboard, r.Panel)
				require.GreaterOrEqual(t, r.Rows, 1, "%s / %s returned no rows:\n%s", r.Dashboard, r.Panel, r.Expanded)
				require.Equal(t, r.Columns, r.Got, "%s / %s columns", r.Dashboard, r.Panel)
			}
		})
	}
}

// TestTheAnalystCannotChangeTheWarehouse tries every kind of write as the
// read-only account, including lifting the readonly setting for the query.
func TestTheAnalystCannotChangeTheWarehouse(t *testing.T) {
	writerDSN := testenv.ClickHouse(t)
	writer := open(t, writerDSN)
	ctx := context.Background()
	require.NoError(t, writer.Exec(ctx, "CREATE TABLE kept (x UInt8) ENGINE = MergeTree() ORDER BY x"))
	require.NoError(t, writer.Exec(ctx, "INSERT INTO kept (x) SELECT 1"))

	analyst := open(t, testenv.Analyst(t, writerDSN))
	var n uint64
	require.NoError(t, analyst.QueryRow(ctx, "SELECT count() FROM kept").Scan(&n), "the analyst reads")
	require.Equal(t, uint64(1), n)

	exec := func(ctx context.Context, sql string) func() error {
		return func() error { return analyst.Exec(ctx, sql) }
	}
	batch := func(ctx context.Context) func() error {
		return func() error {
			b, err := analyst.PrepareBatch(ctx, "INSERT INTO kept (x)")
			if err != nil {
				return err
			}
			if err := b.Append(uint8(2)); err != nil {
				return err
			}
			return b.Send()
		}
	}
	unlocked := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"readonly": 0}))
	for _, tc := range []struct {
		name string
		try  func() error
	}{
		{"insert (batch, as the pipeline inserts)", batch(ctx)},
		{"insert select", exec(ctx, "INSERT INTO kept (x) SELECT 3")},
		{"alter add column", exec(ctx, "ALTER TABLE kept ADD COLUMN y UInt8")},
		{"alter delete", exec(ctx, "ALTER TABLE kept DELETE WHERE x = 1")},
		{"drop table", exec(ctx, "DROP TABLE kept")},
		{"truncate", exec(ctx, "TRUNCATE TABLE kept")},
		{"create table", exec(ctx, "CREATE TABLE other (x UInt8) ENGINE = Memory")},
		{"create database", exec(ctx, "CREATE DATABASE analyst_made")},
		{"insert with readonly = 0", exec(unlocked, "INSERT INTO kept (x) SELECT 4")},
		{"batch with readonly = 0", batch(unlocked)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.try()
			require.Error(t, err)
			require.Contains(t, err.Error(), "readonly", "refused because the account is read-only")
		})
	}
	require.NoError(t, writer.QueryRow(ctx, "SELECT count() FROM kept").Scan(&n))
	require.Equal(t, uint64(1), n, "nothing changed")
	var cols uint64
	require.NoError(t, writer.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = 'kept'").Scan(&cols))
	require.Equal(t, uint64(1), cols)
}
