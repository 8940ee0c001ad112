package schemas

import (
	"fmt"
	"strings"
	"unicode"
)

// HeaderMap says where the logical columns of a source sit in the fields of
// a delivered header row (a CSV header, a sheet's first row, a database
// result's columns).
type HeaderMap struct {
	// Index holds, per logical column of the source (in Columns order), the
	// field index of that column, or -1 when the header lacks it.
	Index []int
	// Fields is the number of fields of the header row.
	Fields int
	// Extra are the header names the source's contract does not know, once
	// each, as written (cleaned of surrounding spaces).
	Extra []string
}

// moneyUnit is the unit suffix departments append to amount headers
// (发放金额(元)); after NormalizeHeader both bracket forms read like this.
const moneyUnit = "(元)"

// NormalizeHeader reduces a header name to the form it is matched in: spaces
// anywhere (full-width U+3000 included), byte-order marks and zero-width
// spaces removed, full-width brackets and letters folded to their ASCII
// forms (（元） → (元)), Latin letters lower-cased.
func NormalizeHeader(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range h {
		switch {
		case unicode.IsSpace(r), r == '\uFEFF', r == '\u200B', r == '\u200C', r == '\u200D':
			continue
		case r >= '！' && r <= '～': // full-width ASCII block: （ ） ＩＤ …
			r = r - '！' + '!'
		case r == '【' || r == '〔':
			r = '('
		case r == '】' || r == '〕':
			r = ')'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// HeaderNames returns every name the column is accepted under: its Header
// first, then its Aliases.
func (c Column) HeaderNames() []string {
	return append([]string{c.Header}, c.Aliases...)
}

// MatchHeader returns the index of the logical column a header name names,
// or -1. A name matches a column's Header or one of its Aliases after
// NormalizeHeader; an amount column also matches with the unit suffix (元).
func (s Source) MatchHeader(name string) int {
	n := NormalizeHeader(name)
	if n == "" {
		return -1
	}
	base, hasUnit := strings.CutSuffix(n, moneyUnit)
	for i, c := range s.Columns {
		for _, h := range c.HeaderNames() {
			hn := NormalizeHeader(h)
			if n == hn || (hasUnit && c.Kind == Money && base == hn) {
				return i
			}
		}
	}
	return -1
}

// MapHeader matches a delivered header row against the source's columns.
// Column order is free and unknown names are collected in Extra; empty names
// (columns Excel leaves behind right of a table) are skipped. Two fields
// naming one logical column (身份证号 and 身份证号码, or one name twice) and
// a missing required column are errors for the whole extract, naming the
// fields concerned, since no row could then be read unambiguously.
func (s Source) MapHeader(header []string) (HeaderMap, error) {
	m := HeaderMap{Index: make([]int, len(s.Columns)), Fields: len(header)}
	for i := range m.Index {
		m.Index[i] = -1
	}
	seenExtra := make(map[string]bool)
	for field, raw := range header {
		name := strings.TrimFunc(raw, func(r rune) bool {
			return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
		})
		if NormalizeHeader(name) == "" {
			continue
		}
		col := s.MatchHeader(name)
		if col < 0 {
			if !seenExtra[name] {
				seenExtra[name] = true
				m.Extra = append(m.Extra, name)
			}
			continue
		}
		if prev := m.Index[col]; prev >= 0 {
			c := s.Columns[col]
			return m, fmt.Errorf("ambiguous header: column %d %q and column %d %q both name %s (%s); keep one of them",
				prev+1, strings.TrimSpace(header[prev]), field+1, name, c.Header, c.Name)
		}
		m.Index[col] = field
	}
	var missing []string
	for i, c := range s.Columns {
		if c.Required && m.Index[i] < 0 {
			missing = append(missing, fmt.Sprintf("%s (%s)", c.Header, c.Name))
		}
	}
	switch len(missing) {
	case 0:
		return m, nil
	case 1:
		return m, fmt.Errorf("missing required column %s%s", missing[0], s.hint(m.Extra))
	default:
		return m, fmt.Errorf("missing required columns %s%s", strings.Join(missing, ", "), s.hint(m.Extra))
	}
}

// hint suggests, for a header that lacks required columns, what the unknown
// names may have meant: a header read as one field holding tabs or
// semicolons was split with the wrong delimiter, and an unknown name that
// shares a column's header as prefix or contains it is a near miss.
func (s Source) hint(extra []string) string {
	var hints []string
	for _, e := range extra {
		for _, d := range []struct{ sep, name string }{{"\t", "tab"}, {";", "semicolon"}, {"；", "full-width semicolon"}, {"|", "vertical bar"}} {
			if strings.Count(e, d.sep) >= 2 {
				return fmt.Sprintf(" (the header looks %s-separated; save the file as comma-separated CSV)", d.name)
			}
		}
		n := NormalizeHeader(e)
		for _, c := range s.Columns {
			h := NormalizeHeader(c.Header)
			if len(n) >= 6 && (strings.HasPrefix(h, n) || strings.HasPrefix(n, h)) {
				hints = append(hints, fmt.Sprintf("%q may be %s", e, c.Header))
				break
			}
		}
	}
	if len(hints) == 0 {
		return ""
	}
	return " (" + strings.Join(hints, "; ") + ": rename the column to the name in the contract)"
}
