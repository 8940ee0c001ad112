package synth

import (
	"errors"
	"fmt"
	"strconv"
)

// month is a calendar month counted from year 0 (year*12 + month-1), so that
// month arithmetic is integer arithmetic.
type month int32

// monthOf builds a month from a year and a 1-based month number.
func monthOf(year, mon int) month { return month(year*12 + mon - 1) }

// year is the calendar year of the month.
func (m month) year() int { return int(m) / 12 }

// num is the 1-based month number within the year.
func (m month) num() int { return int(m)%12 + 1 }

// yearStart is January of the month's year.
func (m month) yearStart() month { return monthOf(m.year(), 1) }

// String formats the month as YYYY-MM, the contract's canonical form.
func (m month) String() string { return fmt.Sprintf("%04d-%02d", m.year(), m.num()) }

// days is the number of days of the month.
func (m month) days() int {
	switch m.num() {
	case 2:
		y := m.year()
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var errMonthFormat = errors.New("want YYYY-MM")

// parseMonth reads a YYYY-MM month between 2000-01 and 2099-12 (earlier
// periods would give the oldest people impossible birth years).
func parseMonth(s string) (month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, errMonthFormat
	}
	y, err1 := strconv.Atoi(s[:4])
	mo, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 {
		return 0, errMonthFormat
	}
	if y < 2000 || y > 2099 {
		return 0, fmt.Errorf("year %d outside 2000..2099", y)
	}
	return monthOf(y, mo), nil
}

// appendMonth appends the month as YYYY-MM.
func appendMonth(dst []byte, m month) []byte {
	dst = appendPadded(dst, m.year(), 4)
	dst = append(dst, '-')
	return appendPadded(dst, m.num(), 2)
}

// appendDate appends a day of the month as YYYY-MM-DD.
func appendDate(dst []byte, m month, day int) []byte {
	dst = appendMonth(dst, m)
	dst = append(dst, '-')
	return appendPadded(dst, day, 2)
}

// appendPadded appends a non-negative integer left-padded with zeros.
func appendPadded(dst []byte, n, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	for pad := width - (len(tmp) - i); pad > 0; pad-- {
		dst = append(dst, '0')
	}
	return append(dst, tmp[i:]...)
}
