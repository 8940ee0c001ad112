package doccheck

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/indicators"
	"zengshou/transforms/values"
)

// Months of the generated province: 14 periods across the 2024/2025
// boundary, so that growth, income decline and INCOME_SPIKE_UNBACKED have a
// December before them.
var (
	provinceFrom = values.NewMonth(2024, 1)
	provinceTo   = values.NewMonth(2025, 2)
)

// publishProvince generates a small province over provinceFrom..provinceTo
// and publishes every period into a fresh test database.
func publishProvince(t *testing.T) driver.Conn {
	t.Helper()
	ctx := context.Background()
	cfg := clickhouse.DefaultConfig()
	cfg.DSN = testenv.ClickHouse(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sink := clickhouse.New(cfg, logger)
	require.NoError(t, sink.Connect(ctx))
	t.Cleanup(func() { sink.Close() })

	inbox := t.TempDir()
	scfg := synth.DefaultConfig()
	scfg.Households, scfg.From, scfg.To = 400, provinceFrom.String(), provinceTo.String()
	_, err := synth.Generate(ctx, scfg, inbox)
	require.NoError(t, err)
	mem := memory.NewGoAllocator()
	runner := pipeline.NewRunner(sink, config.DefaultParams(), schemas.MustLoadRegions(), []byte("doccheck-test-key-0123456789"), mem, logger)
	_, err = jobs.RunPeriods(ctx, runner, jobs.Locking{Locks: jobs.NewLocks(t.TempDir()), Command: "test"}, inbox, provinceFrom, provinceTo, mem)
	require.NoError(t, err)
	return sink.Conn()
}

// TestAGeneratedProvinceAcrossAYearBoundary publishes 14 months of a
// generated province (2024-01..2025-02) and checks the warehouse as an
// analyst reads it: every SQL of docs/indicators.md reproduces the
// province's indicator values and finding counts, and the tables agree with
// each other in every period.
func TestAGeneratedProvinceAcrossAYearBoundary(t *testing.T) {
	conn := publishProvince(t)
	t.Run("documented SQL reproduces indicators and findings", func(t *testing.T) {
		documentedSQLReproduces(t, conn)
	})
	t.Run("analyst questions of docs/indicators.md run", func(t *testing.T) {
		analystQuestionsRun(t, conn)
	})
	t.Run("consistency in every period", func(t *testing.T) {
		consistentInEveryPeriod(t, conn)
	})
}

// documentedSQLReproduces runs every marked SQL block of docs/indicators.md
// for June and December 2024 and January and February 2025 — the
// documented example dates and the 2025 parameters replaced by the period's
// — and compares it with the province row of indicator, or the count of
// discrepancy rows of the rule. An indicator with no province row (growth
// without a December before it) must come out as no number (NaN or ±Inf).
func documentedSQLReproduces(t *testing.T, conn driver.Conn) {
	ctx := context.Background()
	entries := parseIndicatorsMd(t)
	params := config.DefaultParams()
	nonZero := map[string]bool{}
	for _, period := range []values.Month{values.NewMonth(2024, 6), values.NewMonth(2024, 12), values.NewMonth(2025, 1), values.NewMonth(2025, 2)} {
		yp, err := params.Year(period.Year())
		require.NoError(t, err)
		dec := values.NewMonth(period.Year()-1, 12)
		replacer := strings.NewReplacer(
			"'2025-06-01'", fmt.Sprintf("'%s-01'", period),
			"'2025-01-01'", fmt.Sprintf("'%d-01-01'", period.Year()),
			"'2024-12-01'", fmt.Sprintf("'%s-01'", dec),
			" 7680 ", fmt.Sprintf(" %d ", yp.DibaoStandard),
			"/ 24033 ", fmt.Sprintf("/ %d ", yp.RuralIncome),
			">= 5000\n", fmt.Sprintf(">= %d\n", yp.MedicalOOPThreshold))
		for _, e := range entries {
			t.Run(period.String()+"/"+e.Code, func(t *testing.T) {
				query := replacer.Replace(e.SQL + "\n")
				var got float64
				require.NoError(t, conn.QueryRow(ctx, "SELECT toFloat64(*) FROM ("+query+")").Scan(&got), query)
				var want float64
				switch e.Kind {
				case "indicator":
					rows, err := conn.Query(ctx, fmt.Sprintf(
						"SELECT value FROM indicator WHERE period = toDate('%s-01') AND indicator_code = '%s' AND region_level = 'province'",
						period, e.Code))
					require.NoError(t, err)
					found := rows.Next()
					if found {
						require.NoError(t, rows.Scan(&want))
					}
					require.NoError(t, rows.Err())
					rows.Close()
					if !found {
						require.True(t, math.IsNaN(got) || math.IsInf(got, 0), "%s of %s has no row, the SQL gives %v", e.Code, period, got)
						return
					}
					require.InDelta(t, want, got, 1e-9*math.Max(1, math.Abs(want)), "%s of %s", e.Code, period)
				case "rule":
					var n uint64
					require.NoError(t, conn.QueryRow(ctx, fmt.Sprintf(
						"SELECT count() FROM discrepancy WHERE period = toDate('%s-01') AND rule_code = '%s'",
						period, e.Code)).Scan(&n), e.Code)
					want = float64(n)
					require.Equal(t, want, got, "findings of %s in %s", e.Code, period)
				}
				if want != 0 {
					nonZero[e.Code] = true
				}
			})
		}
	}
	// A query that agrees only on zero proves little: every code but the
	// target-zero ones must be seen with a value in some period.
	// The codes of a department the province never delivered (the
	// generator writes housing, water and collective only when asked) are
	// 0 throughout and prove nothing here: the pipeline test of those
	// departments works them by hand.
	var delivered []string
	require.NoError(t, conn.QueryRow(ctx, "SELECT groupUniqArrayArray(sources) FROM etl_run WHERE status = 'published'").Scan(&delivered))
	var zero []string
	for _, e := range entries {
		if dept, ok := departmentOfCode[e.Code]; ok && !slices.Contains(delivered, dept) {
			continue
		}
		if !nonZero[e.Code] {
			zero = append(zero, e.Code)
		}
	}
	require.LessOrEqual(t, len(zero), 2, "codes that are 0 in every period checked: %v", zero)
}

// departmentOfCode names the department whose extract an indicator or rule
// reads when it is one of the optional departments.
var departmentOfCode = map[string]string{
	"HOUSING_SAFE_RATE": schemas.Housing, "HOUSING_UNSAFE_NOT_PLANNED": schemas.Housing, "HOUSING_RENOVATION_STALLED": schemas.Housing,
	"WATER_SAFE_RATE": schemas.Water, "WATER_UNSAFE": schemas.Water, "SEASONAL_WATER_SHORTAGE": schemas.Water,
	"COLLECTIVE_SHARE_MISSING": schemas.Collective,
}

// analystQuestion is a ```sql question=N block of docs/indicators.md.
var analystQuestion = regexp.MustCompile("(?s)```sql question=([0-9]+)\n(.*?)```")

// analystQuestionsRun runs every analyst question of docs/indicators.md on
// the test warehouse, its example periods replaced by February 2025: each
// must execute (the answers depend on the province) and use no JOIN.
func analystQuestionsRun(t *testing.T, conn driver.Conn) {
	ctx := context.Background()
	b, err := os.ReadFile(indicatorsMd)
	require.NoError(t, err)
	qs := analystQuestion.FindAllStringSubmatch(string(b), -1)
	require.GreaterOrEqual(t, len(qs), 10, "at least ten analyst questions")
	replacer := strings.NewReplacer("'2025-12-01'", "'2025-02-01'", "'2025-06-01'", "'2025-02-01'")
	for _, q := range qs {
		t.Run("question "+q[1], func(t *testing.T) {
			require.NotContains(t, strings.ToUpper(q[2]), "JOIN", "answered without a join")
			rows, err := conn.Query(ctx, replacer.Replace(q[2]))
			require.NoError(t, err, q[2])
			for rows.Next() {
			}
			require.NoError(t, rows.Err())
			rows.Close()
		})
	}
}

// consistentInEveryPeriod checks, for every published period, relations the
// tables must satisfy; each query lists the violations.
func consistentInEveryPeriod(t *testing.T, conn driver.Conn) {
	ctx := context.Background()
	var periods uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT uniqExact(period) FROM indicator").Scan(&periods))
	require.GreaterOrEqual(t, periods, uint64(13), "at least 13 months")

	additive := quoted(indicators.Registry, func(d indicators.Definition) bool { return !d.Ratio })
	ratio := quoted(indicators.Registry, func(d indicators.Definition) bool { return d.Ratio && d.Scale == nil })
	perCapita := quoted(indicators.Registry, func(d indicators.Definition) bool { return d.Scale != nil })
	registry := quoted(indicators.Registry, func(indicators.Definition) bool { return true })

	checks := []struct{ name, sql string }{
		{"NOT_INSURED findings = living roster persons − insured", `
SELECT period, living - insured AS want, findings FROM
(SELECT period, countIf(deceased = 0) AS living, countIf(deceased = 0 AND insured = 1) AS insured
 FROM person_month GROUP BY period)
ANY LEFT JOIN
(SELECT period, count() AS findings FROM discrepancy WHERE rule_code = 'NOT_INSURED' GROUP BY period) USING (period)
WHERE want != findings`},
		{"NOT_INSURED findings = INSURED_RATE denominator − numerator", `
SELECT period, want, findings FROM
(SELECT period, toUInt64(denominator - numerator) AS want FROM indicator
 WHERE indicator_code = 'INSURED_RATE' AND region_level = 'province')
ANY LEFT JOIN
(SELECT period, count() AS findings FROM discrepancy WHERE rule_code = 'NOT_INSURED' GROUP BY period) USING (period)
WHERE want != findings`},
		{"STUDENT_NO_AID findings = students in school − aided", `
SELECT period, want, findings FROM
(SELECT period, toUInt64(denominator - numerator) AS want FROM indicator
 WHERE indicator_code = 'STUDENT_AID_COVERAGE' AND region_level = 'province')
ANY LEFT JOIN
(SELECT period, count() AS findings FROM discrepancy WHERE rule_code = 'STUDENT_NO_AID' GROUP BY period) USING (period)
WHERE want != findings`},
		{"ZERO_EMPLOYMENT_HOUSEHOLD findings = ZERO_EMPLOYMENT_HOUSEHOLDS, in every county", `
SELECT period, region_code, want, findings FROM
(SELECT period, region_code, toUInt64(value) AS want FROM indicator
 WHERE indicator_code = 'ZERO_EMPLOYMENT_HOUSEHOLDS' AND region_level = 'county')
ANY LEFT JOIN
(SELECT period, county_code AS region_code, count() AS findings FROM discrepancy
 WHERE rule_code = 'ZERO_EMPLOYMENT_HOUSEHOLD' GROUP BY period, county_code) USING (period, region_code)
WHERE want != findings`},
		{"county sums = city for every additive indicator and every numerator and denominator", `
SELECT period, indicator_code, region_code, num, den, city_num, city_den FROM
(SELECT period, indicator_code, city_code AS region_code, sum(numerator) AS num, sum(denominator) AS den
 FROM indicator WHERE region_level = 'county' AND indicator_code IN (` + registry + `)
 GROUP BY period, indicator_code, city_code)
ANY LEFT JOIN
(SELECT period, indicator_code, region_code, numerator AS city_num, denominator AS city_den
 FROM indicator WHERE region_level = 'city') USING (period, indicator_code, region_code)
WHERE abs(num - city_num) > 1e-6 * greatest(1, abs(num))
   OR (indicator_code NOT IN (` + additive + `) AND abs(den - city_den) > 1e-6 * greatest(1, abs(den)))`},
		{"city sums = province", `
SELECT period, indicator_code, num, den, prov_num, prov_den FROM
(SELECT period, indicator_code, sum(numerator) AS num, sum(denominator) AS den
 FROM indicator WHERE region_level = 'city' AND indicator_code IN (` + registry + `)
 GROUP BY period, indicator_code)
ANY LEFT JOIN
(SELECT period, indicator_code, numerator AS prov_num, denominator AS prov_den
 FROM indicator WHERE region_level = 'province') USING (period, indicator_code)
WHERE abs(num - prov_num) > 1e-6 * greatest(1, abs(num))
   OR (indicator_code NOT IN (` + additive + `) AND abs(den - prov_den) > 1e-6 * greatest(1, abs(den)))`},
		{"additive indicators: value = numerator, denominator = 1", `
SELECT period, indicator_code, region_level, region_code, value, numerator, denominator FROM indicator
WHERE indicator_code IN (` + additive + `) AND (value != numerator OR denominator != 1)`},
		{"ratios: value = numerator ÷ denominator (0 when the denominator is)", `
SELECT period, indicator_code, region_level, region_code, value, numerator, denominator FROM indicator
WHERE indicator_code IN (` + ratio + `, 'INCOME_RATIO_TO_RURAL')
  AND abs(value - if(denominator = 0, 0, numerator / denominator)) > 1e-9`},
		{"per-capita income: value = numerator ÷ denominator × 12 ÷ months_elapsed", `
SELECT period, indicator_code, region_level, region_code, value, numerator, denominator, months_elapsed FROM indicator
WHERE indicator_code IN (` + perCapita + `)
  AND (months_elapsed != toMonth(period)
       OR abs(value - if(denominator = 0, 0, numerator / denominator * 12 / months_elapsed)) > 1e-6)`},
		{"growth: value = numerator ÷ denominator − 1", `
SELECT period, region_level, region_code, value, numerator, denominator FROM indicator
WHERE indicator_code = 'PER_CAPITA_INCOME_GROWTH' AND abs(value - (numerator / denominator - 1)) > 1e-9`},
		{"every indicator row names its region and its parent city", `
SELECT period, indicator_code, region_level, region_code, region_name, city_code, city_name FROM indicator
WHERE region_name = ''
   OR (region_level = 'city' AND (city_code != region_code OR city_name != region_name))
   OR (region_level = 'county' AND (city_code != substring(region_code, 1, 4) || '00' OR city_name = ''))
   OR (region_level IN ('province', 'group') AND (city_code != '' OR city_name != ''))
LIMIT 10`},
		{"county indicator rows carry dim_county's names", `
SELECT period, region_code, region_name, city_name, county_name, dim_city FROM
(SELECT period, region_code AS county_code, region_code, region_name, city_name FROM indicator WHERE region_level = 'county')
ANY LEFT JOIN (SELECT county_code, county_name, city_name AS dim_city FROM dim_county) USING (county_code)
WHERE region_name != county_name OR city_name != dim_city LIMIT 10`},
		{"findings carry dim_county's names", `
SELECT period, rule_code, county_code, county_name, city_code, city_name FROM
(SELECT period, rule_code, county_code, county_name, city_code, city_name FROM discrepancy)
ANY LEFT JOIN (SELECT county_code, county_name AS dim_county, city_code AS dim_city_code, city_name AS dim_city FROM dim_county) USING (county_code)
WHERE county_name != dim_county OR city_code != dim_city_code OR city_name != dim_city LIMIT 10`},
		{"household findings locate the household as household_year does", `
SELECT period, rule_code, household_key FROM
(SELECT period, household_key, rule_code, village_code, household_no, head_id_masked, head_name_masked FROM discrepancy)
ANY LEFT JOIN
(SELECT period, household_key, village_code AS hy_village, household_no AS hy_no, head_id_masked AS hy_id, head_name_masked AS hy_name
 FROM household_year) USING (period, household_key)
WHERE household_no = '' OR village_code != hy_village OR household_no != hy_no OR head_id_masked != hy_id OR head_name_masked != hy_name
LIMIT 10`},
		{"person findings name the person as person_month does", `
SELECT period, rule_code, person_key FROM
(SELECT period, person_key, rule_code, id_masked, name_masked FROM discrepancy WHERE person_key != '')
ANY LEFT JOIN
(SELECT period, person_key, id_masked AS pm_id, name_masked AS pm_name FROM person_month) USING (period, person_key)
WHERE id_masked = '' OR id_masked != pm_id OR name_masked != pm_name LIMIT 10`},
		{"household locators: the head row of person_month, 户编号 within the county", `
SELECT period, household_key FROM
(SELECT period, household_key, village_code, head_id_masked, household_no, county_code FROM household_year)
ANY LEFT JOIN
(SELECT period, household_key, any(village_code) AS pm_village, groupArray(id_masked) AS ids FROM person_month
 GROUP BY period, household_key) USING (period, household_key)
WHERE village_code = '' OR NOT has(ids, head_id_masked) OR substring(village_code, 1, 6) != county_code
   OR substring(household_no, 1, 6) != county_code LIMIT 10`},
		{"household_year.medical_oop = Σ members' 个人自付 of the year", `
SELECT period, household_key, fen, want FROM
(SELECT period, household_key, toInt64(medical_oop * 100) AS fen FROM household_year)
ANY LEFT JOIN
(SELECT period, household_key,
        sum(arraySum(arrayMap(x -> tupleElement(x, 2),
            arrayFilter(x -> toYear(tupleElement(x, 1)) = toYear(period) AND tupleElement(x, 1) <= period, months)))) AS want
 FROM
  (SELECT period, household_key, person_key FROM person_month)
  ANY LEFT JOIN
  (SELECT person_key, groupArray((period, toInt64(medical_oop * 100))) AS months FROM person_month GROUP BY person_key) USING (person_key)
 GROUP BY period, household_key) USING (period, household_key)
WHERE fen != want LIMIT 10`},
		{"dimension tables name every code the warehouse holds", `
SELECT 'indicator', indicator_code FROM indicator WHERE indicator_code NOT IN (SELECT indicator_code FROM dim_indicator)
UNION ALL SELECT 'rule', rule_code FROM discrepancy WHERE rule_code NOT IN (SELECT rule_code FROM dim_rule)
UNION ALL SELECT 'reason', reason_code FROM quarantine WHERE reason_code NOT IN (SELECT reason_code FROM dim_reason)
LIMIT 10`},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			rows, err := conn.Query(ctx, c.sql)
			require.NoError(t, err, c.sql)
			defer rows.Close()
			var bad []string
			cols := rows.ColumnTypes()
			for rows.Next() {
				vals := make([]any, len(cols))
				for i, ct := range cols {
					vals[i] = newScanTarget(ct.ScanType())
				}
				require.NoError(t, rows.Scan(vals...))
				bad = append(bad, fmt.Sprint(derefAll(vals)...))
			}
			require.NoError(t, rows.Err())
			require.Empty(t, bad, "violations")
		})
	}
}

// quoted lists the registry codes of the definitions keep accepts, as SQL
// string literals.
func quoted(defs []indicators.Definition, keep func(indicators.Definition) bool) string {
	var out []string
	for _, d := range defs {
		if keep(d) {
			out = append(out, "'"+d.Code+"'")
		}
	}
	return strings.Join(out, ", ")
}
