package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/transforms/values"
)

func shanghai(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := Location()
	require.NoError(t, err)
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return at
}

// TestSchedulesFireInShanghaiAcrossMonthAndYearEnds checks the default
// schedules' next fire times, worked by hand in Beijing time (UTC+8), and
// the period each firing works on.
func TestSchedulesFireInShanghaiAcrossMonthAndYearEnds(t *testing.T) {
	loc, err := Location()
	require.NoError(t, err)
	d := config.DefaultServe()
	for name, tc := range map[string]struct {
		spec, after string
		want        []string
	}{
		"monthly etl across a month end": {d.ETL.Schedule, "2025-01-31 23:00",
			[]string{"2025-02-05 02:00", "2025-03-05 02:00"}},
		"monthly etl across the year end": {d.ETL.Schedule, "2025-12-05 02:00",
			[]string{"2026-01-05 02:00", "2026-02-05 02:00"}},
		"monthly report across the year end": {d.MonthlyReport.Schedule, "2025-12-06 08:00",
			[]string{"2026-01-06 08:00", "2026-02-06 08:00"}},
		"quarterly report across the year end": {d.QuarterlyReport.Schedule, "2025-10-10 08:01",
			[]string{"2026-01-10 08:00", "2026-04-10 08:00", "2026-07-10 08:00", "2026-10-10 08:00"}},
		// Midnight on the 1st in Beijing is still the previous day in UTC.
		"a first-of-month spec at Beijing midnight": {"0 0 1 * *", "2025-12-15 12:00",
			[]string{"2026-01-01 00:00", "2026-02-01 00:00"}},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseSchedule(tc.spec, loc)
			require.NoError(t, err)
			at := shanghai(t, tc.after)
			for _, want := range tc.want {
				at = s.Next(at)
				require.Equal(t, shanghai(t, want), at, "next after the previous")
				require.Equal(t, loc, at.Location())
			}
		})
	}
}

func TestFiringsWorkOnThePreviousPeriodInBeijingTime(t *testing.T) {
	loc, err := Location()
	require.NoError(t, err)
	for fired, want := range map[string]struct{ month, quarter values.Month }{
		"2026-01-05 02:00": {values.NewMonth(2025, 12), values.NewMonth(2025, 12)},
		"2025-02-05 02:00": {values.NewMonth(2025, 1), values.NewMonth(2024, 12)},
		"2025-04-10 08:00": {values.NewMonth(2025, 3), values.NewMonth(2025, 3)},
		"2025-07-10 08:00": {values.NewMonth(2025, 6), values.NewMonth(2025, 6)},
		"2025-10-10 08:00": {values.NewMonth(2025, 9), values.NewMonth(2025, 9)},
		// 2026-01-01 00:30 in Beijing is 2025-12-31 16:30 UTC: the period
		// is December, not November.
		"2026-01-01 00:30": {values.NewMonth(2025, 12), values.NewMonth(2025, 12)},
	} {
		at := shanghai(t, fired).UTC()
		require.Equal(t, want.month, PreviousMonth(at, loc), "month of a firing at %s", fired)
		require.Equal(t, want.quarter, PreviousQuarter(at, loc), "quarter of a firing at %s", fired)
	}
}

func TestParseScheduleRejectsABadSpec(t *testing.T) {
	loc, err := Location()
	require.NoError(t, err)
	_, err = ParseSchedule("0 2 32 * *", loc)
	require.ErrorContains(t, err, `"0 2 32 * *"`)
	s, err := ParseSchedule("@every 1m", loc)
	require.NoError(t, err)
	at := shanghai(t, "2025-12-31 23:59")
	require.Equal(t, shanghai(t, "2026-01-01 00:00"), s.Next(at))
}

func TestBackoffDoublesUpToTheBoundWithJitter(t *testing.T) {
	r := config.Retry{Attempts: 6, Initial: time.Second, Max: 10 * time.Second}
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, Backoff(r, n))
	}
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}, got)
	r.Jitter = 0.5
	for n := 1; n <= 6; n++ {
		d := Backoff(r, n)
		base := got[n-1]
		require.GreaterOrEqual(t, d, base/2)
		require.LessOrEqual(t, d, base*3/2)
	}
}
