package values

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

var (
	errOverflow     = errors.New("out of range")
	errNoDigits     = errors.New("no digits")
	errBadGrouping  = errors.New("misplaced thousands separator")
	errEmptyDecimal = errors.New("no digits after the decimal point")
)

// parseDecimal parses unsigned, already folded text of the form 1234,
// 1,234 or 1,234.5 into an integer scaled by 10^scale, exactly: 12.3 with
// scale 2 is 1230. Fraction digits beyond scale are accepted only when they
// are zeros, because anything else would have to be rounded and a rounded
// amount is a guessed amount. Thousands separators must sit every three
// digits; a comma anywhere else may be a decimal comma (1,5) and is refused
// rather than read as 15. The returned error states only the reason; the
// caller adds what was being parsed.
func parseDecimal(s string, scale int) (int64, error) {
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" {
		return 0, errNoDigits
	}
	if hasPoint && frac == "" {
		return 0, errEmptyDecimal
	}
	if err := checkGrouping(intPart); err != nil {
		return 0, err
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, unexpected(frac, i)
		}
	}
	var v uint64
	var ok bool
	for i := 0; i < len(intPart); i++ {
		if intPart[i] == ',' {
			continue
		}
		if v, ok = appendDigit(v, intPart[i]); !ok {
			return 0, errOverflow
		}
	}
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if i >= scale {
			if c != '0' {
				return 0, tooPrecise(scale)
			}
			continue
		}
		if v, ok = appendDigit(v, c); !ok {
			return 0, errOverflow
		}
	}
	for i := len(frac); i < scale; i++ {
		if v, ok = appendDigit(v, '0'); !ok {
			return 0, errOverflow
		}
	}
	return int64(v), nil
}

// tooPrecise is the reason given for significant digits beyond scale.
func tooPrecise(scale int) error {
	if scale == 0 {
		return errors.New("not a whole number")
	}
	return fmt.Errorf("more than %d decimals", scale)
}

// appendDigit returns v*10 + digit, or false when that exceeds MaxInt64.
func appendDigit(v uint64, digit byte) (uint64, bool) {
	d := uint64(digit - '0')
	if v > (math.MaxInt64-d)/10 {
		return 0, false
	}
	return v*10 + d, true
}

// unexpected is the reason given for the character starting at s[i], which
// is decoded whole so that a stray 元 or 万 reads as itself in the message.
func unexpected(s string, i int) error {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return fmt.Errorf("unexpected character %q", r)
}

// checkGrouping verifies that s is digits, optionally grouped by commas in
// threes from the right (1,234,567), with 1 to 3 digits in the first group.
func checkGrouping(s string) error {
	group, groups := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			group++
		case c == ',':
			if group == 0 || group > 3 || (groups > 0 && group != 3) {
				return errBadGrouping
			}
			groups++
			group = 0
		default:
			return unexpected(s, i)
		}
	}
	if groups > 0 && group != 3 {
		return errBadGrouping
	}
	return nil
}
