// Package schemas defines the shapes of the data on its road: the logical
// columns of every department extract (with their Chinese headers) and the
// ClickHouse tables the results are published to, side by side, so a column is
// defined once and its forms can be checked against each other in tests.
package schemas

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind says how the text of an extract column is parsed and validated.
type Kind int

// The kinds of extract columns.
const (
	// Text is kept as written (trimmed).
	Text Kind = iota
	// IDNumber is a 身份证号, normalised and validated per GB 11643-1999.
	IDNumber
	// Money is an amount in yuan with up to two decimals, kept as integer fen.
	Money
	// Month is a calendar month (2025-06, 2025/06, 202506, 2025年6月).
	Month
	// Date is a calendar day (2025-06-30, 2025/6/30, 20250630).
	Date
	// YesNo is a yes/no flag (是/否, Y/N, 1/0, true/false).
	YesNo
	// Integer is a whole number.
	Integer
	// Enum is text restricted to the column's Values.
	Enum
)

// Column is one logical column of an extract.
type Column struct {
	// Name is the logical (English) column name used in code and Arrow batches.
	Name string
	// Header is the Chinese header that names the column in files.
	Header string
	// Aliases are the other names departments deliver the column under
	// (身份证号码 for 身份证号). Headers and aliases are matched after
	// NormalizeHeader, and an amount column also with the suffix (元).
	Aliases []string
	// Kind says how the value is parsed.
	Kind Kind
	// Required columns must be present in the header and non-empty in a row.
	Required bool
	// Values lists the allowed values of an Enum column.
	Values []string
}

// Source is the input contract of one department extract (inputs.md).
type Source struct {
	// Name is the file stem in the inbox: <inbox>/<YYYY-MM>/<Name>.csv.
	Name string
	// Title is the Chinese name officials know the extract by.
	Title string
	// Columns are the logical columns, required ones first by convention.
	Columns []Column
	// PeriodColumn names the row's own month column, which must equal the
	// period of the folder (else PERIOD_MISMATCH); empty when there is none.
	PeriodColumn string
	// PersonLevel sources carry an id_number and are joined to the roster.
	PersonLevel bool
	// VillageColumn names a 12-digit village code whose first 6 digits must
	// be a county of regions.csv, else UNKNOWN_REGION; empty when none.
	VillageColumn string
	// CountyColumn names a 6-digit county code that must be in regions.csv,
	// else UNKNOWN_REGION; empty when none.
	CountyColumn string
}

// Raw batch bookkeeping columns, added after the logical columns of a
// source's raw Arrow schema.
const (
	// LineColumn holds the 1-based line (or spreadsheet row) number of the row
	// in its file; the header is line 1.
	LineColumn = "_line"
	// ErrorColumn is non-empty when the row could not be read (a ragged CSV
	// row, invalid text): a RowError.Encode value, or a plain message for a
	// MALFORMED_ROW. Such a row is quarantined with the error's reason.
	ErrorColumn = "_error"
)

// The source names, as they appear as file stems in the inbox.
const (
	Roster          = "roster"
	HouseholdIncome = "household_income"
	Education       = "education"
	Medical         = "medical"
	Civil           = "civil"
	Employment      = "employment"
	Pension         = "pension"
	Sales           = "sales"
)

// Column lookup returns the named logical column.
func (s Source) Column(name string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// ColumnIndex returns the position of the named logical column, or -1.
func (s Source) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// RawSchema is the Arrow schema of the source's raw batches: one utf8 column
// per logical column (in Columns order; empty string when absent or blank),
// then LineColumn (int64) and ErrorColumn (utf8).
func (s Source) RawSchema() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(s.Columns)+2)
	for _, c := range s.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String})
	}
	fields = append(fields,
		arrow.Field{Name: LineColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: ErrorColumn, Type: arrow.BinaryTypes.String},
	)
	md := arrow.NewMetadata([]string{"source"}, []string{s.Name})
	return arrow.NewSchema(fields, &md)
}

// SourceByName returns the contract of the named source.
func SourceByName(name string) (Source, error) {
	for _, s := range Sources {
		if s.Name == name {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("looking up source %q: no such source", name)
}

// Value sets shared by several sources.
var (
	householdTypes = []string{"脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"}
	laborTypes     = []string{"普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}
	relations      = []string{"户主", "配偶", "子女", "父母", "孙子女", "其他"}
	// idAliases are the names of the 身份证号 column seen in department
	// exports (the 公民身份号码 of GB 11643 itself, and generic 证件号码).
	idAliases = []string{"身份证号码", "公民身份号码", "公民身份证号码", "身份证件号码", "证件号码"}
)

// Sources are the department extracts in load order (the roster first:
// every other source is joined onto it): the contracts of Departments.
var Sources = func() []Source {
	out := make([]Source, len(Departments))
	for i, d := range Departments {
		out[i] = d.Source
	}
	return out
}()
