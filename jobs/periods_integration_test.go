package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// warehouse connects a sink to a fresh test database.
func warehouse(t testing.TB) *clickhouse.Sink {
	t.Helper()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	s := clickhouse.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, s.Connect(context.Background()))
	t.Cleanup(func() { s.Close() })
	return s
}

func newRunner(t testing.TB, sink pipeline.Sink, mem memory.Allocator) *pipeline.Runner {
	t.Helper()
	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	return pipeline.NewRunner(sink, config.DefaultParams(), regions, []byte("integration-test-key-0123456789"), mem,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestTwoDirtyPeriodsMatchTheGeneratorsTruth generates a small dirty inbox
// (every file form, every kind of bad row, a source missing in February),
// runs January and February, and checks the accounting of every file and
// the indicators against what the generator knows it wrote.
func TestTwoDirtyPeriodsMatchTheGeneratorsTruth(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 600, "2025-01", "2025-02"
	cfg.Dirty.IDInvalid, cfg.Dirty.DuplicatePerson, cfg.Dirty.UnknownRegion = 0.02, 0.02, 0.02
	cfg.MissingSources = map[string][]string{"2025-02": {schemas.Pension}}
	truth, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)

	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox, values.NewMonth(2025, 1), values.NewMonth(2025, 2), mem)
	require.NoError(t, err)
	require.Len(t, runs, 2)

	for _, run := range runs {
		pt := truth.Periods[run.Period.String()]
		t.Run(run.Period.String(), func(t *testing.T) {
			require.Equal(t, pipeline.StatusPublished, run.Status)
			require.ElementsMatch(t, withUnwritten(pt), run.Missing, "missing sources")
			require.Len(t, run.Sources, len(pt.Files))
			for _, st := range run.Sources {
				want, ok := pt.Files[st.File]
				require.True(t, ok, "file %s not in truth", st.File)
				require.Equal(t, want.Rows, st.In, "%s rows read", st.File)
				require.Equal(t, st.In, st.Accepted+st.Quarantined, "%s: read = accepted + quarantined", st.File)
				require.Equal(t, nonZero(want.Quarantined), nonZero(st.Reasons), "%s quarantine reasons", st.File)
				require.Equal(t, want.Unmatched, st.Unmatched, "%s unmatched", st.File)
			}

			// The warehouse holds what the run reported.
			q := queryMap(t, sink, fmt.Sprintf(`SELECT concat(file, ' ', reason_code), toFloat64(count()) FROM quarantine
WHERE period = toDate('%s-01') GROUP BY file, reason_code`, run.Period))
			for file, ft := range pt.Files {
				for reason, n := range ft.Quarantined {
					require.Equal(t, float64(n), q[file+" "+reason], "quarantine rows of %s %s", file, reason)
				}
			}
			require.Equal(t, float64(pt.RosterPersons), scalar(t, sink, fmt.Sprintf(
				"SELECT toFloat64(count()) FROM person_month WHERE period = toDate('%s-01')", run.Period)))
			require.Equal(t, float64(pt.Households), scalar(t, sink, fmt.Sprintf(
				"SELECT toFloat64(count()) FROM household_year WHERE period = toDate('%s-01')", run.Period)))

			checkIndicator(t, sink, run.Period, "EMPLOYED_PERSONS", pt.EmployedPersonsYTD, 1)
			checkIndicator(t, sink, run.Period, "VOCATIONAL_NEW_ENROLLMENT", pt.VocationalNewEnrollmentYTD, 1)
			checkIndicator(t, sink, run.Period, "HELP_SALES", pt.HelpSalesYTDFen, 100)
		})
	}

	require.Equal(t, 100.0, scalar(t, sink, "SELECT toFloat64(count()) FROM dim_county"))
	require.Equal(t, 25.0, scalar(t, sink, "SELECT toFloat64(sum(is_key_county)) FROM dim_county"))

	// February lacks the pension extract: income indicators are incomplete,
	// employment is not.
	complete := queryMap(t, sink, `SELECT indicator_code, toFloat64(min(complete)) FROM indicator
WHERE period = toDate('2025-02-01') GROUP BY indicator_code`)
	require.Equal(t, 0.0, complete["PER_CAPITA_NET_INCOME"])
	require.Equal(t, 0.0, complete["INCOME_RATIO_TO_RURAL"])
	require.Equal(t, 1.0, complete["EMPLOYED_PERSONS"])
	require.Equal(t, 1.0, complete["HELP_SALES"])
}

// TestRerunReplacesThePeriodExactly runs January twice and proves every
// published table holds the same rows afterwards (run_id aside), then runs
// it with a broken extract and proves the publication stays in place.
func TestRerunReplacesThePeriodExactly(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	inbox := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 300, "2025-01", "2025-02"
	_, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	runner := newRunner(t, sink, mem)
	jan, feb := values.NewMonth(2025, 1), values.NewMonth(2025, 2)

	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan, feb, mem)
	require.NoError(t, err)
	before := snapshot(t, sink)

	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan, jan, mem)
	require.NoError(t, err)
	require.Equal(t, before, snapshot(t, sink), "re-running January changed the warehouse")

	// A delivery whose employment file lacks a required column fails the
	// run; the earlier publication of January stays exactly as it was.
	broken := filepath.Join(t.TempDir(), "inbox")
	require.NoError(t, os.CopyFS(broken, os.DirFS(inbox)))
	breakEmployment(t, filepath.Join(broken, "2025-01"))
	run, err := runner.Run(ctx, jan, mustExtracts(t, broken, jan, mem))
	require.Error(t, err)
	require.Contains(t, err.Error(), "就业年月")
	require.Equal(t, pipeline.StatusFailed, run.Status)
	require.Equal(t, before, snapshot(t, sink), "a failed run changed the publication")
	require.Equal(t, 1.0, scalar(t, sink, fmt.Sprintf(
		"SELECT toFloat64(count()) FROM etl_run FINAL WHERE run_id = '%s' AND status = 'failed'", run.ID)))
}

// withUnwritten is the truth's missing sources plus the departments of
// issue 11 the generator wrote no file of (it writes them only when asked):
// the run records them missing.
func withUnwritten(pt *synth.PeriodTruth) []string {
	out := slices.Clone(pt.Missing)
	for _, d := range []string{schemas.Housing, schemas.Collective, schemas.Water} {
		written := false
		for file := range pt.Files {
			written = written || strings.HasPrefix(file, d+".")
		}
		if !written && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

func mustExtracts(t *testing.T, inbox string, m values.Month, mem memory.Allocator) []pipeline.Extract {
	t.Helper()
	ex, err := jobs.InboxExtracts(inbox, m, mem)
	require.NoError(t, err)
	return ex
}

// breakEmployment rewrites the employment extract of a period folder as
// plain CSV without the 就业年月 column.
func breakEmployment(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"employment.csv", "employment.csv.gz"} {
		_ = os.Remove(filepath.Join(dir, name))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "employment.csv"),
		[]byte("身份证号,就业状态,就业形式,就业地域,月工资收入\n"), 0o644))
}

// snapshot renders every published table's rows, run_id excluded, sorted.
func snapshot(t *testing.T, sink *clickhouse.Sink) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tbl := range schemas.Tables {
		if !tbl.Published {
			continue
		}
		var cols []string
		for _, c := range tbl.Columns {
			if c.Name == "run_id" {
				continue
			}
			switch {
			case strings.HasPrefix(c.Type, "Array("):
				cols = append(cols, "arrayStringConcat("+c.Name+", ',')")
			case strings.HasPrefix(c.Type, "Nullable("):
				cols = append(cols, "ifNull(toString("+c.Name+"), 'NULL')")
			default:
				cols = append(cols, "toString("+c.Name+")")
			}
		}
		rows, err := sink.Conn().Query(context.Background(),
			"SELECT arrayStringConcat(["+strings.Join(cols, ", ")+"], '|') FROM "+tbl.Name)
		require.NoError(t, err)
		var lines []string
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			lines = append(lines, s)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		sort.Strings(lines)
		out[tbl.Name] = lines
	}
	return out
}

func checkIndicator(t *testing.T, sink *clickhouse.Sink, period values.Month, code string, want map[string]int64, scale float64) {
	t.Helper()
	got := queryMap(t, sink, fmt.Sprintf(`SELECT region_code, value FROM indicator
WHERE period = toDate('%s-01') AND indicator_code = '%s' AND region_level != 'group'`, period, code))
	require.Len(t, got, len(want), "%s: one row per region", code)
	for region, v := range want {
		require.Equal(t, float64(v), math.Round(got[region]*scale), "%s %s", code, region)
	}
}

func queryMap(t *testing.T, sink *clickhouse.Sink, query string) map[string]float64 {
	t.Helper()
	rows, err := sink.Conn().Query(context.Background(), query)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var k string
		var v float64
		require.NoError(t, rows.Scan(&k, &v))
		out[k] = v
	}
	require.NoError(t, rows.Err())
	return out
}

func scalar(t *testing.T, sink *clickhouse.Sink, query string) float64 {
	t.Helper()
	var v float64
	require.NoError(t, sink.Conn().QueryRow(context.Background(), query).Scan(&v))
	return v
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// testLocking takes period locks in a directory of the test's own.
func testLocking(t testing.TB) jobs.Locking {
	return jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "go test"}
}
