package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/poisonmem"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/values"
)

// id makes a valid ID number from 17 digits.
func id(body string) string { return body + string(idnum.CheckChar(body)) }

var (
	head   = id("36073119800101001")
	spouse = id("36073119820202002")
	alone  = id("36102519500404004")
)

const rosterHeader = "身份证号,姓名,户编号,与户主关系,区划代码,户类型,劳动能力,是否易地搬迁,家庭人口数\n"
const incomeHeader = "户编号,年度,生产经营性收入,生产经营性支出,财产性收入,其他转移性收入,自报工资性收入\n"

// roster is the same two households every month: H1 in 瑞金 (360781), H2 in
// 黎川 (361022).
func roster() string {
	return rosterHeader +
		head + ",张三,H1,户主,360781100001,脱贫户,普通劳动力,否,2\n" +
		spouse + ",李四,H1,配偶,360781100001,脱贫户,普通劳动力,否,2\n" +
		alone + ",王五,H2,户主,361022100002,脱贫户,丧失劳动力,否,1\n"
}

func write(t *testing.T, inbox, period string, files map[string]string) {
	t.Helper()
	dir := filepath.Join(inbox, period)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
}

type env struct {
	sink   *clickhouse.Sink
	runner *pipeline.Runner
	mem    *memory.CheckedAllocator
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sink := clickhouse.New(cfg, logger)
	require.NoError(t, sink.Connect(context.Background()))
	t.Cleanup(func() { sink.Close() })
	mem := memory.NewCheckedAllocator(poisonmem.New())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return &env{sink: sink, mem: mem,
		runner: pipeline.NewRunner(sink, config.DefaultParams(), schemas.MustLoadRegions(), []byte("pipeline-test-key-0123456789"), mem, logger)}
}

func (e *env) run(t *testing.T, inbox string, m values.Month) (*pipeline.Run, error) {
	t.Helper()
	extracts, err := jobs.InboxExtracts(inbox, m, e.mem)
	require.NoError(t, err)
	return e.runner.Run(context.Background(), m, extracts)
}

// TestAPeriodWithoutARosterFails: without the roster there is no population
// to join onto; the run fails, says so, and is recorded as failed.
func TestAPeriodWithoutARosterFails(t *testing.T) {
	e := newEnv(t)
	inbox := t.TempDir()
	write(t, inbox, "2025-01", map[string]string{"household_income.csv": incomeHeader + "H1,2025,100,0,0,0,0\n"})
	run, err := e.run(t, inbox, values.NewMonth(2025, 1))
	require.ErrorIs(t, err, pipeline.ErrRosterMissing)
	require.Equal(t, pipeline.StatusFailed, run.Status)
	var status, msg string
	require.NoError(t, e.sink.Conn().QueryRow(context.Background(), fmt.Sprintf(
		"SELECT status, error FROM etl_run FINAL WHERE run_id = '%s'", run.ID)).Scan(&status, &msg))
	require.Equal(t, pipeline.StatusFailed, status)
	require.Contains(t, msg, "帮扶对象名册")
}

// TestSurveyRowsMatchHouseholdsOnceAndCarryForward: a household's second
// household_income row is quarantined DUPLICATE_HOUSEHOLD, a row for a
// household not on the roster is unmatched, and a month without the
// household's row uses the latest published one (the amounts are
// cumulative for the year).
func TestSurveyRowsMatchHouseholdsOnceAndCarryForward(t *testing.T) {
	e := newEnv(t)
	inbox := t.TempDir()
	write(t, inbox, "2025-01", map[string]string{
		"roster.csv": roster(),
		"household_income.csv": incomeHeader +
			"H1,2025,1200,200,0,0,0\n" + // line 2: kept
			"H1,2025,9999,0,0,0,0\n" + // line 3: DUPLICATE_HOUSEHOLD
			"H9,2025,500,0,0,0,0\n" + // line 4: no such household: unmatched
			"H2,2025,0,0,0,300,0\n",
	})
	write(t, inbox, "2025-02", map[string]string{
		"roster.csv":           roster(),
		"household_income.csv": incomeHeader + "H2,2025,0,0,0,600,0\n", // H1 did not report in February
	})
	jan, err := e.run(t, inbox, values.NewMonth(2025, 1))
	require.NoError(t, err)
	var survey pipeline.SourceStats
	for _, s := range jan.Sources {
		if s.Source == schemas.HouseholdIncome {
			survey = s
		}
	}
	require.Equal(t, pipeline.SourceStats{Source: schemas.HouseholdIncome, File: "2025-01/household_income.csv", Encoding: "utf-8",
		In: 4, Accepted: 3, Quarantined: 1, Unmatched: 1, Reasons: map[string]int64{schemas.ReasonDuplicateHousehold: 1}}, survey)

	_, err = e.run(t, inbox, values.NewMonth(2025, 2))
	require.NoError(t, err)
	// February: H1 keeps January's cumulative business figures; H2 reports anew.
	rows, err := e.sink.Conn().Query(context.Background(), `SELECT county_code, survey_present, business_net, transfer_other, net_income, per_capita_net_income_annualized
FROM household_year WHERE period = toDate('2025-02-01') ORDER BY county_code`)
	require.NoError(t, err)
	defer rows.Close()
	type hy struct {
		county                           string
		survey                           uint8
		business, other, net, annualized string
	}
	var got []hy
	for rows.Next() {
		var r hy
		var b, o, n, a decimal.Decimal
		require.NoError(t, rows.Scan(&r.county, &r.survey, &b, &o, &n, &a))
		r.business, r.other, r.net, r.annualized = b.StringFixed(2), o.StringFixed(2), n.StringFixed(2), a.StringFixed(2)
		got = append(got, r)
	}
	require.Equal(t, []hy{
		// H1: 1 200 − 200 = 1 000 net business, 2 persons, 2 months: 1 000 × 12 / (2 × 2) = 3 000.
		{"360781", 1, "1000.00", "0.00", "1000.00", "3000.00"},
		// H2: 600 other transfers, 1 person, 2 months: 600 × 12 / 2 = 3 600.
		{"361022", 1, "0.00", "600.00", "600.00", "3600.00"},
	}, got)
}

// TestASurveyRowOfAnAmbiguousHouseholdNumberIsQuarantined: households are
// keyed on county + 户编号 and the survey carries no county, so a 户编号 that
// two roster households of different counties use cannot be matched: its row
// is quarantined HOUSEHOLD_AMBIGUOUS (with a Chinese detail naming both
// counties) and neither household receives it; an unambiguous 户编号 still
// matches.
func TestASurveyRowOfAnAmbiguousHouseholdNumberIsQuarantined(t *testing.T) {
	e := newEnv(t)
	inbox := t.TempDir()
	other := id("36102219900303003")
	write(t, inbox, "2025-01", map[string]string{
		// H1 in 瑞金 (360781) and another H1 in 黎川 (361022); H2 in 黎川.
		"roster.csv": roster() + other + ",赵六,H1,户主,361022100002,脱贫户,普通劳动力,否,1\n",
		"household_income.csv": incomeHeader +
			"H1,2025,1200,200,0,0,0\n" + // line 2: H1 is in two counties: HOUSEHOLD_AMBIGUOUS
			"H2,2025,0,0,0,300,0\n",
	})
	run, err := e.run(t, inbox, values.NewMonth(2025, 1))
	require.NoError(t, err)
	var survey pipeline.SourceStats
	for _, s := range run.Sources {
		if s.Source == schemas.HouseholdIncome {
			survey = s
		}
	}
	require.Equal(t, pipeline.SourceStats{Source: schemas.HouseholdIncome, File: "2025-01/household_income.csv", Encoding: "utf-8",
		In: 2, Accepted: 1, Quarantined: 1, Reasons: map[string]int64{schemas.ReasonHouseholdAmbiguous: 1}}, survey)

	var line uint32
	var detail string
	require.NoError(t, e.sink.Conn().QueryRow(context.Background(),
		"SELECT line, detail FROM quarantine WHERE reason_code = 'HOUSEHOLD_AMBIGUOUS'").Scan(&line, &detail))
	require.Equal(t, uint32(2), line)
	require.Equal(t, "户编号 H1 在名册中对应 2 个县的户(360781、361022), 收入采集无区划代码, 无法确定归属, 本行不计入", detail)

	rows, err := e.sink.Conn().Query(context.Background(),
		"SELECT county_code, members, survey_present FROM household_year ORDER BY county_code, members, survey_present")
	require.NoError(t, err)
	defer rows.Close()
	type hy struct {
		county  string
		members uint16
		survey  uint8
	}
	var got []hy
	for rows.Next() {
		var r hy
		require.NoError(t, rows.Scan(&r.county, &r.members, &r.survey))
		got = append(got, r)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []hy{{"360781", 2, 0}, {"361022", 1, 0}, {"361022", 1, 1}}, got,
		"neither H1 gets the ambiguous row; H2 (361022, one member) gets its own")
}

// interruptedBegin is the warehouse with its Begin interrupted once the run
// is recorded as running (the daemon aborted while the run's staging tables
// were being created).
type interruptedBegin struct {
	*clickhouse.Sink
	cancel context.CancelFunc
}

func (s interruptedBegin) Begin(ctx context.Context, run *pipeline.Run) error {
	if err := s.Sink.Begin(ctx, run); err != nil {
		return err
	}
	s.cancel()
	return fmt.Errorf("creating the staging tables of run %s: %w", run.ID, ctx.Err())
}

// TestARunInterruptedInBeginIsRecordedAsFailed: a run whose Begin fails
// after recording it as running is recorded as failed with the cause, and
// its staging tables are dropped; it is never left running.
func TestARunInterruptedInBeginIsRecordedAsFailed(t *testing.T) {
	e := newEnv(t)
	inbox := t.TempDir()
	write(t, inbox, "2025-01", map[string]string{"roster.csv": roster()})
	extracts, err := jobs.InboxExtracts(inbox, values.NewMonth(2025, 1), e.mem)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runner := pipeline.NewRunner(interruptedBegin{e.sink, cancel}, config.DefaultParams(), schemas.MustLoadRegions(),
		[]byte("pipeline-test-key-0123456789"), e.mem, slog.New(slog.NewTextHandler(io.Discard, nil)))
	run, err := runner.Run(ctx, values.NewMonth(2025, 1), extracts)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, pipeline.StatusFailed, run.Status)
	var status, msg string
	require.NoError(t, e.sink.Conn().QueryRow(context.Background(), fmt.Sprintf(
		"SELECT argMax(status, version), argMax(error, version) FROM etl_run WHERE run_id = '%s'", run.ID)).Scan(&status, &msg))
	require.Equal(t, pipeline.StatusFailed, status)
	require.Contains(t, msg, "context canceled")
	var stages uint64
	require.NoError(t, e.sink.Conn().QueryRow(context.Background(),
		"SELECT count() FROM system.tables WHERE database = currentDatabase() AND name LIKE 'stage\\\\_%'").Scan(&stages))
	require.Zero(t, stages, "the run's staging tables are dropped")
}

// TestARunTimesEveryStage: a published run carries the wall time of each
// stage, with the rows it handled: each source's decode, normalise and what
// its rows feed, the roster, the computations, each table's build and load,
// the history read and the publication (zengshou run --stats-json writes
// them). No time is asserted, only that the stages are there.
func TestARunTimesEveryStage(t *testing.T) {
	e := newEnv(t)
	inbox := t.TempDir()
	write(t, inbox, "2025-01", map[string]string{
		"roster.csv":           roster(),
		"household_income.csv": incomeHeader + "H1,2025,1200,200,0,0,0\n",
	})
	var seen []string
	e.runner.Progress = func(stage string, _ int64) {
		if len(seen) == 0 || seen[len(seen)-1] != stage {
			seen = append(seen, stage)
		}
	}
	run, err := e.run(t, inbox, values.NewMonth(2025, 1))
	require.NoError(t, err)
	rows := map[string]int64{}
	for _, s := range run.Stages {
		require.GreaterOrEqual(t, s.Seconds, 0.0, s.Stage)
		rows[s.Stage] = s.Rows
	}
	for _, stage := range []string{"decode roster", "normalise roster", "roster add", "roster finish", "households", "pseudonymise",
		"decode household_income", "normalise household_income", "survey household_income", "history read", "income",
		"build person_month", "load person_month", "build household_year", "load household_year", "indicators", "rules", "publish"} {
		require.Contains(t, rows, stage)
	}
	require.Equal(t, run.Sources[0].In, rows["decode roster"], "a source's stages count the rows read")
	require.Contains(t, seen, "读取 roster")
	require.Equal(t, "发布", seen[len(seen)-1], "publication is the last stage reported")
}
