// Package xlsxfile reads one department extract delivered as an Excel
// workbook in the inbox (<inbox>/<YYYY-MM>/<source>.xlsx) and streams it as
// raw Arrow batches with the source's raw schema, like csvfile: every logical
// column as text, the sheet row number of each row, and a row-level read
// error. Rows are read with excelize's streaming row reader, never the whole
// sheet in memory.
package xlsxfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"

	"zengshou/pipeline"
	"zengshou/schemas"
)

// maxTitleRows is how many leading rows may hold a title (one cell, often
// merged across the table) or nothing before the header row.
const maxTitleRows = 5

// Source reads one XLSX extract.
type Source struct {
	cfg    Config
	src    schemas.Source
	name   string
	mem    memory.Allocator
	schema *arrow.Schema
}

var _ pipeline.Source = (*Source)(nil)

// New returns a Source reading the workbook cfg.Path as an extract of src,
// with batches allocated from mem. name identifies the file in errors,
// accounting and quarantine rows (2025-06/employment.xlsx); when empty,
// cfg.Path is used. New does no I/O.
func New(cfg Config, src schemas.Source, name string, mem memory.Allocator) *Source {
	if name == "" {
		name = cfg.Path
	}
	return &Source{cfg: cfg, src: src, name: name, mem: mem, schema: src.RawSchema()}
}

// Name returns the file's name relative to the inbox.
func (s *Source) Name() string { return s.name }

// Read streams the sheet as batches of at most cfg.BatchRows rows. Every
// non-blank row after the header becomes exactly one row; a row without a
// single non-empty cell (Excel keeps formatted empty rows) is not a record.
// Read fails for the file as a whole when it is not a readable workbook
// (an old .xls, an encrypted workbook), the sheet has no header, lacks a
// required column or names one twice.
func (s *Source) Read(ctx context.Context, emit func(arrow.RecordBatch) error) (pipeline.ExtractInfo, error) {
	var info pipeline.ExtractInfo
	if err := s.cfg.Validate(); err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	if err := ctx.Err(); err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	if err := sniff(s.cfg.Path); err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	f, err := excelize.OpenFile(s.cfg.Path, excelize.Options{UnzipXMLSizeLimit: s.cfg.UnzipXMLSizeLimit})
	if err != nil {
		return info, fmt.Errorf("reading %s: opening workbook: %w (save it again from Excel as .xlsx, or as CSV)", s.name, err)
	}
	defer f.Close()
	sheet, err := s.sheet(f)
	if err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return info, fmt.Errorf("reading %s sheet %s: %w", s.name, sheet, err)
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}

	// Header: the first row with two or more non-empty cells, after at
	// most maxTitleRows title or blank rows.
	var header []string
	rowNum := 0
	for header == nil {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return info, fmt.Errorf("reading %s sheet %s row %d: %w", s.name, sheet, rowNum+1, err)
			}
			return info, fmt.Errorf("reading %s: sheet %s has no header row (expected the Chinese column names in row 1)", s.name, sheet)
		}
		rowNum++
		cells, err := rows.Columns(raw)
		if err != nil {
			return info, fmt.Errorf("reading %s sheet %s row %d: %w", s.name, sheet, rowNum, err)
		}
		if nonEmpty(cells) >= 2 {
			header = cells
		} else if rowNum >= maxTitleRows {
			return info, fmt.Errorf("reading %s: sheet %s has no header row in its first %d rows", s.name, sheet, maxTitleRows)
		}
	}
	m, err := s.src.MapHeader(header)
	info.ExtraColumns = m.Extra
	if err != nil {
		return info, fmt.Errorf("reading %s sheet %s row %d: %w%s", s.name, sheet, rowNum, err, s.otherSheets(f, sheet))
	}

	b := newBatchBuilder(s.mem, s.schema)
	defer b.release()
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns(raw)
		if err != nil {
			return info, fmt.Errorf("reading %s sheet %s row %d: %w", s.name, sheet, rowNum, err)
		}
		if nonEmpty(cells) == 0 {
			continue
		}
		b.append(s.src, cells, m, rowNum, date1904)
		if b.rows < s.cfg.BatchRows {
			continue
		}
		if err := s.flush(ctx, b, emit, rowNum); err != nil {
			return info, err
		}
	}
	if err := rows.Error(); err != nil {
		return info, fmt.Errorf("reading %s sheet %s row %d: %w", s.name, sheet, rowNum+1, err)
	}
	if b.rows > 0 {
		if err := s.flush(ctx, b, emit, rowNum); err != nil {
			return info, err
		}
	}
	return info, nil
}

// sheet returns the sheet to read: the configured one, else the first
// visible sheet (a hidden first sheet is a template's code list, not data).
func (s *Source) sheet(f *excelize.File) (string, error) {
	list := f.GetSheetList()
	if s.cfg.Sheet != "" {
		for _, name := range list {
			if name == s.cfg.Sheet {
				return name, nil
			}
		}
		return "", fmt.Errorf("no sheet %q (the workbook has %s)", s.cfg.Sheet, strings.Join(list, ", "))
	}
	for _, name := range list {
		if visible, err := f.GetSheetVisible(name); err == nil && visible {
			return name, nil
		}
	}
	return "", fmt.Errorf("workbook has no visible sheet")
}

// otherSheets names the workbook's other sheets after a header error, since
// the data may sit on another sheet than the first.
func (s *Source) otherSheets(f *excelize.File, read string) string {
	var others []string
	for _, name := range f.GetSheetList() {
		if name != read {
			others = append(others, name)
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf("; sheet %s was read, the workbook also has %s: move the extract to the first sheet", read, strings.Join(others, ", "))
}

// flush emits the rows built so far, then checks whether the run was
// cancelled meanwhile; row is the last sheet row of the batch, for errors.
func (s *Source) flush(ctx context.Context, b *batchBuilder, emit func(arrow.RecordBatch) error, row int) error {
	if err := b.emit(emit); err != nil {
		return fmt.Errorf("emitting %s rows up to sheet row %d: %w", s.name, row, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("reading %s row %d: %w", s.name, row, err)
	}
	return nil
}

// OLE compound files (the container of .xls and of encrypted workbooks)
// start with this signature; an XLSX is a zip archive.
var (
	oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipSignature = []byte("PK\x03\x04")
	// encryptionInfo is the UTF-16 name of the stream an encrypted OOXML
	// workbook keeps in its compound file.
	encryptionInfo = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")
)

// errEmpty is returned for a 0-byte workbook.
var errEmpty = errors.New("file is empty (0 bytes), expected an .xlsx workbook; deliver the extract again")

// sniff tells the forms that are not an XLSX workbook apart before excelize
// reports them all as a bad zip: an empty file, an encrypted workbook, an old
// binary .xls renamed .xlsx, and anything else (a CSV renamed .xlsx).
func sniff(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	switch {
	case n == 0:
		return errEmpty
	case bytes.HasPrefix(head, zipSignature):
		return nil
	case bytes.HasPrefix(head, oleSignature) && bytes.Contains(head, encryptionInfo):
		return errors.New("workbook is password-protected (encrypted); ask the department for an unprotected copy")
	case bytes.HasPrefix(head, oleSignature):
		return errors.New("file is an old binary Excel workbook (.xls) named .xlsx; open it in Excel and save it as .xlsx, or as CSV")
	default:
		return errors.New("file is not an XLSX workbook (no zip archive); save it from Excel as .xlsx, or name a CSV file .csv")
	}
}

// nonEmpty counts the cells of a row holding more than spaces.
func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// batchBuilder accumulates sheet rows as rows of a source's raw schema.
type batchBuilder struct {
	rb     *array.RecordBuilder
	values []*array.StringBuilder
	lines  *array.Int64Builder
	errs   *array.StringBuilder
	rows   int
}

func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema) *batchBuilder {
	rb := array.NewRecordBuilder(mem, schema)
	b := &batchBuilder{rb: rb}
	n := len(schema.Fields()) - 2
	for i := 0; i < n; i++ {
		b.values = append(b.values, rb.Field(i).(*array.StringBuilder))
	}
	b.lines = rb.Field(n).(*array.Int64Builder)
	b.errs = rb.Field(n + 1).(*array.StringBuilder)
	return b
}

func (b *batchBuilder) release() { b.rb.Release() }

// append adds one sheet row. A row is never ragged: cells right of the last
// non-empty one are simply absent and read as empty. A cell outside the
// header's columns that holds a value is reported in the row's error, since
// it belongs to no column and would otherwise be lost without a word.
func (b *batchBuilder) append(src schemas.Source, cells []string, m schemas.HeaderMap, row int, date1904 bool) {
	for col, field := range m.Index {
		v := ""
		if field >= 0 && field < len(cells) {
			v = cellText(cells[field], src.Columns[col].Kind, date1904)
		}
		b.values[col].Append(v)
	}
	rowErr := ""
	for i := m.Fields; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			rowErr = fmt.Sprintf("row has a value in column %s, right of the header's %d columns", columnName(i), m.Fields)
			break
		}
	}
	b.lines.Append(int64(row))
	b.errs.Append(rowErr)
	b.rows++
}

// columnName returns the spreadsheet letter of the 0-based column i.
func columnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}

func (b *batchBuilder) emit(emit func(arrow.RecordBatch) error) error {
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.rows = 0
	return emit(rec)
}
