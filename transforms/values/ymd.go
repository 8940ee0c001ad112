package values

import "strings"

// Years outside this range are typing errors in an extract (a birth year,
// an enrolment month or a payment month of the poverty-monitoring era), not
// real values.
const (
	minYear = 1900
	maxYear = 2100
)

// splitYMD splits folded text into year, month and, when withDay is set,
// day fields, without checking their ranges. The accepted shapes are
// 2025-06[-30], 2025/6[/30], 2025年6月[30日] and the compact 202506 or
// 20250630; separators may not be mixed. A dot is deliberately not a
// separator: Excel turns 2025.10 typed into a cell into the number 2025.1,
// which would then read as January.
func splitYMD(t string, withDay bool) (y, m, d int, ok bool) {
	if allDigits(t) {
		if withDay && len(t) == 8 {
			y, _ = leadingDigits(t[:4], 4)
			m, _ = leadingDigits(t[4:6], 2)
			d, _ = leadingDigits(t[6:], 2)
			return y, m, d, true
		}
		if !withDay && len(t) == 6 {
			y, _ = leadingDigits(t[:4], 4)
			m, _ = leadingDigits(t[4:], 2)
			return y, m, 0, true
		}
		return 0, 0, 0, false
	}
	y, n := leadingDigits(t, 4)
	if n != 4 {
		return 0, 0, 0, false
	}
	t = t[n:]
	var sep string
	switch {
	case strings.HasPrefix(t, "-"), strings.HasPrefix(t, "/"):
		sep = t[:1]
	case strings.HasPrefix(t, "年"):
		sep = "年"
	default:
		return 0, 0, 0, false
	}
	t = t[len(sep):]
	if m, n = leadingDigits(t, 2); n == 0 {
		return 0, 0, 0, false
	}
	t = t[n:]
	// What must follow the month and the day fields: the same separator
	// again, or the Chinese 月 and 日.
	monthEnd, dayEnd := sep, ""
	if sep == "年" {
		monthEnd, dayEnd = "月", "日"
	}
	if !withDay {
		if sep == "年" {
			if t, ok = strings.CutPrefix(t, monthEnd); !ok {
				return 0, 0, 0, false
			}
		}
		return y, m, 0, t == ""
	}
	if t, ok = strings.CutPrefix(t, monthEnd); !ok {
		return 0, 0, 0, false
	}
	if d, n = leadingDigits(t, 2); n == 0 {
		return 0, 0, 0, false
	}
	t = t[n:]
	if t, ok = strings.CutPrefix(t, dayEnd); !ok {
		return 0, 0, 0, false
	}
	return y, m, d, t == ""
}
