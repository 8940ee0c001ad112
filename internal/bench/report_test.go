package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/internal/querytime"
)

// TestMarkdownShowsFloorRunRatioScalingStagesAndGoals: the page holds the
// machine, one line per measured month with run / floor, the growth between
// sizes, every stage with its rows/s, the dashboards' and reports' query
// times with the five slowest, and each goal said met or not.
func TestMarkdownShowsFloorRunRatioScalingStagesAndGoals(t *testing.T) {
	jan := func(n int, floor, run float64) Measure {
		return Measure{Households: n, Period: "2024-01", Files: 8, Rows: int64(11 * n), Bytes: int64(900 * n), RosterRows: int64(3 * n),
			Floor: time.Duration(floor * float64(time.Second)), Run: time.Duration(run * float64(time.Second)), PeakRSS: 1 << 30,
			CPU: time.Duration(run * 0.6 * float64(time.Second)), Load: 1.5,
			Stages: []Stage{{"decode roster", int64(3 * n), 2}, {"publish", 0, 0.5}}}
	}
	dec := jan(1000, 4, 1.5)
	dec.Period = "2024-12"
	r := &Result{
		Config:   Config{Households: 1000, MemoryLimit: "2GiB"},
		Machine:  Machine{CPU: "Test CPU", Cores: 2, MemoryGiB: 24, Kernel: "Linux 6", Go: "go1.26", ClickHouse: "ClickHouse client version 18.16.1"},
		Scaling:  []Measure{jan(250, 1, 0.5), jan(500, 2, 1), jan(1000, 4, 2.2)},
		December: &dec,
		Queries: &QueryTimes{Households: 1000, Period: "2024-12", Quarter: "2024-Q4",
			Dashboards: []querytime.Query{{Query: "目标追踪 / 六项目标", Ms: 12, Rows: 6}, {Query: "收入结构 / 构成", Ms: 420.5, Rows: 30}},
			Monthly: []querytime.Query{{Query: "SELECT a | b FROM indicator", Caller: "reports.(*loader).loadIndicators", Ms: 250, Rows: 900},
				{Query: "SELECT county_code FROM dim_county", Caller: "reports.(*loader).loadCounties", Ms: 2, Rows: 100},
				{Query: "SELECT 1", Caller: "reports.Headlines", Ms: 3, Rows: 1}},
			Quarterly: []querytime.Query{{Query: "SELECT household_key FROM discrepancy", Caller: "reports.(*loader).loadLedger", Ms: 310, Rows: 5000}},
		},
		Started: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Took:    time.Minute,
	}
	md := r.Markdown()
	for _, want := range []string{
		"Test CPU, 2 cores",
		"| 2024-01 | 1000 | 3000 | 11000 | 1 | 4.0 | 2.2 | 0.55 | 1.3 | 1.5 | 1024 |",
		"| 2024-12 | 1000 | 3000 | 11000 | 1 | 4.0 | 1.5 | 0.38 | 0.9 | 1.5 | 1024 |",
		"| 1× | 1000 | 2.2 | 2.20 | 4.0 |",
		"| decode roster | 3000 | 2.00 | 1500 | 2.00 |",
		"| run ≤ 0.5× the floor, January and December | January 0.55×, December 0.38× | **no** |",
		"(below province scale) | **no** |",
		"| time linear: successive sizes ≤ 2.1× | 2.00 2.20 | **no** |",
		"## Queries (dashboards and reports)",
		"`zengshou report --pdf off` (the monthly report of 2024-12 and the quarterly report of 2024-Q4)",
		"| dashboard panels | 2 | 216.2 | 420.5 | 1 |",
		"| monthly report 2024-12 | 3 | 3.0 | 250.0 | 0 |",
		"| quarterly report 2024-Q4 | 1 | 310.0 | 310.0 | 1 |",
		"| all | 6 | 131.0 | 420.5 | 2 |",
		"| queries of | query | sent by | rows | ms |\n|---|---|---|---:|---:|\n" +
			"| dashboard panels | 收入结构 / 构成 | — | 30 | 420.5 |\n" +
			"| quarterly report 2024-Q4 | SELECT household_key FROM discrepancy | reports.(*loader).loadLedger | 5000 | 310.0 |\n" +
			"| monthly report 2024-12 | SELECT a \\| b FROM indicator | reports.(*loader).loadIndicators | 900 | 250.0 |\n" +
			"| dashboard panels | 目标追踪 / 六项目标 | — | 6 | 12.0 |\n" +
			"| monthly report 2024-12 | SELECT 1 | reports.Headlines | 1 | 3.0 |\n\n",
		"| every dashboard panel and report query ≤ 300 ms on the province warehouse | max 420.5 ms, 2 of 6 over, at 1000 households (below province scale) | **no** |",
	} {
		require.Contains(t, md, want)
	}
}

func TestConfigValidateNamesTheField(t *testing.T) {
	c := DefaultConfig()
	c.Zengshou = "zengshou"
	require.NoError(t, c.Validate())
	c.Households = 3
	require.ErrorContains(t, c.Validate(), "households: 3")
}

// TestMarkdownSaysWhyThereIsNoQuarterlyReport: after January alone the
// quarter's last month is missing, so only the dashboards and the monthly
// report are timed, and the page says so.
func TestMarkdownSaysWhyThereIsNoQuarterlyReport(t *testing.T) {
	jan := Measure{Households: 8, Period: "2024-01", Floor: time.Second, Run: time.Second}
	r := &Result{
		Config:  Config{Households: 8},
		Scaling: []Measure{jan, jan, jan},
		Queries: &QueryTimes{Households: 8, Period: "2024-01",
			Dashboards: []querytime.Query{{Query: "运行监控 / 最近运行", Ms: 5, Rows: 1}}},
	}
	md := r.Markdown()
	require.Contains(t, md, "No quarterly report: the quarter's last month is not in the warehouse.")
	require.Contains(t, md, "| monthly report 2024-01 | 0 | 0.0 | 0.0 | 0 |\n| all | 1 | 5.0 | 5.0 | 0 |\n")
	require.NotContains(t, md, "quarterly report 2024")
}
