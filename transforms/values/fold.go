package values

import (
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// ErrEmpty is wrapped by the error every parser returns for text that is
// empty or only white space, so that a caller can decide whether an empty
// cell means "missing" or "invalid" with errors.Is.
var ErrEmpty = errors.New("empty")

// fold returns s with full-width characters (digits, letters, punctuation,
// the ideographic space, ￥) narrowed to their ASCII or half-width forms and
// surrounding white space removed. Text with nothing to narrow (ASCII, or
// 2025年6月) is not copied: the width transformer allocates even when it
// changes nothing, and most cells need no folding.
func fold(s string) string {
	for _, r := range s {
		if r >= utf8.RuneSelf && width.LookupRune(r).Narrow() != 0 {
			return strings.TrimSpace(width.Narrow.String(s))
		}
	}
	return strings.TrimSpace(s)
}

// cutSign removes one leading '+' or '-' from s and reports whether a sign
// was present and whether it was '-'.
func cutSign(s string) (rest string, signed, neg bool) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		return s[1:], true, s[0] == '-'
	}
	return s, false, false
}

// leadingDigits returns the value of the run of ASCII digits at the start of
// s (at most max of them) and the length of that run.
func leadingDigits(s string, max int) (value, n int) {
	for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
		value = value*10 + int(s[n]-'0')
		n++
	}
	return value, n
}

// allDigits reports whether s is non-empty and made only of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
