// Package normalize turns the raw text batches of an extract into typed,
// validated batches: it repairs ID numbers, parses amounts, months, dates and
// flags, checks enums, the period, the region and the medical amounts, and
// sends every row it cannot accept to quarantine with a reason. No I/O.
package normalize

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/privacy"
	"zengshou/transforms/values"
)

// Normalizer validates the batches of one source for one period.
type Normalizer struct {
	src     schemas.Source
	period  values.Month
	regions *schemas.Regions
	mem     memory.Allocator
	schema  *arrow.Schema
	checks  []rowCheck
}

// New returns a Normalizer for the extract of src delivered for period.
func New(src schemas.Source, period values.Month, regions *schemas.Regions, mem memory.Allocator) *Normalizer {
	return &Normalizer{
		src: src, period: period, regions: regions, mem: mem,
		schema: src.TypedSchema(),
		checks: checksFor(src),
	}
}

// Schema is the typed schema of the batches Normalize returns.
func (n *Normalizer) Schema() *arrow.Schema { return n.schema }

// cell is one parsed value of a row.
type cell struct {
	null bool
	str  string
	num  int64
	b    bool
}

// Normalize validates one raw batch (schema src.RawSchema()). It returns the
// accepted rows as a typed batch (the caller releases it) and the rejected
// rows; accepted + rejected always equals the rows of raw.
func (n *Normalizer) Normalize(raw arrow.RecordBatch) (arrow.RecordBatch, []schemas.Rejected, error) {
	ncols := len(n.src.Columns)
	if int(raw.NumCols()) != ncols+2 {
		return nil, nil, fmt.Errorf("normalizing %s batch: %d columns, want %d", n.src.Name, raw.NumCols(), ncols+2)
	}
	texts := make([]*array.String, ncols)
	for i := range texts {
		col, ok := raw.Column(i).(*array.String)
		if !ok {
			return nil, nil, fmt.Errorf("normalizing %s batch: column %s is %s, want utf8", n.src.Name, n.src.Columns[i].Name, raw.Column(i).DataType())
		}
		texts[i] = col
	}
	lines, ok1 := raw.Column(ncols).(*array.Int64)
	rowErrs, ok2 := raw.Column(ncols + 1).(*array.String)
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("normalizing %s batch: bookkeeping columns have the wrong type", n.src.Name)
	}

	b := array.NewRecordBuilder(n.mem, n.schema)
	defer b.Release()
	var rejected []schemas.Rejected
	row := make([]cell, ncols)
	for r := 0; r < int(raw.NumRows()); r++ {
		line := lines.Value(r)
		if msg := rowErrs.Value(r); msg != "" {
			// The reader could not read the row; a row it could not match to
			// the header comes masked as a whole, its columns empty. The
			// strings outlive the raw batch: copy them.
			e := schemas.ParseRowError(msg)
			masked := strings.Clone(e.Row)
			if masked == "" {
				masked = maskedRow(n.src, texts, r)
			}
			rejected = append(rejected, schemas.Rejected{
				Line: line, Reason: strings.Clone(e.Reason), Detail: strings.Clone(privacy.MaskIDs(e.Detail)), Row: masked,
			})
			continue
		}
		reason, detail := n.parseRow(texts, r, row)
		if reason == "" {
			for _, chk := range n.checks {
				if reason, detail = chk(n, row); reason != "" {
					break
				}
			}
		}
		if reason != "" {
			rejected = append(rejected, schemas.Rejected{
				Line: line, Reason: reason, Detail: privacy.MaskIDs(detail), Row: maskedRow(n.src, texts, r),
			})
			continue
		}
		n.appendRow(b, row, line)
	}
	return b.NewRecordBatch(), rejected, nil
}

// parseRow parses every column of row r into out, or names why it cannot.
func (n *Normalizer) parseRow(texts []*array.String, r int, out []cell) (reason, detail string) {
	for i, c := range n.src.Columns {
		text := strings.TrimSpace(texts[i].Value(r))
		out[i] = cell{}
		if text == "" {
			if c.Required {
				return schemas.ReasonMissingValue, fmt.Sprintf("%s为空 (required %s is empty)", c.Header, c.Name)
			}
			out[i].null = true
			continue
		}
		if err := parseCell(c, text, &out[i]); err != nil {
			if errors.Is(err, idnum.ErrInvalid) {
				return schemas.ReasonIDInvalid, fmt.Sprintf("%s %s 无效, 无法修复 (%v)", c.Header, idnum.Mask(text), err)
			}
			return schemas.ReasonBadValue, fmt.Sprintf("%s 的值无法识别 (%v)", c.Header, err)
		}
	}
	return "", ""
}

func parseCell(c schemas.Column, text string, out *cell) error {
	var err error
	switch c.Kind {
	case schemas.IDNumber:
		out.str, err = idnum.Normalize(text)
	case schemas.Money:
		out.num, err = values.ParseMoney(text)
		if err == nil && out.num < 0 {
			err = fmt.Errorf("parsing amount %q: negative", text)
		}
	case schemas.Month:
		var m values.Month
		m, err = values.ParseMonth(text)
		out.num = int64(m)
	case schemas.Date:
		var d time.Time
		d, err = values.ParseDate(text)
		out.num = int64(arrow.Date32FromTime(d))
	case schemas.YesNo:
		out.b, err = values.ParseYesNo(text)
	case schemas.Integer:
		out.num, err = values.ParseInt(text)
	case schemas.Enum:
		out.str = text
		if !contains(c.Values, text) {
			err = fmt.Errorf("value %q is not one of %s", text, strings.Join(c.Values, "/"))
		}
	default:
		out.str = text
	}
	return err
}

func (n *Normalizer) appendRow(b *array.RecordBuilder, row []cell, line int64) {
	for i, c := range n.src.Columns {
		fb := b.Field(i)
		if row[i].null {
			fb.AppendNull()
			continue
		}
		switch c.Kind {
		case schemas.Money, schemas.Integer:
			fb.(*array.Int64Builder).Append(row[i].num)
		case schemas.Month:
			fb.(*array.Int32Builder).Append(int32(row[i].num))
		case schemas.Date:
			fb.(*array.Date32Builder).Append(arrow.Date32(row[i].num))
		case schemas.YesNo:
			fb.(*array.BooleanBuilder).Append(row[i].b)
		default:
			fb.(*array.StringBuilder).Append(row[i].str)
		}
	}
	b.Field(len(n.src.Columns)).(*array.Int64Builder).Append(line)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
