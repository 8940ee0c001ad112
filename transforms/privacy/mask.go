package privacy

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// idShaped matches what may be an ID number inside free text: a run of 15 or
// more digits and X (ASCII or full-width), or the scientific notation Excel
// turns an ID number into (3.60731198001011E+17).
var idShaped = regexp.MustCompile(`[0-9０-９XxＸｘ]{15,}|[0-9０-９][.．][0-9０-９]{9,}[EeＥｅ][+＋]?[0-9０-９]{1,2}`)

// minIDDigits is how many digits a run needs to be taken for an ID number:
// a 15-digit legacy number, or an 18-digit one with a damaged character.
const minIDDigits = 14

// MaskIDs masks every ID-shaped value in s, whatever the column it came
// from: runs of 15 or more digits and X keep their first 6 and last 4
// characters (as id_masked does), Excel's scientific form keeps its first 6
// characters and the exponent. Text without such a value is returned as is.
func MaskIDs(s string) string {
	if countDigits(s) < minIDDigits {
		return s
	}
	return idShaped.ReplaceAllStringFunc(s, func(m string) string {
		r := []rune(m)
		if mantissa := strings.IndexAny(m, "EeＥｅ"); strings.ContainsAny(m, ".．") && mantissa >= 0 {
			head, exp := []rune(m[:mantissa]), m[mantissa:]
			return string(head[:6]) + strings.Repeat("*", len(head)-6) + exp
		}
		if countDigits(m) < minIDDigits {
			return m
		}
		return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
	})
}

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
