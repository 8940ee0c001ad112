package values

import (
	"errors"
	"fmt"
	"time"
)

// Month is a calendar month, counted as year*12 + (month-1), so that months
// compare, subtract and key maps as plain integers: the reporting period of
// an extract, a payment month, an enrolment month.
type Month int32

// NewMonth returns the month numbered month (1..12) of year. Like time.Date,
// it normalises a month number outside 1..12 into the neighbouring years.
func NewMonth(year, month int) Month {
	return Month(year*12 + month - 1)
}

// MonthOf returns the calendar month of t in t's own location; convert t to
// Asia/Shanghai first when it is an instant rather than a calendar date.
func MonthOf(t time.Time) Month {
	return NewMonth(t.Year(), int(t.Month()))
}

// Year returns the year of m.
func (m Month) Year() int {
	y := int(m) / 12
	if m < 0 && int(m)%12 != 0 {
		y-- // floor division, so that months before year 0 stay consistent
	}
	return y
}

// Number returns the month of the year of m, 1 for January to 12 for
// December.
func (m Month) Number() int {
	return int(m) - m.Year()*12 + 1
}

// String formats m as 2025-06, the form used in drop-folder names.
func (m Month) String() string {
	return fmt.Sprintf("%04d-%02d", m.Year(), m.Number())
}

// FirstDay returns midnight UTC at the start of the first day of m.
func (m Month) FirstDay() time.Time {
	return time.Date(m.Year(), time.Month(m.Number()), 1, 0, 0, 0, 0, time.UTC)
}

// LastDay returns midnight UTC at the start of the last day of m, the day a
// month-end snapshot such as the roster describes.
func (m Month) LastDay() time.Time {
	return time.Date(m.Year(), time.Month(m.Number())+1, 0, 0, 0, 0, 0, time.UTC)
}

// Add returns the month n months after m (before m when n is negative).
func (m Month) Add(n int) Month {
	return m + Month(n)
}

var errNotMonth = errors.New("not a month like 2025-06, 2025/06, 202506 or 2025年6月")

// ParseMonth parses a month column (就业年月, 发放年月, 统计年月 …): 2025-06,
// 2025-6, 2025/06, 2025/6, 202506, 2025年6月 or 2025年06月, with full-width
// digits folded and surrounding white space trimmed. The year must lie in
// 1900..2100 and the month in 1..12.
func ParseMonth(s string) (Month, error) {
	t := fold(s)
	if t == "" {
		return 0, fmt.Errorf("parsing month %q: %w", s, ErrEmpty)
	}
	y, m, _, ok := splitYMD(t, false)
	if !ok {
		return 0, fmt.Errorf("parsing month %q: %w", s, errNotMonth)
	}
	if y < minYear || y > maxYear {
		return 0, fmt.Errorf("parsing month %q: year %d out of range %d..%d", s, y, minYear, maxYear)
	}
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("parsing month %q: month %d out of range 1..12", s, m)
	}
	return NewMonth(y, m), nil
}
