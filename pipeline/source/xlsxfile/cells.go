package xlsxfile

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"zengshou/schemas"
)

// Serial numbers are read as Excel dates only between these bounds
// (1950-01-01 and 2099-12-31 in the 1900 date system), so that a number
// typed into a month column (2025.06) is not taken for a day in 1905.
const (
	minSerial = 18264
	maxSerial = 73050
)

// cellText turns a cell's raw value (the text stored in the sheet: a number
// as written in the XML, a shared or inline string, a formula's cached
// value) into the text the contract's parsers read, for a column of kind k:
//
//   - a date or month column holding an Excel serial number (a cell Excel
//     formats as a date) becomes 2025-06-30 or 2025-06; the compact forms
//     20250630 and 202506 are left as they are;
//   - an amount with binary floating-point noise (1234.5600000000001, what a
//     formula's cached value often is) is rounded to 15 significant digits,
//     as Excel displays it;
//   - everything else, ID numbers included, is passed on as written: an ID
//     stored as a number whose 18 digits survived reads as its digits, and
//     one Excel kept only 15 digits of (3.60102199001011E+17) fails ID
//     validation as ID_INVALID rather than being guessed.
func cellText(raw string, k schemas.Kind, date1904 bool) string {
	v := strings.TrimSpace(raw)
	if v == "" || !numeric(v) {
		return v
	}
	switch k {
	case schemas.Date:
		if len(v) == 8 && !strings.Contains(v, ".") {
			return v
		}
		if t, ok := serialDate(v, date1904); ok {
			return t.Format("2006-01-02")
		}
	case schemas.Month:
		if len(v) == 6 && !strings.Contains(v, ".") {
			return v
		}
		if t, ok := serialDate(v, date1904); ok {
			return t.Format("2006-01")
		}
	case schemas.Money:
		if dot := strings.IndexByte(v, '.'); dot >= 0 && len(v)-dot-1 > 2 {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return strconv.FormatFloat(f, 'g', 15, 64)
			}
		}
	}
	return v
}

// numeric reports whether v is a plain decimal number (digits with at most
// one point and an optional leading minus), as a number cell stores it.
func numeric(v string) bool {
	v = strings.TrimPrefix(v, "-")
	if v == "" {
		return false
	}
	dot := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// serialDate reads v as an Excel serial day number within the plausible
// range; the time of day, if any, is dropped.
func serialDate(v string, date1904 bool) (time.Time, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return time.Time{}, false
	}
	if date1904 {
		f += 1462 // the 1904 system counts from 1904-01-01
	}
	if f < minSerial || f >= maxSerial+1 {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(float64(int64(f)), false)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
