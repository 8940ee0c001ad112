// Package idnum normalises and validates Chinese resident ID numbers
// (公民身份号码, GB 11643-1999) as they arrive, dirty, in department extracts.
package idnum

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// ErrInvalid is wrapped by every error Normalize returns; the row carrying
// such a number is quarantined as ID_INVALID.
var ErrInvalid = errors.New("invalid ID number")

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckChar computes the ISO 7064 MOD 11-2 check character of the first 17
// digits of an 18-character ID number. It panics if given fewer than 17 bytes.
func CheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Normalize turns a raw ID number into its canonical 18-character form:
// surrounding spaces and Excel's leading apostrophe removed, full-width
// characters folded, a lower-case x upper-cased, 15-digit legacy numbers
// extended (19 inserted before the 2-digit year, check character appended)
// and Excel's scientific notation (3.60102199001011E+17) expanded when it
// still holds all 18 digits. The result has a correct check character and a
// possible birth date; anything else is an error wrapping ErrInvalid, and a
// number is never guessed.
func Normalize(raw string) (string, error) {
	s := raw
	if !isASCII(raw) { // full-width characters: fold them (allocates)
		s = width.Narrow.String(raw)
	}
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "'"); ok {
		s = strings.TrimSpace(rest)
	}
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	if strings.ContainsAny(s, "Ee") && strings.Contains(s, "+") {
		expanded, err := expandScientific(s)
		if err != nil {
			return "", err
		}
		s = expanded
	}
	s = strings.ToUpper(s)
	switch len(s) {
	case 15:
		if !allDigits(s) {
			return "", fmt.Errorf("%w: 15-character number with a non-digit", ErrInvalid)
		}
		body := s[:6] + "19" + s[6:]
		s = body + string(CheckChar(body))
	case 18:
		if !allDigits(s[:17]) || !(s[17] == 'X' || isDigit(s[17])) {
			return "", fmt.Errorf("%w: unexpected character", ErrInvalid)
		}
		if want := CheckChar(s[:17]); s[17] != want {
			return "", fmt.Errorf("%w: check character %c, expected %c", ErrInvalid, s[17], want)
		}
	default:
		// Count characters, not bytes: a stray 号 is one character, not three.
		return "", fmt.Errorf("%w: %d characters", ErrInvalid, utf8.RuneCountInString(s))
	}
	if _, err := BirthDate(s); err != nil {
		return "", err
	}
	return s, nil
}

// expandScientific recovers the digits of a number Excel displayed in
// scientific notation. Excel keeps 15 significant digits, so such a value can
// only be repaired when the mantissa still carries all 18 digits (it then
// needs a check character of 0-9 that survives); otherwise the number is lost.
func expandScientific(s string) (string, error) {
	upper := strings.ToUpper(s)
	mant, expPart, ok := strings.Cut(upper, "E+")
	if !ok {
		return "", fmt.Errorf("%w: malformed scientific notation", ErrInvalid)
	}
	exp, err := strconv.Atoi(expPart)
	if err != nil {
		return "", fmt.Errorf("%w: malformed exponent", ErrInvalid)
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) || len(intPart) != 1 {
		return "", fmt.Errorf("%w: malformed scientific notation", ErrInvalid)
	}
	if exp != 17 && exp != 14 {
		return "", fmt.Errorf("%w: scientific notation of %d digits", ErrInvalid, exp+1)
	}
	if len(frac) != exp {
		return "", fmt.Errorf("%w: scientific notation lost digits (Excel keeps 15)", ErrInvalid)
	}
	return intPart + frac, nil
}

// BirthDate returns the birth date encoded in a normalised 18-character ID
// number, or an error wrapping ErrInvalid when the date is impossible.
func BirthDate(id string) (time.Time, error) {
	if len(id) != 18 {
		return time.Time{}, fmt.Errorf("%w: %d characters", ErrInvalid, len(id))
	}
	y, m, d, ok := birthDigits(id)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: impossible birth date", ErrInvalid)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	// A date before pastYear is in the past whenever this runs: only a
	// recent one costs a look at the clock.
	if y >= pastYear && t.After(time.Now()) {
		return time.Time{}, fmt.Errorf("%w: impossible birth date", ErrInvalid)
	}
	return t, nil
}

// pastYear is a year already over when this code was written.
const pastYear = 2025

// birthDigits reads the birth date digits YYYYMMDD of an 18-character ID
// number: a real calendar date from 1880 on (the clock is not read).
func birthDigits(id string) (y, m, d int, ok bool) {
	for i := 6; i < 14; i++ {
		if !isDigit(id[i]) {
			return 0, 0, 0, false
		}
	}
	y = int(id[6]-'0')*1000 + int(id[7]-'0')*100 + int(id[8]-'0')*10 + int(id[9]-'0')
	m = int(id[10]-'0')*10 + int(id[11]-'0')
	d = int(id[12]-'0')*10 + int(id[13]-'0')
	if y < 1880 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Sex returns "男" or "女" from the sequence code (odd for men) of a
// normalised ID number.
func Sex(id string) string {
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}

// AgeAt returns the age in whole years, on day at, of the holder of a
// normalised ID number.
func AgeAt(id string, at time.Time) int {
	if len(id) != 18 {
		return 0
	}
	y, m, d, ok := birthDigits(id)
	if !ok || (y >= pastYear && time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).After(time.Now())) {
		return 0
	}
	age := at.Year() - y
	if int(at.Month()) < m || (int(at.Month()) == m && at.Day() < d) {
		age--
	}
	return age
}

// Mask keeps the first 6 and last 4 characters: 360731********123X. It
// counts characters, not bytes, so a raw cell in full-width digits masks
// cleanly too. Error messages never name the masked characters (an
// impossible birth date is not quoted), so a masked value and its
// quarantine detail together never rebuild the number.
func Mask(id string) string {
	if len(id) == 18 && isASCII(id) { // the normalised form: one allocation
		return id[:6] + "********" + id[14:]
	}
	r := []rune(id)
	if len(r) < 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
