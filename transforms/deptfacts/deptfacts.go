// Package deptfacts holds the declared facts of the departments
// (schemas.Department.Facts) for one period: each fact's value per target
// (roster household or person), rolled up from the department's rows as the
// fact declares, and its village-wide values. It is generic: a new
// department's facts need no code here. No I/O.
package deptfacts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Facts are the period's values of every fact declared for one table, per
// target (aligned with the households for household_year, the roster rows
// for person_month). Money is in fen. Strings are copies. Departments
// that write different facts may Add at the same time (each fact's state,
// its text dictionary and village set, is its own).
type Facts struct {
	// Table is the warehouse table whose fact columns these are.
	Table string
	// Period is the month the rows are of (the windows of schemas.Window).
	Period values.Month
	n      int
	cols   map[string]*column
	// villages holds, per village fact, the villages whose value is true
	// (flags) this period.
	villages map[string]map[string]bool
	sealed   bool
}

// column is one fact's values; rank and best are the state of RollFirst
// and RollMax (0: no row yet, 1: a row, 2: a preferred row; the kept row's
// By value).
type column struct {
	fact  schemas.Fact
	money amounts
	flag  []bool
	// text holds a text fact as codes into texts (code 0 is ""): the values
	// are few (forms, stages, grades), so 4 bytes a target instead of a
	// 16-byte string header.
	text  []uint32
	texts *dictionary
	month []values.Month
	date  []arrow.Date32
	rank  []uint8
	best  []int64
}

// New returns empty facts for the departments' declared facts of table,
// over n targets, for period.
func New(depts []schemas.Department, table string, n int, period values.Month) *Facts {
	f := &Facts{Table: table, Period: period, n: n, cols: map[string]*column{}, villages: map[string]map[string]bool{}}
	for _, d := range depts {
		if d.Table != table {
			continue
		}
		for _, fact := range d.Facts {
			c := &column{fact: fact}
			if fact.Village {
				f.villages[fact.Column] = map[string]bool{}
			}
			switch fact.Kind {
			case schemas.FactMoney:
				c.money = newAmounts(n)
			case schemas.FactFlag:
				c.flag = make([]bool, n)
			case schemas.FactText:
				c.text, c.texts = make([]uint32, n), newDictionary()
			case schemas.FactMonth:
				c.month = make([]values.Month, n)
			case schemas.FactDate:
				c.date = make([]arrow.Date32, n)
			}
			switch fact.Rollup {
			case schemas.RollFirst:
				c.rank = make([]uint8, n)
			case schemas.RollMax:
				c.rank, c.best = make([]uint8, n), make([]int64, n)
			}
			f.cols[fact.Column] = c
		}
	}
	return f
}

// Add rolls one typed batch of department d up into the facts: targets holds
// each row's target index (-1 when the row matched nobody) and villages each
// row's village code (for village facts; nil when d has none).
func (f *Facts) Add(d schemas.Department, rec arrow.RecordBatch, targets []int32, villages []string) error {
	if f.sealed {
		return fmt.Errorf("rolling up %s: the facts of %s are sealed (every department was read)", d.Name, f.Table)
	}
	if d.Table != f.Table {
		return fmt.Errorf("rolling up %s: not a fact of %s (its facts are of %q)", d.Name, f.Table, d.Table)
	}
	for _, fact := range d.Facts {
		c := f.cols[fact.Column]
		if c == nil {
			return fmt.Errorf("rolling up %s.%s: not a fact of %s", d.Name, fact.Column, f.Table)
		}
		match, err := f.matcher(d, fact, rec)
		if err != nil {
			return err
		}
		from, err := sourceColumn(d, fact, fact.From, rec)
		if err != nil {
			return err
		}
		r := rowRoll{c: c, from: from}
		if r.by, err = sourceColumn(d, fact, fact.By, rec); err != nil {
			return err
		}
		if fact.Rollup == schemas.RollMax && r.by == nil {
			return fmt.Errorf("rolling up %s.%s: RollMax without a By column", d.Name, fact.Column)
		}
		if r.prefer, err = sourceColumn(d, fact, fact.PreferColumn, rec); err != nil {
			return err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			if !match(i) {
				continue
			}
			if fact.Village {
				if villages == nil {
					return fmt.Errorf("rolling up %s.%s: village fact without village codes", d.Name, fact.Column)
				}
				if flagOf(from, i) {
					if set := f.villages[fact.Column]; !set[villages[i]] {
						set[strings.Clone(villages[i])] = true
					}
				}
				continue
			}
			if t := targets[i]; t >= 0 {
				f.roll(r, int(t), i)
			}
		}
	}
	return nil
}

// Seal frees what only Add needs (RollFirst's and RollMax's per-target
// state: 9 bytes a target for each such fact) once every department's rows
// are in; Add after Seal is an error.
func (f *Facts) Seal() {
	f.sealed = true
	for _, c := range f.cols {
		c.rank, c.best = nil, nil
	}
}

// sourceColumn is the batch's column of a declared source column name (nil
// for an empty name).
func sourceColumn(d schemas.Department, fact schemas.Fact, name string, rec arrow.RecordBatch) (arrow.Array, error) {
	if name == "" {
		return nil, nil
	}
	i := d.ColumnIndex(name)
	if i < 0 {
		return nil, fmt.Errorf("rolling up %s.%s: no source column %q", d.Name, fact.Column, name)
	}
	return rec.Column(i), nil
}

// rowRoll is one fact's batch columns: its value (from), RollMax's order
// (by) and RollFirst's preference (prefer).
type rowRoll struct {
	c                *column
	from, by, prefer arrow.Array
}

// roll applies row i to target t per the fact's rollup.
func (f *Facts) roll(r rowRoll, t, i int) {
	c := r.c
	switch c.fact.Rollup {
	case schemas.RollSum:
		if a := r.from.(*array.Int64); !a.IsNull(i) {
			c.money.add(t, a.Value(i))
		}
	case schemas.RollCount:
		if c.money.n > 0 {
			c.money.add(t, 1)
		}
	case schemas.RollAny:
		if flagOf(r.from, i) {
			c.flag[t] = true
		}
	case schemas.RollLatest:
		f.set(c, t, r.from, i)
	case schemas.RollFirst:
		rank := uint8(1)
		if textOf(r.prefer, i) == c.fact.PreferValue {
			rank = 2
		}
		if c.rank[t] == 0 || (rank == 2 && c.rank[t] == 1) {
			c.rank[t] = rank
			f.set(c, t, r.from, i)
		}
	case schemas.RollMax:
		v, ok := orderOf(r.by, i)
		if !ok {
			return
		}
		if c.rank[t] == 0 || v > c.best[t] || (c.fact.TiesToLast && v == c.best[t]) {
			c.rank[t], c.best[t] = 1, v
			f.set(c, t, r.from, i)
		}
	}
}

// set makes row i's value of from target t's value (a null is the kind's
// empty value).
func (f *Facts) set(c *column, t int, from arrow.Array, i int) {
	switch c.fact.Kind {
	case schemas.FactMoney:
		c.money.set(t, nullZero(from.(*array.Int64), i))
	case schemas.FactFlag:
		c.flag[t] = flagOf(from, i)
	case schemas.FactText:
		c.text[t] = c.texts.code(textOf(from, i))
	case schemas.FactMonth:
		a := from.(*array.Int32)
		c.month[t] = 0
		if !a.IsNull(i) {
			c.month[t] = values.Month(a.Value(i))
		}
	case schemas.FactDate:
		a := from.(*array.Date32)
		c.date[t] = 0
		if !a.IsNull(i) {
			c.date[t] = a.Value(i)
		}
	}
}

// flagOf is the row's yes/no value of from (true without a from column: the
// row itself counts); a null is false.
func flagOf(from arrow.Array, i int) bool {
	if from == nil {
		return true
	}
	a := from.(*array.Boolean)
	return !a.IsNull(i) && a.Value(i)
}

// textOf is the row's text of from ("" for a null or no column).
func textOf(from arrow.Array, i int) string {
	if from == nil || from.IsNull(i) {
		return ""
	}
	return from.(*array.String).Value(i)
}

// orderOf is the row's By value (an amount or a month); ok is false for a
// null.
func orderOf(by arrow.Array, i int) (int64, bool) {
	if by.IsNull(i) {
		return 0, false
	}
	switch a := by.(type) {
	case *array.Int64:
		return a.Value(i), true
	case *array.Int32:
		return int64(a.Value(i)), true
	}
	return 0, false
}

func nullZero(a *array.Int64, i int) int64 {
	if a.IsNull(i) {
		return 0
	}
	return a.Value(i)
}

// matcher returns whether row i passes the fact's When and Within
// restrictions.
func (f *Facts) matcher(d schemas.Department, fact schemas.Fact, rec arrow.RecordBatch) (func(int) bool, error) {
	when, err := sourceColumn(d, fact, fact.WhenColumn, rec)
	if err != nil {
		return nil, err
	}
	within, err := sourceColumn(d, fact, fact.WithinColumn, rec)
	if err != nil {
		return nil, err
	}
	inWindow, err := f.window(d, fact, within)
	if err != nil {
		return nil, err
	}
	if when == nil {
		return inWindow, nil
	}
	return func(r int) bool { return slices.Contains(fact.WhenValues, textOf(when, r)) && inWindow(r) }, nil
}

// window returns whether row i's Within column lies in the fact's window of
// the period (a null lies in none).
func (f *Facts) window(d schemas.Department, fact schemas.Fact, col arrow.Array) (func(int) bool, error) {
	if fact.Within == schemas.WithinAnyTime {
		return func(int) bool { return true }, nil
	}
	bad := fmt.Errorf("rolling up %s.%s: window %d on column %q of type %v", d.Name, fact.Column, fact.Within, fact.WithinColumn, col)
	switch fact.Within {
	case schemas.WithinPeriodYear:
		a, ok := col.(*array.Int64)
		if !ok {
			return nil, bad
		}
		year := int64(f.Period.Year())
		return func(i int) bool { return a.IsValid(i) && a.Value(i) == year }, nil
	case schemas.WithinYearToDate:
		a, ok := col.(*array.Int32)
		if !ok {
			return nil, bad
		}
		from, to := values.NewMonth(f.Period.Year(), 1), f.Period
		return func(i int) bool {
			m := values.Month(a.Value(i))
			return a.IsValid(i) && m >= from && m <= to
		}, nil
	case schemas.WithinPeriodEnd:
		a, ok := col.(*array.Date32)
		if !ok {
			return nil, bad
		}
		end := arrow.Date32FromTime(f.Period.LastDay())
		return func(i int) bool { return a.IsValid(i) && a.Value(i) <= end }, nil
	}
	return nil, bad
}

// Fact returns the declared fact of a column.
func (f *Facts) Fact(col string) (schemas.Fact, bool) {
	c, ok := f.cols[col]
	if !ok {
		return schemas.Fact{}, false
	}
	return c.fact, true
}

func (f *Facts) col(name string) *column {
	c, ok := f.cols[name]
	if !ok {
		panic(fmt.Sprintf("deptfacts: no fact column %q in %s", name, f.Table))
	}
	return c
}

// Values is one fact's values over the targets: a handle, for callers that
// read a fact for every target, that spares a lookup by name per value.
type Values struct{ c *column }

// Values returns the handle of a fact column (panics if there is none, as
// Money and friends do).
func (f *Facts) Values(col string) Values { return Values{f.col(col)} }

// Money is target t's money value (fen).
func (v Values) Money(t int) int64 { return v.c.money.get(t) }

// Flag is target t's flag value.
func (v Values) Flag(t int) bool { return v.c.flag[t] }

// Text is target t's text value.
func (v Values) Text(t int) string { return v.c.texts.values[v.c.text[t]] }

// Month is target t's month value (0 when none).
func (v Values) Month(t int) values.Month { return v.c.month[t] }

// Date is target t's date value (0 when none).
func (v Values) Date(t int) arrow.Date32 { return v.c.date[t] }

// Money is the period's money value of the fact for target t (fen).
func (f *Facts) Money(col string, t int) int64 { return f.col(col).money.get(t) }

// Flag is the period's flag value of the fact for target t.
func (f *Facts) Flag(col string, t int) bool { return f.col(col).flag[t] }

// Text is the period's text value of the fact for target t.
func (f *Facts) Text(col string, t int) string {
	c := f.col(col)
	return c.texts.values[c.text[t]]
}

// Month is the period's month value of the fact for target t (0 when none).
func (f *Facts) Month(col string, t int) values.Month { return f.col(col).month[t] }

// Date is the period's date value of the fact for target t (0 when none).
func (f *Facts) Date(col string, t int) arrow.Date32 { return f.col(col).date[t] }

// VillageFlag is the period's value of a village fact for a village.
func (f *Facts) VillageFlag(col, village string) bool { return f.villages[col][village] }

// SetMoney, SetFlag, SetText, SetMonth and SetVillage set a value directly
// (golden tests build their period with them).
func (f *Facts) SetMoney(col string, t int, v int64) { f.col(col).money.set(t, v) }

// amounts holds a money fact's fen per target as int32 (a month's amounts
// of one person fit: ±21 474 836.47 yuan), half the memory of int64; the
// first value that does not fit moves the column to int64, so no amount is
// ever cut.
type amounts struct {
	n     int
	small []int32
	wide  []int64
}

func newAmounts(n int) amounts { return amounts{n: n, small: make([]int32, n)} }

func (a *amounts) get(t int) int64 {
	if a.wide != nil {
		return a.wide[t]
	}
	return int64(a.small[t])
}

func (a *amounts) set(t int, v int64) {
	if a.wide == nil {
		if v == int64(int32(v)) {
			a.small[t] = int32(v)
			return
		}
		a.widen()
	}
	a.wide[t] = v
}

func (a *amounts) add(t int, v int64) { a.set(t, a.get(t)+v) }

// widen moves the column to int64.
func (a *amounts) widen() {
	a.wide = make([]int64, a.n)
	for i, v := range a.small {
		a.wide[i] = int64(v)
	}
	a.small = nil
}

// SetFlag sets a flag fact; see SetMoney.
func (f *Facts) SetFlag(col string, t int, v bool) { f.col(col).flag[t] = v }

// SetText sets a text fact; see SetMoney.
func (f *Facts) SetText(col string, t int, v string) {
	c := f.col(col)
	c.text[t] = c.texts.code(v)
}

// dictionary numbers the distinct values of a text fact; its strings are
// copies that outlive the batches they were read from.
type dictionary struct {
	values []string
	codes  map[string]uint32
}

func newDictionary() *dictionary {
	return &dictionary{values: []string{""}, codes: map[string]uint32{"": 0}}
}

// code is v's code, numbering it if new.
func (d *dictionary) code(v string) uint32 {
	if c, ok := d.codes[v]; ok {
		return c
	}
	c := uint32(len(d.values))
	v = strings.Clone(v)
	d.values = append(d.values, v)
	d.codes[v] = c
	return c
}

// SetMonth sets a month fact; see SetMoney.
func (f *Facts) SetMonth(col string, t int, v values.Month) { f.col(col).month[t] = v }

// SetDate sets a date fact; see SetMoney.
func (f *Facts) SetDate(col string, t int, v arrow.Date32) { f.col(col).date[t] = v }

// SetVillage marks a village fact true for a village; see SetMoney.
func (f *Facts) SetVillage(col, village string) { f.villages[col][village] = true }
