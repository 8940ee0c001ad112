package jobs_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// TestXLSXInboxPublishesWhatTheCSVInboxDoes generates one dirty province
// twice, once as CSV files and once with every extract an Excel workbook
// (numbers as number cells, IDs as whole numbers), runs both, and proves the
// accounting matches the generator's truth and every published table is
// identical period by period. The quarantine's file and raw-row columns
// differ by nature (civil.xlsx, 3500 for 3500.00) and are left out.
func TestXLSXInboxPublishesWhatTheCSVInboxDoes(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	ctx := context.Background()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To = 300, "2025-01", "2025-02"
	cfg.Dirty.IDInvalid = 0.02
	// A workbook has no ragged rows (cells, not delimited fields), so the
	// CSV inbox it is compared with has none either.
	cfg.Dirty.Ragged = 0

	csvInbox := t.TempDir()
	_, err := synth.Generate(ctx, cfg, csvInbox)
	require.NoError(t, err)
	cfg.XLSXShare = 1
	xlsxInbox := t.TempDir()
	truth, err := synth.Generate(ctx, cfg, xlsxInbox)
	require.NoError(t, err)

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	jan, feb := values.NewMonth(2025, 1), values.NewMonth(2025, 2)
	csvSink, xlsxSink := warehouse(t), warehouse(t)
	_, err = jobs.RunPeriods(ctx, newRunner(t, csvSink, mem), testLocking(t), csvInbox, jan, feb, mem)
	require.NoError(t, err)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, xlsxSink, mem), testLocking(t), xlsxInbox, jan, feb, mem)
	require.NoError(t, err)

	for _, run := range runs {
		pt := truth.Periods[run.Period.String()]
		require.Len(t, run.Sources, len(pt.Files))
		for _, st := range run.Sources {
			require.True(t, strings.HasSuffix(st.File, ".xlsx"), st.File)
			want, ok := pt.Files[st.File]
			require.True(t, ok, "file %s not in truth", st.File)
			require.Equal(t, want.Rows, st.In, "%s rows read", st.File)
			require.Equal(t, nonZero(want.Quarantined), nonZero(st.Reasons), "%s quarantine reasons", st.File)
			require.Equal(t, want.Unmatched, st.Unmatched, "%s unmatched", st.File)
		}
	}
	skip := map[string]string{"quarantine.file": "", "quarantine.row": ""}
	want := checksums(t, csvSink, skip)
	require.NotEmpty(t, want["person_month 2025-02-01"])
	require.Equal(t, want, checksums(t, xlsxSink, skip))
}

// checksums returns, per published table and period ("person_month
// 2025-01-01"), the row count and a SHA-256 of the table's rows in sorted
// order, every column but run_id rendered as text. override replaces a
// column ("table.column") by an SQL expression, or leaves it out when the
// expression is empty.
func checksums(t *testing.T, sink *clickhouse.Sink, override map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tbl := range schemas.Tables {
		if !tbl.Published {
			continue
		}
		var cols []string
		for _, c := range tbl.Columns {
			expr, overridden := override[tbl.Name+"."+c.Name]
			switch {
			case c.Name == "run_id" || (overridden && expr == ""):
				continue
			case overridden:
				cols = append(cols, expr)
			case strings.HasPrefix(c.Type, "Array("):
				cols = append(cols, "arrayStringConcat("+c.Name+", ',')")
			case strings.HasPrefix(c.Type, "Nullable("):
				cols = append(cols, "ifNull(toString("+c.Name+"), 'NULL')")
			default:
				cols = append(cols, "toString("+c.Name+")")
			}
		}
		period := "''"
		if slices.Contains(tbl.Names(), "period") {
			period = "toString(period)"
		}
		rows, err := sink.Conn().Query(context.Background(),
			"SELECT "+period+", arrayStringConcat(["+strings.Join(cols, ", ")+"], '|') FROM "+tbl.Name)
		require.NoError(t, err)
		byPeriod := map[string][]string{}
		for rows.Next() {
			var p, s string
			require.NoError(t, rows.Scan(&p, &s))
			byPeriod[p] = append(byPeriod[p], s)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		for p, lines := range byPeriod {
			sort.Strings(lines)
			h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
			out[strings.TrimSpace(tbl.Name+" "+p)] = fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(h[:8]))
		}
	}
	return out
}

// TestHeaderOnlyExtractIsDeliveredEmpty: an employment file with its header
// and no row is recorded as delivered-empty (not missing), and the
// indicators that need employment are incomplete; a header-only roster
// fails the run.
func TestHeaderOnlyExtractIsDeliveredEmpty(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	ctx := context.Background()
	sink := warehouse(t)
	inbox := t.TempDir()
	cfg := synth.Clean()
	cfg.Households, cfg.From, cfg.To = 60, "2025-01", "2025-01"
	_, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	dir := filepath.Join(inbox, "2025-01")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "employment.csv"),
		[]byte("身份证号,就业年月,就业状态,就业形式,就业地域,月工资收入\n"), 0o644))

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	jan := values.NewMonth(2025, 1)
	runner := newRunner(t, sink, mem)
	runs, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan, jan, mem)
	require.NoError(t, err)
	require.Equal(t, []string{schemas.Employment}, runs[0].Empty)
	require.Equal(t, []string{schemas.Housing, schemas.Collective, schemas.Water}, runs[0].Missing, "only the optional departments the generator did not write")
	require.Equal(t, 1.0, scalar(t, sink, "SELECT toFloat64(count()) FROM etl_run FINAL WHERE has(empty_sources, 'employment') AND status = 'published'"))
	complete := queryMap(t, sink, `SELECT indicator_code, toFloat64(min(complete)) FROM indicator GROUP BY indicator_code`)
	require.Equal(t, 0.0, complete["EMPLOYED_PERSONS"])
	require.Equal(t, 1.0, complete["HELP_SALES"])

	require.NoError(t, os.WriteFile(filepath.Join(dir, "roster.csv"),
		[]byte("身份证号,姓名,户编号,与户主关系,区划代码,户类型,劳动能力,是否易地搬迁,家庭人口数\n"), 0o644))
	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan, jan, mem)
	require.ErrorIs(t, err, pipeline.ErrRosterEmpty)
}

// TestRowCountDropFailsTheRun: February's employment file cut off mid-row
// (a third of it) fails the run naming the source and both counts, unless
// the change is accepted.
func TestRowCountDropFailsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	ctx := context.Background()
	sink := warehouse(t)
	inbox := t.TempDir()
	cfg := synth.Clean()
	cfg.Households, cfg.From, cfg.To = 300, "2025-01", "2025-02"
	_, err := synth.Generate(ctx, cfg, inbox)
	require.NoError(t, err)
	path := filepath.Join(inbox, "2025-02", "employment.csv")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b[:len(b)/3], 0o644))

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	runner := newRunner(t, sink, mem)
	runner.RowCountChange = 0.5
	jan, feb := values.NewMonth(2025, 1), values.NewMonth(2025, 2)
	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, jan, jan, mem)
	require.NoError(t, err)
	runs, err := jobs.RunPeriods(ctx, runner, testLocking(t), inbox, feb, feb, mem)
	require.Error(t, err)
	require.Regexp(t, `checking row counts: employment: \d+ rows read, \d+ in 2025-01 \(-6\d%\) changed by more than 50% against the last published period; check the delivery, or re-run with --accept-row-count-change`, err.Error())
	require.Equal(t, pipeline.StatusFailed, runs[0].Status)
	require.Equal(t, 0.0, scalar(t, sink, "SELECT toFloat64(count()) FROM person_month WHERE period = toDate('2025-02-01')"))

	runner.AcceptRowCountChange = true
	_, err = jobs.RunPeriods(ctx, runner, testLocking(t), inbox, feb, feb, mem)
	require.NoError(t, err)
}
