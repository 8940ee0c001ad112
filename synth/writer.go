package synth

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"zengshou/schemas"
)

// Text encodings of a file.
const (
	encUTF8 uint8 = iota
	encUTF8BOM
	encGB18030
)

// ExtraColumnHeader is the header of the column the contract does not know,
// added to every file when Config.ExtraColumn is set.
const ExtraColumnHeader = "备注"

// yesNoForms are the spellings of yes/no fields; each file uses one.
var yesNoForms = [][2]string{{"是", "否"}, {"Y", "N"}, {"1", "0"}, {"true", "false"}}

// fileForm is how one file is written: encoding, compression, column order.
type fileForm struct {
	encoding uint8
	gzip     bool
	// order lists, per column of the file, the logical column written
	// there; -1 is the extra column.
	order []int
	yes   string
	no    string
}

// chooseForm draws the form of the file of one source and period from the
// file's own stream. All draws happen whatever the configuration, so one
// share does not change the forms another share picks.
func chooseForm(cfg Config, src int, period month, ncols int) fileForm {
	r := newRand(cfg.Seed, tagForm, uint64(src), uint64(period), 0)
	encDraw, gzDraw := r.Float64(), r.Float64()
	f := fileForm{order: make([]int, ncols)}
	switch {
	case encDraw < cfg.GB18030Share:
		f.encoding = encGB18030
	case encDraw < cfg.GB18030Share+cfg.BOMShare:
		f.encoding = encUTF8BOM
	}
	f.gzip = gzDraw < cfg.GzipShare
	for i := range f.order {
		f.order[i] = i
	}
	perm := r.Perm(ncols)
	if cfg.ShuffleColumns {
		copy(f.order, perm)
	}
	extraAt := r.IntN(ncols + 1)
	if cfg.ExtraColumn {
		f.order = append(f.order[:extraAt], append([]int{-1}, f.order[extraAt:]...)...)
	}
	yn := yesNoForms[r.IntN(len(yesNoForms))]
	f.yes, f.no = yn[0], yn[1]
	return f
}

// fileName is the file's path relative to the inbox, with forward slashes.
func fileName(src schemas.Source, period month, form fileForm) string {
	name := period.String() + "/" + src.Name + ".csv"
	if form.gzip {
		name += ".gz"
	}
	return name
}

// csvFile streams the rows of one extract to disk through a buffered
// writer, an optional GB18030 encoder and optional gzip compression.
type csvFile struct {
	name  string
	form  fileForm
	file  *os.File
	gz    *gzip.Writer
	enc   io.WriteCloser
	w     *bufio.Writer
	line  []byte
	eol   string
	ncols int
	rows  int64
}

// createCSV creates the file and writes its header row.
func createCSV(inbox, name string, form fileForm, src schemas.Source) (*csvFile, error) {
	f, err := os.Create(filepath.Join(inbox, filepath.FromSlash(name)))
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", name, err)
	}
	c := &csvFile{name: name, form: form, file: f, eol: "\n", ncols: len(src.Columns)}
	var w io.Writer = f
	if form.gzip {
		c.gz, _ = gzip.NewWriterLevel(f, gzip.BestSpeed)
		w = c.gz
	}
	switch form.encoding {
	case encGB18030:
		// Excel on Chinese Windows writes GB18030 with CRLF line ends.
		c.enc = transform.NewWriter(w, simplifiedchinese.GB18030.NewEncoder())
		w = c.enc
		c.eol = "\r\n"
	case encUTF8BOM:
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			f.Close()
			return nil, fmt.Errorf("writing %s: %w", name, err)
		}
		c.eol = "\r\n"
	}
	c.w = bufio.NewWriterSize(w, 256<<10)
	var header rowBuf
	for _, col := range src.Columns {
		header.str(col.Header)
	}
	if err := c.write(&header, ExtraColumnHeader); err != nil {
		c.abort()
		return nil, err
	}
	c.rows = 0
	return c, nil
}

// writeRow writes one data row; the extra column, when present, carries a
// note on some rows.
func (c *csvFile) writeRow(r *rowBuf) error {
	if r.len() != c.ncols {
		return fmt.Errorf("writing %s row %d: %d fields for %d columns", c.name, c.rows+1, r.len(), c.ncols)
	}
	extra := ""
	switch c.rows % 97 {
	case 13:
		extra = "已核实"
	case 61:
		extra = `"待复核, 见附件"`
	}
	return c.write(r, extra)
}

// write writes the row's fields in the file's column order; extra is the
// already-escaped text of the extra column.
func (c *csvFile) write(r *rowBuf, extra string) error {
	c.line = c.line[:0]
	for i, j := range c.form.order {
		if i > 0 {
			c.line = append(c.line, ',')
		}
		switch {
		case j < 0:
			c.line = append(c.line, extra...)
		case r.quote:
			c.line = appendCSVField(c.line, r.field(j))
		default:
			c.line = append(c.line, r.field(j)...)
		}
	}
	c.line = append(c.line, c.eol...)
	c.rows++
	if _, err := c.w.Write(c.line); err != nil {
		return fmt.Errorf("writing %s: %w", c.name, err)
	}
	return nil
}

// close flushes every layer and closes the file.
func (c *csvFile) close() error {
	err := c.w.Flush()
	if c.enc != nil {
		if e := c.enc.Close(); err == nil {
			err = e
		}
	}
	if c.gz != nil {
		if e := c.gz.Close(); err == nil {
			err = e
		}
	}
	if e := c.file.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", c.name, err)
	}
	return nil
}

// abort closes the file after an error, ignoring further errors.
func (c *csvFile) abort() { _ = c.file.Close() }

// appendCSVField appends a field, quoted when it holds a comma, a quote, a
// line break or surrounding spaces (RFC 4180).
func appendCSVField(dst, f []byte) []byte {
	needs := len(f) > 0 && (f[0] == ' ' || f[len(f)-1] == ' ')
	if !needs {
		for _, b := range f {
			if b == ',' || b == '"' || b == '\n' || b == '\r' {
				needs = true
				break
			}
		}
	}
	if !needs {
		return append(dst, f...)
	}
	dst = append(dst, '"')
	for _, b := range f {
		if b == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, b)
	}
	return append(dst, '"')
}
