package csvfile

import (
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// batchBuilder accumulates CSV records as rows of a source's raw schema:
// the logical columns as text, then the line number and the row error.
//
// The columns are gathered in Go slices that live as long as the builder
// (offsets and bytes of each text column, the lines) and copied once per
// batch into Arrow buffers of exactly their size: an Arrow builder checks
// capacity, sets a validity bit and may grow its buffers on every value,
// and the raw columns have no nulls.
type batchBuilder struct {
	mem    memory.Allocator
	schema *arrow.Schema
	values []textColumn
	lines  []int64
	errs   textColumn
	// checkUTF8 is set when the file is read as UTF-8 without decoding, so a
	// row in another encoding (a GBK row appended to a UTF-8 file) is flagged
	// rather than passed on as invalid text.
	checkUTF8 bool
	rows      int
	// nameField is the header position of the name, for masking records
	// that do not match the header (-1 when none).
	nameField int
}

// textColumn is one text column of the batch being built, as Arrow lays out
// a string array: offsets[i]..offsets[i+1] is value i in data.
type textColumn struct {
	offsets []int32
	data    []byte
}

func (c *textColumn) append(v string) {
	if len(c.offsets) == 0 {
		c.offsets = append(c.offsets, 0)
	}
	c.data = append(c.data, v...)
	c.offsets = append(c.offsets, int32(len(c.data)))
}

func (c *textColumn) reset() {
	c.offsets = c.offsets[:0]
	c.data = c.data[:0]
}

// array copies the column into an Arrow string array of n values allocated
// from mem (the caller releases it) and empties the column.
func (c *textColumn) array(mem memory.Allocator, n int) arrow.Array {
	if len(c.offsets) == 0 {
		c.offsets = append(c.offsets, 0)
	}
	offsets := bufferOf(mem, arrow.Int32Traits.CastToBytes(c.offsets))
	data := bufferOf(mem, c.data)
	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{nil, offsets, data}, nil, 0, 0)
	offsets.Release()
	data.Release()
	a := array.NewStringData(d)
	d.Release()
	c.reset()
	return a
}

// bufferOf returns a copy of b in a buffer allocated from mem.
func bufferOf(mem memory.Allocator, b []byte) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(b))
	copy(buf.Bytes(), b)
	return buf
}

// newBatchBuilder returns a builder for schema, whose first nValues fields are
// the logical (utf8) columns, followed by the int64 line and utf8 error
// columns, as schemas.Source.RawSchema lays them out.
func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema, nValues int, checkUTF8 bool) *batchBuilder {
	return &batchBuilder{
		mem: mem, schema: schema, values: make([]textColumn, nValues),
		checkUTF8: checkUTF8, nameField: -1,
	}
}

// release frees the builder's buffers (they are Go memory: nothing to do
// beyond dropping them).
func (b *batchBuilder) release() {
	b.values, b.lines, b.errs = nil, nil, textColumn{}
}

// append adds one record as a row. rowErr is a read error already known for
// the record (a csv parse error); such a record, and one whose field count
// differs from the header's, is added unmapped (appendUnmapped). Invalid
// UTF-8 is detected here. Fields are trimmed and otherwise passed through as
// text; columns the file lacks are empty.
func (b *batchBuilder) append(rec []string, l layout, line int, rowErr string) {
	if rowErr != "" || len(rec) != l.fields {
		b.appendUnmapped(rec, l, line, rowErr)
		return
	}
	invalidUTF8 := false
	for col, field := range l.index {
		v := ""
		if field >= 0 && field < len(rec) {
			v = trimSpace(rec[field])
		}
		if b.checkUTF8 && !utf8.ValidString(v) {
			v = strings.ToValidUTF8(v, "\uFFFD")
			invalidUTF8 = true
		}
		b.values[col].append(v)
	}
	b.lines = append(b.lines, int64(line))
	if invalidUTF8 {
		b.errs.append("row is not valid UTF-8 (the file was read as utf-8)")
	} else {
		b.errs.append("")
	}
	b.rows++
}

// trimSpace is strings.TrimSpace, without its work for the common field
// that neither starts nor ends in white space: only a field whose first or
// last byte may belong to a white-space character is trimmed.
func trimSpace(s string) string {
	if len(s) == 0 || mayBeginSpace(s[0]) || mayEndSpace(s[len(s)-1]) {
		return strings.TrimSpace(s)
	}
	return s
}

// mayBeginSpace reports whether a white-space character (unicode.IsSpace)
// may begin with byte c: ASCII white space, or the first byte of the UTF-8
// form of U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
// U+205F or U+3000 (TestTheSpaceBytesCoverEveryUnicodeSpace checks the
// list against the unicode package).
func mayBeginSpace(c byte) bool {
	return c <= ' ' || c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3
}

// mayEndSpace reports whether a white-space character may end with byte c:
// ASCII white space, or the last byte of the UTF-8 form of one of the
// characters mayBeginSpace lists.
func mayEndSpace(c byte) bool {
	return c <= ' ' || c >= 0x80 && c <= 0x8A || c == 0x9F || c == 0xA0 || c == 0xA8 || c == 0xA9 || c == 0xAF
}

// build returns the rows built so far as one batch (the caller releases
// it) and starts a new batch.
func (b *batchBuilder) build() arrow.RecordBatch {
	n := b.rows
	cols := make([]arrow.Array, 0, len(b.values)+2)
	for i := range b.values {
		cols = append(cols, b.values[i].array(b.mem, n))
	}
	lines := bufferOf(b.mem, arrow.Int64Traits.CastToBytes(b.lines))
	d := array.NewData(arrow.PrimitiveTypes.Int64, n, []*memory.Buffer{nil, lines}, nil, 0, 0)
	lines.Release()
	cols = append(cols, array.NewInt64Data(d))
	d.Release()
	b.lines = b.lines[:0]
	cols = append(cols, b.errs.array(b.mem, n))
	rec := array.NewRecordBatch(b.schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	b.rows = 0
	return rec
}
