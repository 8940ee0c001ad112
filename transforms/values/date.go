package values

import (
	"errors"
	"fmt"
	"time"
)

var errNotDate = errors.New("not a date like 2025-06-30, 2025/6/30, 20250630 or 2025年6月30日")

// ParseDate parses a date column (死亡日期 …): 2025-06-30, 2025-6-30,
// 2025/06/30, 2025/6/30, 20250630 or 2025年6月30日, with full-width digits
// folded and surrounding white space trimmed, and returns midnight UTC of
// that day. The year must lie in 1900..2100, and a day that does not exist
// (2025-02-30) is an error rather than being rolled into the next month.
func ParseDate(s string) (time.Time, error) {
	t := fold(s)
	if t == "" {
		return time.Time{}, fmt.Errorf("parsing date %q: %w", s, ErrEmpty)
	}
	y, m, d, ok := splitYMD(t, true)
	if !ok {
		return time.Time{}, fmt.Errorf("parsing date %q: %w", s, errNotDate)
	}
	if y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("parsing date %q: year %d out of range %d..%d", s, y, minYear, maxYear)
	}
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("parsing date %q: month %d out of range 1..12", s, m)
	}
	if last := NewMonth(y, m).LastDay().Day(); d < 1 || d > last {
		return time.Time{}, fmt.Errorf("parsing date %q: day %d out of range 1..%d for %04d-%02d", s, d, last, y, m)
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}
