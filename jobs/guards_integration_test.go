package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/privacy"
	"zengshou/transforms/values"
)

var (
	dec2024 = values.NewMonth(2024, 12)
	jan2025 = values.NewMonth(2025, 1)
	feb2025 = values.NewMonth(2025, 2)
	mar2025 = values.NewMonth(2025, 3)
)

// cleanInbox generates a clean inbox (plain UTF-8 CSV) of a small province.
func cleanInbox(t *testing.T, from, to string) string {
	t.Helper()
	inbox := t.TempDir()
	cfg := synth.Clean()
	cfg.Households, cfg.From, cfg.To = 200, from, to
	_, err := synth.Generate(context.Background(), cfg, inbox)
	require.NoError(t, err)
	return inbox
}

// halveExtract keeps the header and the first half of the rows of a clean
// period folder's extract: a corrected delivery that changes the figures.
func halveExtract(t *testing.T, inbox string, m values.Month, source string) {
	t.Helper()
	path := filepath.Join(inbox, m.String(), source+".csv")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Greater(t, len(lines), 3, "%s has rows", path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines[:1+(len(lines)-1)/2], "")+"\n"), 0o644))
}

func runIDs(t *testing.T, sink *clickhouse.Sink, m values.Month) map[string]float64 {
	t.Helper()
	return queryMap(t, sink, fmt.Sprintf(
		"SELECT run_id, toFloat64(count()) FROM indicator WHERE period = %s GROUP BY run_id", lit(m)))
}

func lit(m values.Month) string { return fmt.Sprintf("toDate('%s-01')", m) }

// staleRows counts, per period, the indicator rows marked stale.
func staleRows(t *testing.T, sink *clickhouse.Sink) map[string]float64 {
	t.Helper()
	return queryMap(t, sink, "SELECT toString(period), toFloat64(sum(stale)) FROM indicator GROUP BY period")
}

// staleMarks lists the periods stale_period marks stale now.
func staleMarks(t *testing.T, sink *clickhouse.Sink) map[string]float64 {
	t.Helper()
	return queryMap(t, sink, `SELECT toString(period), toFloat64(st) FROM
(SELECT period, argMax(stale, version) AS st FROM stale_period GROUP BY period) WHERE st = 1`)
}

// TestRerunCascadesAcrossTheYearToMatchAFreshLoad publishes 2024-12..2025-03,
// then corrects the employment extract of 2025-01 and re-runs 2025-01 alone:
// February and March, whose year-to-date figures read January, are re-run
// in order, and the warehouse equals one loaded in order from scratch from
// the corrected inbox. Re-running 2024-12 cascades across the year
// boundary (January reads December for growth and last year's income).
func TestRerunCascadesAcrossTheYearToMatchAFreshLoad(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2024-12", "2025-03")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	sink := warehouse(t)
	runner := newRunner(t, sink, mem)
	_, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, dec2024, mar2025, mem)
	require.NoError(t, err)
	incomeQuery := "SELECT value FROM indicator WHERE period = " + lit(mar2025) +
		" AND indicator_code = 'PER_CAPITA_NET_INCOME' AND region_level = 'province'"
	incomeBefore := scalar(t, sink, incomeQuery)

	halveExtract(t, inbox, jan2025, schemas.Employment)
	runs, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan2025, jan2025, mem)
	require.NoError(t, err)
	var periods []values.Month
	for _, r := range runs {
		require.Equal(t, pipeline.StatusPublished, r.Status)
		periods = append(periods, r.Period)
	}
	require.Equal(t, []values.Month{jan2025, feb2025, mar2025}, periods, "January, then the later published months in order")
	require.Empty(t, runs[len(runs)-1].Stale, "nothing is left stale")
	require.Empty(t, staleMarks(t, sink))
	for i, m := range []values.Month{feb2025, mar2025} {
		require.Equal(t, []string{runs[i+1].ID}, keys(runIDs(t, sink, m)), "%s is the cascade run's", m)
	}
	require.Less(t, scalar(t, sink, incomeQuery), incomeBefore,
		"March's year-to-date income now counts January's corrected (halved) wages")

	fresh := warehouse(t)
	_, err = jobs.RunPeriods(ctx, newRunner(t, fresh, mem), testLocking(t), inbox, dec2024, mar2025, mem)
	require.NoError(t, err)
	require.Equal(t, snapshot(t, fresh), snapshot(t, sink), "the cascade gives what a fresh load in order gives")

	// December of the year before: the whole of 2025 is re-run.
	runs, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, dec2024, dec2024, mem)
	require.NoError(t, err)
	periods = periods[:0]
	for _, r := range runs {
		periods = append(periods, r.Period)
	}
	require.Equal(t, []values.Month{dec2024, jan2025, feb2025, mar2025}, periods)
	require.Equal(t, snapshot(t, fresh), snapshot(t, sink))
}

func keys(m map[string]float64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRerunWithoutCascadeMarksLaterPeriodsStale: with NoCascade a re-run of
// December 2024 leaves 2025-01 and 2025-02 as they were but marked stale on
// every indicator row and in stale_period, naming the run that superseded
// them; re-running each in order clears its mark, and only its own, while a
// period re-run before a stale earlier one stays stale.
func TestRerunWithoutCascadeMarksLaterPeriodsStale(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2024-12", "2025-02")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sink := warehouse(t)
	runner := newRunner(t, sink, mem)
	noCascade := jobs.Options{NoCascade: true}
	_, err := jobs.RunPeriodsWith(ctx, runner, testLocking(t), inbox, dec2024, feb2025, mem, noCascade)
	require.NoError(t, err)
	require.Empty(t, staleMarks(t, sink), "periods published in order are not stale")
	require.Equal(t, map[string]float64{"2024-12-01": 0, "2025-01-01": 0, "2025-02-01": 0}, staleRows(t, sink))
	rows := queryMap(t, sink, "SELECT toString(period), toFloat64(count()) FROM indicator GROUP BY period")

	runs, err := jobs.RunPeriodsWith(ctx, runner, testLocking(t), inbox, dec2024, dec2024, mem, noCascade)
	require.NoError(t, err)
	require.Len(t, runs, 1, "nothing is re-run")
	require.Equal(t, []values.Month{jan2025, feb2025}, runs[0].Stale)
	require.Equal(t, map[string]float64{"2024-12-01": 0, "2025-01-01": rows["2025-01-01"], "2025-02-01": rows["2025-02-01"]},
		staleRows(t, sink), "every indicator row of the later periods says stale")
	require.Equal(t, map[string]float64{"2025-01-01": 1, "2025-02-01": 1}, staleMarks(t, sink))
	var by, byPeriod string
	require.NoError(t, sink.Conn().QueryRow(ctx, `SELECT argMax(superseded_by, version), toString(argMax(superseded_period, version))
FROM stale_period WHERE period = `+lit(feb2025)).Scan(&by, &byPeriod))
	require.Equal(t, runs[0].ID, by)
	require.Equal(t, "2024-12-01", byPeriod)

	// February re-run before January is still built on a stale January.
	runs, err = jobs.RunPeriodsWith(ctx, runner, testLocking(t), inbox, feb2025, feb2025, mem, noCascade)
	require.NoError(t, err)
	require.Equal(t, []values.Month{jan2025, feb2025}, runs[0].Stale)
	require.Equal(t, map[string]float64{"2025-01-01": 1, "2025-02-01": 1}, staleMarks(t, sink))
	require.Equal(t, rows["2025-02-01"], staleRows(t, sink)["2025-02-01"], "February's new rows are marked too")

	runs, err = jobs.RunPeriodsWith(ctx, runner, testLocking(t), inbox, jan2025, jan2025, mem, noCascade)
	require.NoError(t, err)
	require.Equal(t, []values.Month{feb2025}, runs[0].Stale)
	require.Equal(t, map[string]float64{"2025-02-01": 1}, staleMarks(t, sink), "January re-run is fresh; February is still stale")
	require.Equal(t, 0.0, staleRows(t, sink)["2025-01-01"])

	runs, err = jobs.RunPeriodsWith(ctx, runner, testLocking(t), inbox, feb2025, feb2025, mem, noCascade)
	require.NoError(t, err)
	require.Empty(t, runs[0].Stale)
	require.Empty(t, staleMarks(t, sink))
	require.Equal(t, map[string]float64{"2024-12-01": 0, "2025-01-01": 0, "2025-02-01": 0}, staleRows(t, sink))
}

// TestAFailedCascadeLeavesTheRestStale: February's folder is gone when
// January is re-run; the cascade fails on February, and February and March
// stay marked stale (never served as fresh).
func TestAFailedCascadeLeavesTheRestStale(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2025-01", "2025-03")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sink := warehouse(t)
	runner := newRunner(t, sink, mem)
	_, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan2025, mar2025, mem)
	require.NoError(t, err)

	require.NoError(t, os.RemoveAll(filepath.Join(inbox, "2025-02")))
	runs, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan2025, jan2025, mem)
	require.ErrorContains(t, err, "re-running the published periods after 2025-01: finding extracts of 2025-02")
	require.Len(t, runs, 2, "January's run, then February's refused attempt (every attempt is recorded)")
	require.Equal(t, pipeline.StatusPublished, runs[0].Status)
	require.Equal(t, []values.Month{feb2025, mar2025}, runs[0].Stale)
	require.Equal(t, feb2025, runs[1].Period)
	require.Equal(t, pipeline.StatusFailed, runs[1].Status)
	require.Equal(t, map[string]float64{"2025-02-01": 1, "2025-03-01": 1}, staleMarks(t, sink))
}

// forgetfulSink loses the stale marking after a publication, as a process
// killed right after publishing would.
type forgetfulSink struct {
	*clickhouse.Sink
	calls int
}

func (f *forgetfulSink) MarkStale(ctx context.Context) ([]values.Month, error) {
	f.calls++
	if f.calls == 2 { // the first call is before Begin, the second after Publish
		return nil, fmt.Errorf("killed")
	}
	return f.Sink.MarkStale(ctx)
}

// TestStaleMarksCatchUpAfterALostMarking: when the marking after a
// publication is lost, the next run (of any period) marks what is stale
// before it begins.
func TestStaleMarksCatchUpAfterALostMarking(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2025-01", "2025-02")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sink := warehouse(t)
	opts := jobs.Options{NoCascade: true}
	_, err := jobs.RunPeriodsWith(ctx, newRunner(t, sink, mem), testLocking(t), inbox, jan2025, feb2025, mem, opts)
	require.NoError(t, err)

	forgetful := &forgetfulSink{Sink: sink}
	runs, err := jobs.RunPeriodsWith(ctx, newRunner(t, forgetful, mem), testLocking(t), inbox, jan2025, jan2025, mem, opts)
	require.ErrorContains(t, err, "published, but killed")
	require.Equal(t, pipeline.StatusPublished, runs[0].Status)
	require.Empty(t, staleMarks(t, sink), "the marking was lost")

	// A run of another period, even one that then fails, catches up first.
	_, err = newRunner(t, sink, mem).Run(ctx, mar2025, nil)
	require.ErrorIs(t, err, pipeline.ErrRosterMissing)
	require.Equal(t, map[string]float64{"2025-02-01": 1}, staleMarks(t, sink))
	require.Equal(t, scalar(t, sink, "SELECT toFloat64(count()) FROM indicator WHERE period = "+lit(feb2025)),
		staleRows(t, sink)["2025-02-01"])
}

// TestARunUnderAnotherKeyIsRefusedBeforeAnythingIsWritten: the first run
// records the key's fingerprint (never the key); a run under another key
// fails with ErrKeyMismatch and leaves every table as it was, etl_run
// included; the right key runs again.
func TestARunUnderAnotherKeyIsRefusedBeforeAnythingIsWritten(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2025-01", "2025-02")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sink := warehouse(t)
	key := []byte("integration-test-key-0123456789")
	_, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox, jan2025, jan2025, mem)
	require.NoError(t, err)

	var fps []string
	rows, err := sink.Conn().Query(ctx, "SELECT fingerprint FROM key_fingerprint")
	require.NoError(t, err)
	for rows.Next() {
		var fp string
		require.NoError(t, rows.Scan(&fp))
		fps = append(fps, fp)
	}
	require.NoError(t, rows.Err())
	rows.Close()
	require.Equal(t, []string{privacy.Fingerprint(key)}, fps)
	require.NotContains(t, fps[0], string(key))

	before := snapshot(t, sink)
	runsBefore := scalar(t, sink, "SELECT toFloat64(count()) FROM etl_run")
	regions, err := schemas.LoadRegions()
	require.NoError(t, err)
	other := pipeline.NewRunner(sink, config.DefaultParams(), regions, []byte("another-key-of-32-characters-xx"), mem,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, m := range []values.Month{jan2025, feb2025} {
		runs, err := jobs.RunPeriods(ctx, other, testLocking(t), inbox, m, m, mem)
		require.ErrorIs(t, err, pipeline.ErrKeyMismatch, "%s", m)
		require.NotContains(t, err.Error(), "another-key", "the message never shows a key")
		require.Len(t, runs, 1)
		require.Equal(t, pipeline.StatusFailed, runs[0].Status)
	}
	require.Equal(t, before, snapshot(t, sink), "a refused run changed the publication")
	require.Equal(t, runsBefore, scalar(t, sink, "SELECT toFloat64(count()) FROM etl_run"), "a refused run wrote etl_run")
	require.Equal(t, 1.0, scalar(t, sink, "SELECT toFloat64(count()) FROM key_fingerprint"))

	_, err = jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox, feb2025, feb2025, mem)
	require.NoError(t, err, "the warehouse's key still runs")
}

// TestAPartialDeliveryDoesNotReplaceAFullerPublication: a folder holding
// only the roster does not replace January's complete publication; the
// refusal names every source it lacks, changes nothing and is recorded as a
// failed run. AllowMissing publishes it; a later full delivery replaces it.
func TestAPartialDeliveryDoesNotReplaceAFullerPublication(t *testing.T) {
	ctx := context.Background()
	inbox := cleanInbox(t, "2025-01", "2025-01")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sink := warehouse(t)
	runner := newRunner(t, sink, mem)
	_, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan2025, jan2025, mem)
	require.NoError(t, err)
	before := snapshot(t, sink)

	partial := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(partial, "2025-01"), 0o755))
	require.NoError(t, os.CopyFS(filepath.Join(partial, "2025-01"), os.DirFS(filepath.Join(inbox, "2025-01"))))
	for _, src := range schemas.AwaitedSources() {
		if src != schemas.Roster && src != schemas.Sales {
			require.NoError(t, os.Remove(filepath.Join(partial, "2025-01", src+".csv")))
		}
	}
	runs, err := jobs.RunPeriods(ctx, runner, testLocking(t), partial, jan2025, jan2025, mem)
	var missing *pipeline.MissingSourcesError
	require.ErrorAs(t, err, &missing)
	require.Equal(t, []string{schemas.HouseholdIncome, schemas.Education, schemas.Medical, schemas.Civil,
		schemas.Employment, schemas.Pension}, missing.Sources)
	require.Contains(t, err.Error(), "lacking household_income, education, medical, civil, employment, pension")
	require.Equal(t, before, snapshot(t, sink), "the refused delivery changed the publication")
	var status, message string
	require.NoError(t, sink.Conn().QueryRow(ctx, fmt.Sprintf(
		"SELECT argMax(status, version), argMax(error, version) FROM etl_run WHERE run_id = '%s'", runs[0].ID)).Scan(&status, &message))
	require.Equal(t, pipeline.StatusFailed, status)
	require.Contains(t, message, "refusing to replace the publication of 2025-01")

	runner.AllowMissing = true
	runs, err = jobs.RunPeriods(ctx, runner, testLocking(t), partial, jan2025, jan2025, mem)
	require.NoError(t, err)
	require.Equal(t, pipeline.StatusPublished, runs[0].Status)
	runner.AllowMissing = false
	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan2025, jan2025, mem)
	require.NoError(t, err, "a fuller delivery always replaces a partial one")
	require.Equal(t, before, snapshot(t, sink))
}
