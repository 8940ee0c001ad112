package values

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	june30 := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-06-30", june30},
		{"2025-6-30", june30},
		{"2025/06/30", june30},
		{"2025/6/30", june30},
		{"20250630", june30},
		{"2025年6月30日", june30},
		{"2025年06月30日", june30},
		{"２０２５－０６－３０", june30},
		{"２０２５/６/３０", june30},
		{"２０２５０６３０", june30},
		{"２０２５年６月３０日", june30},
		{" 2025-06-30\t", june30},
		{"\u30002025/6/30\u3000", june30},
		{"2025/1/5", time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)},
		{"2024-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2000-02-29", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"19000101", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2100-12-31", time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, time.UTC, got.Location())
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	const shape = "not a date like 2025-06-30, 2025/6/30, 20250630 or 2025年6月30日"
	tests := []struct {
		name string
		in   string
		msg  string
	}{
		{"empty", "", `parsing date "": empty`},
		{"February 30", "2025-02-30", `parsing date "2025-02-30": day 30 out of range 1..28 for 2025-02`},
		{"February 29, not a leap year", "20250229", `parsing date "20250229": day 29 out of range 1..28 for 2025-02`},
		{"February 29, century", "1900-02-29", `parsing date "1900-02-29": day 29 out of range 1..28 for 1900-02`},
		{"April 31", "2025/4/31", `parsing date "2025/4/31": day 31 out of range 1..30 for 2025-04`},
		{"day 0", "2025-06-00", `parsing date "2025-06-00": day 0 out of range 1..30 for 2025-06`},
		{"month 13", "2025-13-01", `parsing date "2025-13-01": month 13 out of range 1..12`},
		{"month 0", "2025年0月1日", `parsing date "2025年0月1日": month 0 out of range 1..12`},
		{"year too early", "1899-12-31", `parsing date "1899-12-31": year 1899 out of range 1900..2100`},
		{"year too late", "21010101", `parsing date "21010101": year 2101 out of range 1900..2100`},
		{"month only", "2025-06", `parsing date "2025-06": ` + shape},
		{"compact month", "202506", `parsing date "202506": ` + shape},
		{"mixed separators", "2025-06/30", `parsing date "2025-06/30": ` + shape},
		{"missing 日", "2025年6月30", `parsing date "2025年6月30": ` + shape},
		{"day month year", "30/06/2025", `parsing date "30/06/2025": ` + shape},
		{"time of day", "2025-06-30 00:00:00", `parsing date "2025-06-30 00:00:00": ` + shape},
		{"dots", "2025.06.30", `parsing date "2025.06.30": ` + shape},
		{"three-digit day", "2025-06-030", `parsing date "2025-06-030": ` + shape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDate(tt.in)
			require.EqualError(t, err, tt.msg)
		})
	}
}
