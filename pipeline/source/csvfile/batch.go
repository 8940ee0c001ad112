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
type batchBuilder struct {
	rb     *array.RecordBuilder
	values []*array.StringBuilder
	lines  *array.Int64Builder
	errs   *array.StringBuilder
	// checkUTF8 is set when the file is read as UTF-8 without decoding, so a
	// row in another encoding (a GBK row appended to a UTF-8 file) is flagged
	// rather than passed on as invalid text.
	checkUTF8 bool
	rows      int
	// nameField is the header position of the name, for masking records
	// that do not match the header (-1 when none).
	nameField int
	// msg is scratch space for a row's error messages.
	msg []string
}

// newBatchBuilder returns a builder for schema, whose first nValues fields are
// the logical (utf8) columns, followed by the int64 line and utf8 error
// columns, as schemas.Source.RawSchema lays them out.
func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema, nValues int, checkUTF8 bool) *batchBuilder {
	rb := array.NewRecordBuilder(mem, schema)
	b := &batchBuilder{rb: rb, checkUTF8: checkUTF8, nameField: -1}
	for i := 0; i < nValues; i++ {
		b.values = append(b.values, rb.Field(i).(*array.StringBuilder))
	}
	b.lines = rb.Field(nValues).(*array.Int64Builder)
	b.errs = rb.Field(nValues + 1).(*array.StringBuilder)
	return b
}

// release frees the builder's buffers.
func (b *batchBuilder) release() { b.rb.Release() }

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
	b.msg = b.msg[:0]
	invalidUTF8 := false
	for col, field := range l.index {
		v := ""
		if field >= 0 && field < len(rec) {
			v = strings.TrimSpace(rec[field])
		}
		if b.checkUTF8 && !utf8.ValidString(v) {
			v = strings.ToValidUTF8(v, "\uFFFD")
			invalidUTF8 = true
		}
		b.values[col].Append(v)
	}
	if invalidUTF8 {
		b.msg = append(b.msg, "row is not valid UTF-8 (the file was read as utf-8)")
	}
	b.lines.Append(int64(line))
	b.errs.Append(strings.Join(b.msg, "; "))
	b.rows++
}

// build returns the rows built so far as one batch (the caller releases
// it) and starts a new batch.
func (b *batchBuilder) build() arrow.RecordBatch {
	b.rows = 0
	return b.rb.NewRecordBatch()
}
