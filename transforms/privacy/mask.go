package privacy

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// idRun matches the runs of digits and X (ASCII or full-width) that may be
// an ID number, and Excel's scientific form of one (3.60731198001011E+17).
var idRun = regexp.MustCompile(`[0-9０-９XxＸｘ]{15,}|[0-9０-９][.．][0-9０-９]{9,}[EeＥｅ][+＋]?[0-9０-９]{1,2}`)

// MaskIDs masks every ID-shaped value in s, whatever the column it came
// from. ID-shaped is a run of exactly 15 digits (the legacy number), of 17
// digits and a digit or X (the 18-character number), or of more than 18
// characters holding 17 digits or more (an ID number run together with
// something else); such a run keeps its first 6 and last 4 characters, as
// id_masked does. Excel's scientific form keeps its first 6 characters and
// the exponent. Runs of 16 or 17 characters — the 户编号 of the monitoring
// system is 16 digits — are not ID-shaped. Text without an ID-shaped value
// is returned as is.
func MaskIDs(s string) string {
	if countDigits(s) < 10 {
		return s
	}
	return idRun.ReplaceAllStringFunc(s, func(m string) string {
		r := []rune(m)
		if e := strings.IndexAny(m, "EeＥｅ"); e >= 0 && strings.ContainsAny(m, ".．") {
			head := []rune(m[:e])
			return string(head[:6]) + strings.Repeat("*", len(head)-6) + m[e:]
		}
		if !idShaped(r) {
			return m
		}
		return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
	})
}

// idShaped applies the lengths of MaskIDs to a run of digits and X.
func idShaped(r []rune) bool {
	digits := 0
	for _, c := range r[:len(r)-1] {
		if isDigit(c) {
			digits++
		}
	}
	last := isDigit(r[len(r)-1])
	switch n := len(r); {
	case n == 15:
		return digits == 14 && last
	case n == 18:
		return digits == 17
	case n > 18:
		return digits >= 17
	}
	return false
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' || c >= '０' && c <= '９' }

// countDigits counts ASCII and full-width digits.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= '０' && r <= '９' {
			n++
		}
		i += size
	}
	return n
}

// MaskRecord masks a record whose fields cannot be matched to its header (a
// row with more or fewer fields than the header): every ID-shaped value in
// every field, and the fields where the name may have landed. nameField is
// the header position of the name (-1 when the file has none) and
// headerFields the header's field count; a name split by a stray comma
// (李,四) or shifted by a split or a missing field before it lies between
// nameField and nameField + (len(fields) − headerFields). The first of those
// fields keeps its first character (as name_masked does), the others are
// starred. Fields are trimmed; invalid UTF-8 is replaced.
func MaskRecord(fields []string, nameField, headerFields int) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = MaskIDs(strings.ToValidUTF8(strings.TrimSpace(f), "\uFFFD"))
	}
	// An ID number cut in two by a stray comma leaves two digit runs too
	// short to be ID-shaped: mask them together.
	for i := 0; i+1 < len(out); i++ {
		a, b := out[i], out[i+1]
		if a == "" || b == "" || !idChars(a) || !idChars(b) {
			continue
		}
		if joined := MaskIDs(a + b); joined != a+b {
			out[i], out[i+1] = joined[:len(a)], joined[len(a):]
		}
	}
	if nameField < 0 || len(out) == 0 {
		return out
	}
	d := len(fields) - headerFields
	lo, hi := nameField, nameField+d
	if d < 0 {
		lo, hi = nameField+d, nameField
	}
	lo, hi = max(lo, 0), min(hi, len(out)-1)
	for i := lo; i <= hi; i++ {
		switch {
		case out[i] == "":
		case i == lo:
			out[i] = MaskName(out[i])
		default:
			out[i] = "**"
		}
	}
	return out
}

// idChars reports whether s holds only ASCII digits and X.
func idChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != 'X' && c != 'x' {
			return false
		}
	}
	return true
}
