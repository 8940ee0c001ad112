package values

import (
	"testing"
)

// FuzzParseMoney: no input panics, and an accepted amount renders back to
// an amount that parses to the same fen.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1234.50", "1,234.50", "￥1234.5", "１２３４．５", "-0.01", "", "1e5", "12.345", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseMoney(s)
		if err != nil {
			return
		}
		back, err := ParseMoney(FormatFen(fen))
		if err != nil || back != fen {
			t.Fatalf("%q → %d → %q → %d, %v", s, fen, FormatFen(fen), back, err)
		}
	})
}

// FuzzParseMonth: no input panics, and an accepted month parses again from
// its canonical form.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2025-06", "2025/06", "202506", "2025年6月", "2025-13", "", "99999-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		back, err := ParseMonth(m.String())
		if err != nil || back != m {
			t.Fatalf("%q → %s → %v, %v", s, m, back, err)
		}
	})
}

// FuzzParseDate: no input panics, and an accepted date parses again from
// its ISO form.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-06-30", "2025/6/30", "20250630", "2025-02-30", "", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		back, err := ParseDate(d.Format("2006-01-02"))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %s → %v, %v", s, d, back, err)
		}
	})
}
