package model

import "zengshou/schemas"

// FactHistory is the published state of the declared facts of one table
// before the period, read back as each fact's Persist declares (sink
// History): per key (person_key), one value per column — money in fen,
// flags 0/1, months as values.Month, dates as Date32 days, texts as text.
// Columns are laid out once; rows are appended per key.
type FactHistory struct {
	rows map[string]int32
	// byRow, once IndexBy ran, is the history row of each roster row (-1:
	// none); the key map is dropped then.
	byRow []int32
	ints  map[string][]int64
	strs  map[string][]string
	// intCols and strCols are the columns in Append's order.
	intCols, strCols []string
}

// NewFactHistory returns an empty history of the given integer and text
// columns.
func NewFactHistory(intCols, strCols []string) *FactHistory {
	h := &FactHistory{rows: map[string]int32{}, ints: map[string][]int64{}, strs: map[string][]string{},
		intCols: intCols, strCols: strCols}
	for _, c := range intCols {
		h.ints[c] = nil
	}
	for _, c := range strCols {
		h.strs[c] = nil
	}
	return h
}

// Append records one key's values, in the order of the columns given to
// NewFactHistory.
func (h *FactHistory) Append(key string, ints []int64, strs []string) {
	h.rows[key] = int32(len(h.rows))
	for i, c := range h.intCols {
		h.ints[c] = append(h.ints[c], ints[i])
	}
	for i, c := range h.strCols {
		h.strs[c] = append(h.strs[c], strs[i])
	}
}

// NewPersonYear and NewPersonLife return the empty read-backs of
// person_month's declared facts (History.PersonYear, History.PersonLife).
func NewPersonYear() *FactHistory {
	return NewFactHistory(schemas.RecallColumns(schemas.YearRecalls(schemas.PersonMonthTable.Name)))
}

// NewHouseholdYear returns the empty read-back of household_year's declared
// facts (History.HouseholdFacts).
func NewHouseholdYear() *FactHistory {
	return NewFactHistory(schemas.RecallColumns(schemas.YearRecalls(schemas.HouseholdYearTable.Name)))
}

// NewPersonLife: see NewPersonYear.
func NewPersonLife() *FactHistory {
	return NewFactHistory(schemas.RecallColumns(schemas.LifeRecalls(schemas.PersonMonthTable.Name)))
}

// SetInt sets the key's value of an integer column, recording the key (with
// zero values elsewhere) if it has no row yet (golden tests build their
// history with it).
func (h *FactHistory) SetInt(col, key string, v int64) {
	h.ints[col][h.row(key)] = v
}

// SetStr sets the key's value of a text column; see SetInt.
func (h *FactHistory) SetStr(col, key string, v string) {
	h.strs[col][h.row(key)] = v
}

// row is the key's row, appended with zero values when it has none.
func (h *FactHistory) row(key string) int32 {
	if r, ok := h.rows[key]; ok {
		return r
	}
	h.Append(key, make([]int64, len(h.intCols)), make([]string, len(h.strCols)))
	return h.rows[key]
}

// IndexBy resolves every roster row's history row once, by its key (keys
// aligned with the roster), and drops the key map: the accessors of
// model.Period then index by roster row instead of hashing a 64-character
// key per fact and person. Key-based reads (Int, Str, Has, Keys) and
// writes are no longer possible after it.
func (h *FactHistory) IndexBy(keys []string) {
	if h == nil {
		return
	}
	h.byRow = make([]int32, len(keys))
	for i, k := range keys {
		r, ok := h.rows[k]
		if !ok {
			r = -1
		}
		h.byRow[i] = r
	}
	h.rows = nil
}

// intAt is roster row m's value of an integer column, key being m's key
// (used before IndexBy).
func (h *FactHistory) intAt(col string, m int32, key string) int64 {
	if h == nil {
		return 0
	}
	if h.byRow == nil {
		return h.Int(col, key)
	}
	r := h.byRow[m]
	v := h.ints[col]
	if r < 0 || v == nil {
		return 0
	}
	return v[r]
}

// strAt is roster row m's value of a text column; see intAt.
func (h *FactHistory) strAt(col string, m int32, key string) string {
	if h == nil {
		return ""
	}
	if h.byRow == nil {
		return h.Str(col, key)
	}
	r := h.byRow[m]
	v := h.strs[col]
	if r < 0 || v == nil {
		return ""
	}
	return v[r]
}

// Keys are the recorded keys, in no particular order.
func (h *FactHistory) Keys() []string {
	if h == nil {
		return nil
	}
	out := make([]string, 0, len(h.rows))
	for k := range h.rows {
		out = append(out, k)
	}
	return out
}

// Len is the number of keys recorded.
func (h *FactHistory) Len() int {
	if h == nil {
		return 0
	}
	return len(h.rows)
}

// Has reports whether the key has a recorded row.
func (h *FactHistory) Has(key string) bool {
	if h == nil {
		return false
	}
	_, ok := h.rows[key]
	return ok
}

// Int is the key's value of an integer column (0 when the key or the column
// has none).
func (h *FactHistory) Int(col, key string) int64 {
	if h == nil {
		return 0
	}
	r, ok := h.rows[key]
	if !ok {
		return 0
	}
	v := h.ints[col]
	if v == nil {
		return 0
	}
	return v[r]
}

// Str is the key's value of a text column ("" when none).
func (h *FactHistory) Str(col, key string) string {
	if h == nil {
		return ""
	}
	r, ok := h.rows[key]
	if !ok {
		return ""
	}
	v := h.strs[col]
	if v == nil {
		return ""
	}
	return v[r]
}
