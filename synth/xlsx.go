package synth

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet writes the rows of one extract as the first sheet of a workbook
// with excelize's StreamWriter, which spills to a temporary file rather than
// holding the sheet in memory.
type xlsxSheet struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	row   int
	cells []any
}

func newXLSXSheet() (*xlsxSheet, error) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &xlsxSheet{f: f, sw: sw}, nil
}

// write writes one row's fields in the file's column order; extra is the
// CSV-escaped text of the extra column, unescaped here.
func (x *xlsxSheet) write(r *rowBuf, order []int, extra string) error {
	x.cells = x.cells[:0]
	for _, j := range order {
		if j < 0 {
			x.cells = append(x.cells, unquoteCSV(extra))
			continue
		}
		start := 0
		if j > 0 {
			start = r.ends[j-1]
		}
		x.cells = append(x.cells, cellValue(string(r.buf[start:r.ends[j]])))
	}
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cells)
}

// save completes the workbook and writes it to w.
func (x *xlsxSheet) save(w io.Writer) error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(w)
	return err
}

// close frees the workbook's temporary files.
func (x *xlsxSheet) close() { _ = x.f.Close() }

// cellValue is how a department's Excel holds a field: whole numbers (ID
// numbers of 18 digits included, as programs writing integers store them,
// every digit kept) and amounts with at most two decimals as number cells,
// everything else as text. Text with a leading zero stays text, as Excel
// would lose the zero.
func cellValue(v string) any {
	if v == "" || (len(v) > 1 && v[0] == '0' && v[1] != '.') || strings.HasPrefix(v, "-") {
		return v
	}
	whole, frac, hasDot := strings.Cut(v, ".")
	if !digitsOnly(whole) || (hasDot && (len(frac) == 0 || len(frac) > 2 || !digitsOnly(frac))) {
		return v
	}
	if !hasDot {
		if len(whole) > 18 {
			return v
		}
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return v
		}
		return n
	}
	if len(whole) > 12 {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return f
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// unquoteCSV undoes appendCSVField's quoting of a field.
func unquoteCSV(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return s
}
