package csvfile

import "zengshou/schemas"

// layout says where the logical columns of a source sit in a file's records.
type layout struct {
	// index holds, per logical column of the source (in Columns order), the
	// field index of that column in a record, or -1 when the file lacks it.
	index []int
	// fields is the number of fields of the header row.
	fields int
	// extra are the header names the source's contract does not know.
	extra []string
}

// mapHeader matches a file's header row against the source's columns
// (schemas.Source.MapHeader: headers, aliases, normalisation). Column order
// is free and unknown columns are collected in extra; two fields naming one
// column, or a missing required one, is an error because no row of the file
// could then be read unambiguously or completely.
func mapHeader(src schemas.Source, header []string) (layout, error) {
	m, err := src.MapHeader(header)
	return layout{index: m.Index, fields: m.Fields, extra: m.Extra}, err
}
