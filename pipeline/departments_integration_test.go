package pipeline_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// TestHousingWaterAndCollectiveFlowToEveryTable runs the hand-written
// two-month inbox of testdata/departments (three roster households: H1 in
// 瑞金 360781100001, H2 脱贫户 and H3 边缘易致贫户 in 黎川 361022100002)
// and checks, worked by hand, what the three departments put in every table.
func TestHousingWaterAndCollectiveFlowToEveryTable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inbox := "testdata/departments"
	may, june := values.NewMonth(2025, 5), values.NewMonth(2025, 6)

	run, err := e.run(t, inbox, may)
	require.NoError(t, err)
	require.Equal(t, pipeline.StatusPublished, run.Status)
	stats := map[string]pipeline.SourceStats{}
	for _, s := range run.Sources {
		stats[s.Source] = s
	}
	// housing: the spouse's ID and an ID not on the roster name no household
	// head; collective: H99 is not on the roster, a 2025-04 row and a
	// village of no county are quarantined.
	require.Equal(t, [4]int64{4, 4, 0, 2}, accounting(stats[schemas.Housing]), "housing in, accepted, quarantined, unmatched")
	require.Equal(t, [4]int64{3, 3, 0, 0}, accounting(stats[schemas.Water]), "water")
	require.Equal(t, [4]int64{5, 3, 2, 1}, accounting(stats[schemas.Collective]), "collective")
	require.Equal(t, map[string]int64{schemas.ReasonPeriodMismatch: 1, schemas.ReasonUnknownRegion: 1}, stats[schemas.Collective].Reasons)

	_, err = e.run(t, inbox, june)
	require.NoError(t, err)

	type hy struct {
		Appraised, InPlan                            uint8
		Grade, Status                                string
		Assessed, Quality, Shortage                  uint8
		Labor, Relief, Dividend                      int64 // fen
		Received, VillagePaid                        uint8
		WageVerified, TransferDept, PropertyVerified int64
		Property, Net                                int64
	}
	read := func(m values.Month, no string) hy {
		var r hy
		require.NoError(t, e.sink.Conn().QueryRow(ctx, fmt.Sprintf(`SELECT housing_appraised, housing_in_plan, housing_grade,
    housing_renovation_status, water_assessed, water_quality_ok, water_seasonal_shortage,
    toInt64(collective_labor * 100), toInt64(collective_relief * 100), toInt64(collective_dividend * 100),
    collective_received, collective_village_dividend,
    toInt64(wage_verified * 100), toInt64(transfer_dept * 100), toInt64(property_verified * 100), toInt64(property_income * 100), toInt64(net_income * 100)
FROM household_year WHERE period = toDate('%s-01') AND household_no = '%s'`, m, no)).Scan(
			&r.Appraised, &r.InPlan, &r.Grade, &r.Status, &r.Assessed, &r.Quality, &r.Shortage,
			&r.Labor, &r.Relief, &r.Dividend, &r.Received, &r.VillagePaid,
			&r.WageVerified, &r.TransferDept, &r.PropertyVerified, &r.Property, &r.Net))
		return r
	}
	// May: H1 C级 在建 in the plan, 按劳分配 300; H2 D级 not planned, water
	// 水质 否, 按股分红 100 (so its village paid dividends); H3 no housing
	// row, 季节性缺水, nothing received.
	require.Equal(t, hy{1, 1, "C级", "在建", 1, 1, 0, 30000, 0, 0, 1, 0, 30000, 0, 0, 0, 30000}, read(may, "H1"))
	require.Equal(t, hy{1, 0, "D级", "", 1, 0, 0, 0, 0, 10000, 1, 1, 0, 0, 10000, 10000, 10000}, read(may, "H2"))
	require.Equal(t, hy{0, 0, "", "", 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, read(may, "H3"))
	// June: year to date — H1 300 + 200 按劳分配; H2 keeps May's 100 按股分红
	// and adds 80 兜底救助 (transfer_dept); the village flag of 黎川's village
	// is read back from May; H1's renovation is 竣工.
	require.Equal(t, hy{1, 1, "C级", "竣工", 1, 1, 0, 50000, 0, 0, 1, 0, 50000, 0, 0, 0, 50000}, read(june, "H1"))
	require.Equal(t, hy{1, 0, "D级", "", 1, 1, 0, 0, 8000, 10000, 1, 1, 0, 8000, 10000, 10000, 18000}, read(june, "H2"))
	require.Equal(t, hy{0, 0, "", "", 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, read(june, "H3"))

	findings := func(m values.Month) map[string][]string {
		rows, err := e.sink.Conn().Query(ctx, fmt.Sprintf(`SELECT d.rule_code, h.household_no FROM discrepancy AS d
ANY INNER JOIN (SELECT DISTINCT household_key, household_no FROM household_year WHERE period = toDate('%[1]s-01')) AS h USING household_key
WHERE d.period = toDate('%[1]s-01') AND d.rule_code IN ('HOUSING_UNSAFE_NOT_PLANNED', 'HOUSING_RENOVATION_STALLED',
    'WATER_UNSAFE', 'SEASONAL_WATER_SHORTAGE', 'COLLECTIVE_SHARE_MISSING')
ORDER BY d.rule_code, h.household_no`, m))
		require.NoError(t, err)
		defer rows.Close()
		out := map[string][]string{}
		for rows.Next() {
			var code, no string
			require.NoError(t, rows.Scan(&code, &no))
			out[code] = append(out[code], no)
		}
		require.NoError(t, rows.Err())
		return out
	}
	require.Equal(t, map[string][]string{
		"HOUSING_RENOVATION_STALLED": {"H1"}, // 2025-05 − 2024-03 = 14 months
		"HOUSING_UNSAFE_NOT_PLANNED": {"H2"},
		"WATER_UNSAFE":               {"H2"},
		"SEASONAL_WATER_SHORTAGE":    {"H3"},
		"COLLECTIVE_SHARE_MISSING":   {"H3"},
	}, findings(may))
	require.Equal(t, map[string][]string{
		"HOUSING_UNSAFE_NOT_PLANNED": {"H2"},
		"COLLECTIVE_SHARE_MISSING":   {"H3"}, // the village's May dividend, read back
	}, findings(june))

	rate := func(m values.Month, code string) (num, den float64, complete uint8) {
		require.NoError(t, e.sink.Conn().QueryRow(ctx, fmt.Sprintf(`SELECT numerator, denominator, complete FROM indicator
WHERE period = toDate('%s-01') AND indicator_code = '%s' AND region_level = 'province'`, m, code)).Scan(&num, &den, &complete))
		return
	}
	// HOUSING_SAFE_RATE: May H1 在建 and H2 unsafe → 0/2; June H1 竣工 → 1/2.
	// WATER_SAFE_RATE: May H2 水质 否 → 2/3 (a shortage is no criterion); June 3/3.
	for _, c := range []struct {
		m          values.Month
		code       string
		num, den   float64
		isComplete uint8
	}{
		{may, "HOUSING_SAFE_RATE", 0, 2, 1}, {june, "HOUSING_SAFE_RATE", 1, 2, 1},
		{may, "WATER_SAFE_RATE", 2, 3, 1}, {june, "WATER_SAFE_RATE", 3, 3, 1},
	} {
		num, den, complete := rate(c.m, c.code)
		require.Equal(t, [3]float64{c.num, c.den, float64(c.isComplete)}, [3]float64{num, den, float64(complete)}, "%s %s", c.code, c.m)
	}

	var rules, inds uint64
	require.NoError(t, e.sink.Conn().QueryRow(ctx, `SELECT count() FROM dim_rule WHERE rule_code IN ('HOUSING_UNSAFE_NOT_PLANNED',
    'HOUSING_RENOVATION_STALLED', 'WATER_UNSAFE', 'SEASONAL_WATER_SHORTAGE', 'COLLECTIVE_SHARE_MISSING')`).Scan(&rules))
	require.NoError(t, e.sink.Conn().QueryRow(ctx, `SELECT count() FROM dim_indicator WHERE indicator_code IN ('HOUSING_SAFE_RATE', 'WATER_SAFE_RATE')`).Scan(&inds))
	require.Equal(t, [2]uint64{5, 2}, [2]uint64{rules, inds}, "the new rules and indicators are named in the dimensions")
}

func accounting(s pipeline.SourceStats) [4]int64 {
	return [4]int64{s.In, s.Accepted, s.Quarantined, s.Unmatched}
}
