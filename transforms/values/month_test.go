package values

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in   string
		want Month
	}{
		{"2025-06", NewMonth(2025, 6)},
		{"2025-6", NewMonth(2025, 6)},
		{"2025/06", NewMonth(2025, 6)},
		{"2025/6", NewMonth(2025, 6)},
		{"202506", NewMonth(2025, 6)},
		{"2025年6月", NewMonth(2025, 6)},
		{"2025年06月", NewMonth(2025, 6)},
		{"2025-12", NewMonth(2025, 12)},
		{"2025年12月", NewMonth(2025, 12)},
		{"202501", NewMonth(2025, 1)},
		{"２０２５－０６", NewMonth(2025, 6)},
		{"２０２５／６", NewMonth(2025, 6)},
		{"２０２５０６", NewMonth(2025, 6)},
		{"２０２５年６月", NewMonth(2025, 6)},
		{"  2025-06 ", NewMonth(2025, 6)},
		{"\u30002025年6月\u3000", NewMonth(2025, 6)},
		{"1900-01", NewMonth(1900, 1)},
		{"2100-12", NewMonth(2100, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMonth(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseMonthRejects(t *testing.T) {
	const shape = "not a month like 2025-06, 2025/06, 202506 or 2025年6月"
	tests := []struct {
		name string
		in   string
		msg  string
	}{
		{"empty", "", `parsing month "": empty`},
		{"month 13", "2025-13", `parsing month "2025-13": month 13 out of range 1..12`},
		{"month 0", "202500", `parsing month "202500": month 0 out of range 1..12`},
		{"year too early", "1899-12", `parsing month "1899-12": year 1899 out of range 1900..2100`},
		{"year too late", "2101年1月", `parsing month "2101年1月": year 2101 out of range 1900..2100`},
		{"full date", "2025-06-30", `parsing month "2025-06-30": ` + shape},
		{"compact date", "20250630", `parsing month "20250630": ` + shape},
		{"five digits", "20256", `parsing month "20256": ` + shape},
		{"two-digit year", "25-06", `parsing month "25-06": ` + shape},
		{"three-digit month", "2025-006", `parsing month "2025-006": ` + shape},
		{"mixed separators", "2025年6", `parsing month "2025年6": ` + shape},
		{"dot separator", "2025.10", `parsing month "2025.10": ` + shape},
		{"no month", "2025-", `parsing month "2025-": ` + shape},
		{"trailing separator", "2025-06-", `parsing month "2025-06-": ` + shape},
		{"words", "June 2025", `parsing month "June 2025": ` + shape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMonth(tt.in)
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestMonth(t *testing.T) {
	m := NewMonth(2025, 6)
	require.Equal(t, Month(2025*12+5), m)
	require.Equal(t, 2025, m.Year())
	require.Equal(t, 6, m.Number())
	require.Equal(t, "2025-06", m.String())
	require.Equal(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), m.FirstDay())
	require.Equal(t, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), m.LastDay())

	require.Equal(t, NewMonth(2026, 1), NewMonth(2025, 12).Add(1))
	require.Equal(t, NewMonth(2024, 12), NewMonth(2025, 1).Add(-1))
	require.Equal(t, NewMonth(2027, 6), m.Add(24))
	require.Equal(t, 12, NewMonth(2025, 1).Add(-1).Number())
	require.Equal(t, NewMonth(2026, 1), NewMonth(2025, 13), "month 13 rolls over like time.Date")
	require.Less(t, NewMonth(2024, 12), NewMonth(2025, 1))
	require.Equal(t, 11, int(NewMonth(2025, 12)-NewMonth(2025, 1)))
}

func TestMonthLastDay(t *testing.T) {
	tests := []struct {
		m    Month
		want string
	}{
		{NewMonth(2024, 2), "2024-02-29"}, // leap year
		{NewMonth(2025, 2), "2025-02-28"},
		{NewMonth(1900, 2), "1900-02-28"}, // divisible by 100, not by 400
		{NewMonth(2000, 2), "2000-02-29"}, // divisible by 400
		{NewMonth(2025, 4), "2025-04-30"},
		{NewMonth(2025, 12), "2025-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.m.String(), func(t *testing.T) {
			require.Equal(t, tt.want, tt.m.LastDay().Format(time.DateOnly))
		})
	}
}

func TestMonthOf(t *testing.T) {
	require.Equal(t, NewMonth(2025, 6), MonthOf(time.Date(2025, 6, 30, 23, 59, 0, 0, time.UTC)))
	shanghai := time.FixedZone("CST", 8*3600)
	// 2025-06-30 20:00 UTC is already 1 July in Shanghai; MonthOf uses t's location.
	instant := time.Date(2025, 6, 30, 20, 0, 0, 0, time.UTC)
	require.Equal(t, NewMonth(2025, 6), MonthOf(instant))
	require.Equal(t, NewMonth(2025, 7), MonthOf(instant.In(shanghai)))
}

func TestMonthRoundTrip(t *testing.T) {
	for m := NewMonth(1900, 1); m <= NewMonth(2100, 12); m++ {
		got, err := ParseMonth(m.String())
		require.NoError(t, err)
		require.Equal(t, m, got)
		require.Equal(t, m, MonthOf(m.FirstDay()))
		require.Equal(t, m, MonthOf(m.LastDay()))
	}
}

func TestMonthBeforeYearZero(t *testing.T) {
	m := NewMonth(0, 1).Add(-1)
	require.Equal(t, -1, m.Year())
	require.Equal(t, 12, m.Number())
}

// BenchmarkParseMonth runs each form separately: ASCII text is parsed without
// allocating, full-width text pays for one width fold.
func BenchmarkParseMonth(b *testing.B) {
	for _, in := range []string{"2025-06", "2025/6", "202506", "2025年6月", "２０２５年６月"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseMonth(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
