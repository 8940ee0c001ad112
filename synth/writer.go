package synth

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

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
	// xlsx writes the file as an Excel workbook (encoding and gzip unused).
	xlsx bool
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
	// Drawn last, so the forms drawn before it stay what they were.
	f.xlsx = r.Float64() < cfg.XLSXShare
	return f
}

// fileName is the file's path relative to the inbox, with forward slashes.
func fileName(src schemas.Source, period month, form fileForm) string {
	name := period.String() + "/" + src.Name + ".csv"
	if form.xlsx {
		return period.String() + "/" + src.Name + ".xlsx"
	}
	if form.gzip {
		name += ".gz"
	}
	return name
}

// csvFile streams the rows of one extract to disk. Rows are appended to one
// reusable buffer; a full buffer goes through an optional GB18030 encoder
// and optional gzip compression to a buffered file.
type csvFile struct {
	name  string
	form  fileForm
	file  *os.File
	gz    *gzip.Writer
	fbuf  *bufio.Writer // between gzip and the file
	out   io.Writer     // gzip or the file
	buf   []byte        // UTF-8 text not yet passed on
	gb    *gbEncoder
	eol   string
	ncols int
	rows  int64
	// xlsx is set for a workbook, which rows are written to instead.
	xlsx *xlsxSheet
}

// csvFlushAt is the size at which the text buffer is passed on.
const csvFlushAt = 256 << 10

// Pools of the buffers and compressors of the files being written. A reset
// compressor writes the same bytes as a new one.
var (
	csvBufPool = sync.Pool{New: func() any {
		b := make([]byte, 0, csvFlushAt+16<<10)
		return &b
	}}
	fileBufPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}
	gzipPool    = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
	gbPool = sync.Pool{New: func() any { return &gbEncoder{enc: simplifiedchinese.GB18030.NewEncoder()} }}
)

// release returns the file's buffers and compressor to their pools.
func (c *csvFile) release() {
	if c.xlsx != nil {
		c.xlsx.close()
		c.xlsx = nil
	}
	if c.buf != nil {
		b := c.buf[:0]
		csvBufPool.Put(&b)
		c.buf = nil
	}
	if c.gz != nil {
		c.gz.Reset(nil)
		gzipPool.Put(c.gz)
		c.fbuf.Reset(nil)
		fileBufPool.Put(c.fbuf)
		c.gz, c.fbuf = nil, nil
	}
	if c.gb != nil {
		gbPool.Put(c.gb)
		c.gb = nil
	}
}

// createCSV creates the file and writes its header row.
func createCSV(inbox, name string, form fileForm, src schemas.Source) (*csvFile, error) {
	f, err := os.Create(filepath.Join(inbox, filepath.FromSlash(name)))
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", name, err)
	}
	c := &csvFile{name: name, form: form, file: f, out: f, eol: "\n", ncols: len(src.Columns)}
	c.buf = (*csvBufPool.Get().(*[]byte))[:0]
	if form.xlsx {
		if c.xlsx, err = newXLSXSheet(); err != nil {
			c.abort()
			return nil, fmt.Errorf("creating %s: %w", name, err)
		}
	}
	if form.gzip {
		// The compressor writes its output in small pieces.
		c.fbuf = fileBufPool.Get().(*bufio.Writer)
		c.fbuf.Reset(f)
		c.gz = gzipPool.Get().(*gzip.Writer)
		c.gz.Reset(c.fbuf)
		c.out = c.gz
	}
	switch form.encoding {
	case encGB18030:
		// Excel on Chinese Windows writes GB18030 with CRLF line ends.
		c.gb = gbPool.Get().(*gbEncoder)
		c.eol = "\r\n"
	case encUTF8BOM:
		c.buf = append(c.buf, "\uFEFF"...)
		c.eol = "\r\n"
	}
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
	if c.xlsx != nil {
		c.rows++
		if err := c.xlsx.write(r, c.form.order, extra); err != nil {
			return fmt.Errorf("writing %s row %d: %w", c.name, c.rows, err)
		}
		return nil
	}
	line := c.buf
	buf, ends := r.buf, r.ends
	sep := false
	for _, j := range c.form.order {
		if r.drop && j == r.unquoted-1 {
			continue
		}
		if sep {
			line = append(line, ',')
		}
		sep = true
		if j < 0 {
			line = append(line, extra...)
			continue
		}
		start := 0
		if j > 0 {
			start = ends[j-1]
		}
		if f := buf[start:ends[j]]; r.quote && j != r.unquoted-1 {
			line = appendCSVField(line, f)
		} else {
			line = append(line, f...)
		}
	}
	c.buf = append(line, c.eol...)
	c.rows++
	if len(c.buf) >= csvFlushAt {
		return c.flush()
	}
	return nil
}

// flush passes the buffered text on, encoded.
func (c *csvFile) flush() error {
	p := c.buf
	if c.gb != nil {
		var err error
		if p, err = c.gb.encode(p); err != nil {
			return fmt.Errorf("encoding %s as GB18030: %w", c.name, err)
		}
	}
	c.buf = c.buf[:0]
	if len(p) == 0 {
		return nil
	}
	if _, err := c.out.Write(p); err != nil {
		return fmt.Errorf("writing %s: %w", c.name, err)
	}
	return nil
}

// close flushes every layer and closes the file.
func (c *csvFile) close() error {
	if c.xlsx != nil {
		err := c.xlsx.save(c.file)
		if e := c.file.Close(); err == nil {
			err = e
		}
		c.release()
		if err != nil {
			return fmt.Errorf("closing %s: %w", c.name, err)
		}
		return nil
	}
	err := c.flush()
	if c.gz != nil {
		if e := c.gz.Close(); err == nil {
			err = e
		}
		if e := c.fbuf.Flush(); err == nil {
			err = e
		}
	}
	if e := c.file.Close(); err == nil {
		err = e
	}
	c.release()
	if err != nil {
		return fmt.Errorf("closing %s: %w", c.name, err)
	}
	return nil
}

// abort closes the file after an error, ignoring further errors.
func (c *csvFile) abort() {
	_ = c.file.Close()
	c.release()
}

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

// gbEncoder encodes whole buffers of rows as GB18030 with x/text's encoder
// into a reused output buffer. A buffer always ends with a complete row, so
// no character is ever split between two calls (GB18030 keeps no state
// between characters).
type gbEncoder struct {
	enc *encoding.Encoder
	dst []byte
}

// encode returns p encoded; the result is valid until the next call.
func (g *gbEncoder) encode(p []byte) ([]byte, error) {
	// A character takes at most twice its UTF-8 length in GB18030.
	if need := 2*len(p) + 16; cap(g.dst) < need {
		g.dst = make([]byte, need)
	}
	g.enc.Reset()
	n, _, err := g.enc.Transform(g.dst[:cap(g.dst)], p, true)
	return g.dst[:n], err
}
