package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/privacy"
	"zengshou/transforms/values"
)

// The persons of the year-boundary inbox: valid ID numbers (17 digits + the
// check character).
var (
	// diedNov dies on 2024-11-15; the 死亡登记 arrives in November 2024 and
	// the roster keeps the person through March 2025.
	diedNov = withCheck("36078119500101001")
	// spouse lives, insured every month.
	spouse = withCheck("36078119520202002")
	// lateReg dies on 2024-12-20, but the 死亡登记 arrives only in February
	// 2025; still on the roster.
	lateReg = withCheck("36102219480303003")
)

func withCheck(body string) string { return body + string(idnum.CheckChar(body)) }

// yearBoundaryInbox writes 2024-11..2025-03: the same roster every month
// (H1 in 瑞金 360781: diedNov and spouse; H2 in 黎川 361022: lateReg), a
// medical extract in which only spouse is 正常参保, the two death
// registrations, and pensions paid to diedNov in 2024-11 (the month of
// death) and 2025-02, and to lateReg in 2025-01 and 2025-02.
func yearBoundaryInbox(t *testing.T) string {
	t.Helper()
	inbox := t.TempDir()
	roster := "身份证号,姓名,户编号,与户主关系,区划代码,户类型,劳动能力,是否易地搬迁,家庭人口数\n" +
		diedNov + ",张三,H1,户主,360781100001,脱贫户,普通劳动力,否,2\n" +
		spouse + ",李四,H1,配偶,360781100001,脱贫户,普通劳动力,否,2\n" +
		lateReg + ",王五,H2,户主,361022100002,脱贫户,丧失劳动力,否,1\n"
	civil := map[string]string{
		"2024-11": diedNov + ",死亡登记,2024-11,0,,2024-11-15\n",
		"2025-02": lateReg + ",死亡登记,2025-02,0,,2024-12-20\n",
	}
	pension := map[string]string{
		"2024-11": diedNov + ",2024-11,200\n",
		"2025-01": lateReg + ",2025-01,180\n",
		"2025-02": diedNov + ",2025-02,200\n" + lateReg + ",2025-02,180\n",
	}
	for m := values.NewMonth(2024, 11); m <= values.NewMonth(2025, 3); m++ {
		dir := filepath.Join(inbox, m.String())
		require.NoError(t, os.MkdirAll(dir, 0o755))
		files := map[string]string{
			"roster.csv": roster,
			"medical.csv": "身份证号,参保年度,参保状态,资助参保类别,资助金额,医疗总费用,基本医保报销,大病保险报销,医疗救助,个人自付\n" +
				fmt.Sprintf("%s,%d,正常参保,无,0,0,0,0,0,0\n", spouse, m.Year()),
			"civil.csv":   "身份证号,救助类型,发放年月,发放金额,保障状态,死亡日期\n" + civil[m.String()],
			"pension.csv": "身份证号,发放年月,养老金金额\n" + pension[m.String()],
		}
		for name, body := range files {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
		}
	}
	return inbox
}

// TestDeathsOutliveTheYear runs 2024-11..2025-03 into ClickHouse and checks
// that a death registered in an earlier year is not forgotten in January:
// the person registered dead in 2024-11 is DECEASED_IN_ROSTER in every month
// they stay on the roster, out of INSURED_RATE's denominator and never
// NOT_INSURED, and a 2025-02 pension to them is PAID_AFTER_DEATH; a death
// registered in 2025-02 with a 死亡日期 in 2024-12 counts from 2025-02 on.
// person_month says the same (deceased in every month from the
// registration, death date carried), and Sink.History reads it back for
// real across the year boundary.
func TestDeathsOutliveTheYear(t *testing.T) {
	ctx := context.Background()
	sink := warehouse(t)
	inbox := yearBoundaryInbox(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	runs, err := jobs.RunPeriods(ctx, newRunner(t, sink, mem), testLocking(t), inbox, values.NewMonth(2024, 11), values.NewMonth(2025, 3), mem)
	require.NoError(t, err)
	require.Len(t, runs, 5)
	for _, r := range runs {
		require.Equal(t, pipeline.StatusPublished, r.Status, "%s", r.Period)
	}

	keyer, err := privacy.NewKeyer([]byte("integration-test-key-0123456789"))
	require.NoError(t, err)
	who := map[string]string{keyer.PersonKey(diedNov): "diedNov", keyer.PersonKey(spouse): "spouse", keyer.PersonKey(lateReg): "lateReg"}
	// lines runs a query of string columns whose second is a person_key and
	// returns its rows as sorted "col who col…" lines.
	lines := func(query string) []string {
		t.Helper()
		rows, err := sink.Conn().Query(ctx, query)
		require.NoError(t, err)
		defer rows.Close()
		var out []string
		for rows.Next() {
			cols := make([]string, len(rows.Columns()))
			ptrs := make([]any, len(cols))
			for i := range cols {
				ptrs[i] = &cols[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			if name, ok := who[cols[1]]; ok {
				cols[1] = name
			}
			out = append(out, strings.Join(cols, " "))
		}
		require.NoError(t, rows.Err())
		sort.Strings(out)
		return out
	}

	t.Run("findings", func(t *testing.T) {
		require.Equal(t, []string{
			"2024-11 diedNov DECEASED_IN_ROSTER",
			"2024-11 lateReg NOT_INSURED",
			"2024-12 diedNov DECEASED_IN_ROSTER",
			"2024-12 lateReg NOT_INSURED",
			"2025-01 diedNov DECEASED_IN_ROSTER",
			"2025-01 lateReg NOT_INSURED",
			"2025-02 diedNov DECEASED_IN_ROSTER",
			"2025-02 diedNov PAID_AFTER_DEATH",
			"2025-02 lateReg DECEASED_IN_ROSTER",
			"2025-02 lateReg PAID_AFTER_DEATH",
			"2025-03 diedNov DECEASED_IN_ROSTER",
			"2025-03 lateReg DECEASED_IN_ROSTER",
		}, lines(`SELECT formatDateTime(period, '%Y-%m'), person_key, rule_code FROM discrepancy
WHERE rule_code IN ('DECEASED_IN_ROSTER', 'NOT_INSURED', 'PAID_AFTER_DEATH')
ORDER BY period, rule_code, person_key`), "DECEASED_IN_ROSTER, NOT_INSURED and PAID_AFTER_DEATH by month")
	})

	t.Run("details", func(t *testing.T) {
		require.Equal(t, []string{
			"2025-01 diedNov 民政死亡登记日期 2024-11-15, 本人仍在帮扶对象名册中, 请核实并办理减员",
			"2025-02 diedNov 死亡日期 2024-11-15, 本期 2025-02 仍有发放: 养老金 200.00 元, 请核实并追回",
			"2025-02 lateReg 死亡日期 2024-12-20, 本期 2025-02 仍有发放: 养老金 180.00 元, 请核实并追回",
			"2025-03 lateReg 民政死亡登记日期 2024-12-20, 本人仍在帮扶对象名册中, 请核实并办理减员",
		}, lines(`SELECT formatDateTime(period, '%Y-%m'), person_key, detail FROM discrepancy
WHERE (rule_code = 'DECEASED_IN_ROSTER' AND ((period = toDate('2025-01-01') AND county_code = '360781') OR (period = toDate('2025-03-01') AND county_code = '361022')))
   OR rule_code = 'PAID_AFTER_DEATH'
ORDER BY period, person_key`))
	})

	t.Run("INSURED_RATE counts the living", func(t *testing.T) {
		// Living: spouse and lateReg until January, spouse alone from
		// February; only spouse is insured.
		require.Equal(t, []string{
			"2024-11 1 2",
			"2024-12 1 2",
			"2025-01 1 2",
			"2025-02 1 1",
			"2025-03 1 1",
		}, lines(`SELECT formatDateTime(period, '%Y-%m'), toString(numerator), toString(denominator) FROM indicator
WHERE indicator_code = 'INSURED_RATE' AND region_level = 'province' ORDER BY period`))
	})

	t.Run("person_month is as of the end of the period", func(t *testing.T) {
		require.Equal(t, []string{
			"2024-11 diedNov 1 2024-11-15",
			"2024-11 lateReg 0 NULL",
			"2024-12 diedNov 1 2024-11-15",
			"2024-12 lateReg 0 NULL",
			"2025-01 diedNov 1 2024-11-15",
			"2025-01 lateReg 0 NULL",
			"2025-02 diedNov 1 2024-11-15",
			"2025-02 lateReg 1 2024-12-20",
			"2025-03 diedNov 1 2024-11-15",
			"2025-03 lateReg 1 2024-12-20",
		}, lines(`SELECT formatDateTime(period, '%Y-%m'), person_key, toString(deceased), ifNull(toString(death_date), 'NULL')
FROM person_month WHERE person_key != '`+keyer.PersonKey(spouse)+`' ORDER BY period, county_code`))
		require.Equal(t, 0.0, scalar(t, sink, `SELECT toFloat64(count()) FROM person_month
WHERE person_key = '`+keyer.PersonKey(spouse)+`' AND (deceased = 1 OR death_date IS NOT NULL)`))
	})

	t.Run("Sink.History reads deaths across the year boundary", func(t *testing.T) {
		cases := []struct {
			period values.Month
			want   map[string]string
		}{
			{values.NewMonth(2024, 11), map[string]string{}},
			{values.NewMonth(2025, 1), map[string]string{"diedNov": "2024-11-15"}},
			{values.NewMonth(2025, 2), map[string]string{"diedNov": "2024-11-15"}},
			{values.NewMonth(2025, 3), map[string]string{"diedNov": "2024-11-15", "lateReg": "2024-12-20"}},
			{values.NewMonth(2026, 1), map[string]string{"diedNov": "2024-11-15", "lateReg": "2024-12-20"}},
		}
		for _, c := range cases {
			h, err := sink.History(ctx, c.period)
			require.NoError(t, err)
			got := map[string]string{}
			for _, k := range h.PersonLife.Keys() {
				if h.PersonLife.Int(schemas.Deceased, k) == 1 {
					got[who[k]] = arrow.Date32(h.PersonLife.Int(schemas.DeathDate, k)).FormattedString()
				}
			}
			require.Equal(t, c.want, got, "History(%s).DeathDates", c.period)
		}
		// The year-bound parts stay in their year: January 2025 sees no
		// 2024 pension, March 2025 sees February's.
		jan, err := sink.History(ctx, values.NewMonth(2025, 1))
		require.NoError(t, err)
		require.Zero(t, jan.PersonYear.Int(schemas.PensionPaid, keyer.PersonKey(diedNov)), "2024's pensions are not in 2025's year to date")
		mar, err := sink.History(ctx, values.NewMonth(2025, 3))
		require.NoError(t, err)
		require.Equal(t, int64(200_00), mar.PersonYear.Int(schemas.PensionPaid, keyer.PersonKey(diedNov)))
		require.Equal(t, int64(360_00), mar.PersonYear.Int(schemas.PensionPaid, keyer.PersonKey(lateReg)))
	})
}
