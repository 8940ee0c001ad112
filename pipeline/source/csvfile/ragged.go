package csvfile

import (
	"encoding/json"
	"fmt"

	"zengshou/schemas"
	"zengshou/transforms/privacy"
)

// nameHeader is the header of the 姓名 column, wherever a file carries one:
// a department extract may bring it as a column its contract does not know.
const nameHeader = "姓名"

// nameField returns the header position of the name column (the source's
// name column, else any column headed 姓名), or -1 when the file has none.
func nameField(src schemas.Source, l layout, header []string) int {
	if i := src.ColumnIndex("name"); i >= 0 && l.index[i] >= 0 {
		return l.index[i]
	}
	for field, h := range header {
		if schemas.NormalizeHeader(h) == schemas.NormalizeHeader(nameHeader) {
			return field
		}
	}
	return -1
}

// appendUnmapped adds a record that cannot be matched to the header field by
// field — it has more or fewer fields than the header (FIELD_COUNT), or the
// CSV reader reported a parse error for it (MALFORMED_ROW). Its columns stay
// empty: mapped by position, an ID number would land in another column
// (户编号) and escape the masking of the ID column. Instead its error carries
// the whole record masked (privacy.MaskRecord) for the quarantine.
func (b *batchBuilder) appendUnmapped(rec []string, l layout, line int, rowErr string) {
	e := schemas.RowError{Reason: schemas.ReasonMalformed, Detail: rowErr}
	if rowErr == "" {
		e = schemas.RowError{
			Reason: schemas.ReasonFieldCount,
			Detail: fmt.Sprintf("字段数与表头不符: 本行 %d 个字段, 表头 %d 个; 整行遮蔽后存放 (row has %d fields, header has %d)",
				len(rec), l.fields, len(rec), l.fields),
		}
	}
	record, _ := json.Marshal(map[string][]string{"记录": privacy.MaskRecord(rec, b.nameField, l.fields)})
	e.Row = string(record)
	for i := range b.values {
		b.values[i].append("")
	}
	b.lines = append(b.lines, int64(line))
	b.errs.append(e.Encode())
	b.rows++
}
