package csvfile

import (
	"fmt"
	"strings"
	"unicode"

	"zengshou/schemas"
)

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

// mapHeader matches a file's header row against the Chinese headers of the
// source's columns. Column order is free and unknown columns are collected in
// extra; a duplicated known column, or a missing required one, is an error
// because no row of the file could then be read unambiguously or completely.
func mapHeader(src schemas.Source, header []string) (layout, error) {
	l := layout{index: make([]int, len(src.Columns)), fields: len(header)}
	byHeader := make(map[string]int, len(src.Columns))
	for i, c := range src.Columns {
		l.index[i] = -1
		byHeader[c.Header] = i
	}
	seenExtra := make(map[string]bool)
	for field, raw := range header {
		name := cleanHeader(raw)
		if name == "" {
			// Excel leaves unnamed columns behind when cells right of the
			// table were ever touched; they carry nothing to report.
			continue
		}
		col, known := byHeader[name]
		if !known {
			if !seenExtra[name] {
				seenExtra[name] = true
				l.extra = append(l.extra, name)
			}
			continue
		}
		if prev := l.index[col]; prev >= 0 {
			c := src.Columns[col]
			return l, fmt.Errorf("duplicate column %s (%s) in header, fields %d and %d", c.Header, c.Name, prev+1, field+1)
		}
		l.index[col] = field
	}
	var missing []string
	for i, c := range src.Columns {
		if c.Required && l.index[i] < 0 {
			missing = append(missing, fmt.Sprintf("%s (%s)", c.Header, c.Name))
		}
	}
	switch len(missing) {
	case 0:
		return l, nil
	case 1:
		return l, fmt.Errorf("missing required column %s", missing[0])
	default:
		return l, fmt.Errorf("missing required columns %s", strings.Join(missing, ", "))
	}
}

// cleanHeader trims what hand-edited headers carry around a name: spaces
// (full-width U+3000 included, as unicode.IsSpace knows it), a byte-order
// mark that was not at the very start of the file, and zero-width spaces
// pasted from web pages.
func cleanHeader(h string) string {
	return strings.TrimFunc(h, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}
