package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMarkdownShowsFloorRunRatioScalingStagesAndGoals: the page holds the
// machine, one line per measured month with run / floor, the growth between
// sizes, every stage with its rows/s, and each goal said met or not.
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
		Started:  time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Took:     time.Minute,
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
