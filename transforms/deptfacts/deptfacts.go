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
// for person_month). Money is in fen. Strings are copies.
type Facts struct {
	// Table is the warehouse table whose fact columns these are.
	Table string
	n     int
	cols  map[string]*column
	// villages holds, per village fact, the villages whose value is true
	// (flags) this period.
	villages map[string]map[string]bool
	strs     map[string]string
}

// column is one fact's values.
type column struct {
	fact  schemas.Fact
	money []int64
	flag  []bool
	text  []string
	month []values.Month
}

// New returns empty facts for the departments' declared facts of table,
// over n targets.
func New(depts []schemas.Department, table string, n int) *Facts {
	f := &Facts{Table: table, n: n, cols: map[string]*column{}, villages: map[string]map[string]bool{}, strs: map[string]string{}}
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
				c.money = make([]int64, n)
			case schemas.FactFlag:
				c.flag = make([]bool, n)
			case schemas.FactText:
				c.text = make([]string, n)
			case schemas.FactMonth:
				c.month = make([]values.Month, n)
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
	for _, fact := range d.Facts {
		c := f.cols[fact.Column]
		if c == nil {
			return fmt.Errorf("rolling up %s.%s: not a fact of %s", d.Name, fact.Column, f.Table)
		}
		match, err := matcher(d, fact, rec)
		if err != nil {
			return err
		}
		var from arrow.Array
		if fact.From != "" {
			i := d.ColumnIndex(fact.From)
			if i < 0 {
				return fmt.Errorf("rolling up %s.%s: no source column %q", d.Name, fact.Column, fact.From)
			}
			from = rec.Column(i)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			if !match(i) {
				continue
			}
			if fact.Village {
				if villages == nil {
					return fmt.Errorf("rolling up %s.%s: village fact without village codes", d.Name, fact.Column)
				}
				if f.flagOf(from, i) {
					f.villages[fact.Column][f.keep(villages[i])] = true
				}
				continue
			}
			t := targets[i]
			if t < 0 {
				continue
			}
			f.set(c, int(t), from, i)
		}
	}
	return nil
}

// set applies one row's value to target t per the fact's rollup.
func (f *Facts) set(c *column, t int, from arrow.Array, i int) {
	switch c.fact.Rollup {
	case schemas.RollSum:
		if a := from.(*array.Int64); !a.IsNull(i) {
			c.money[t] += a.Value(i)
		}
	case schemas.RollCount:
		if c.money != nil {
			c.money[t]++
		}
	case schemas.RollAny:
		if f.flagOf(from, i) {
			c.flag[t] = true
		}
	case schemas.RollLatest:
		switch c.fact.Kind {
		case schemas.FactMoney:
			c.money[t] = nullZero(from.(*array.Int64), i)
		case schemas.FactFlag:
			c.flag[t] = f.flagOf(from, i)
		case schemas.FactText:
			c.text[t] = f.keep(from.(*array.String).Value(i))
		case schemas.FactMonth:
			a := from.(*array.Int32)
			c.month[t] = 0
			if !a.IsNull(i) {
				c.month[t] = values.Month(a.Value(i))
			}
		}
	}
}

// flagOf is the row's yes/no value of from (true without a from column: the
// row itself counts); a null is false.
func (f *Facts) flagOf(from arrow.Array, i int) bool {
	if from == nil {
		return true
	}
	a := from.(*array.Boolean)
	return !a.IsNull(i) && a.Value(i)
}

func nullZero(a *array.Int64, i int) int64 {
	if a.IsNull(i) {
		return 0
	}
	return a.Value(i)
}

// matcher returns whether row i passes the fact's When restriction.
func matcher(d schemas.Department, fact schemas.Fact, rec arrow.RecordBatch) (func(int) bool, error) {
	if fact.WhenColumn == "" {
		return func(int) bool { return true }, nil
	}
	i := d.ColumnIndex(fact.WhenColumn)
	if i < 0 {
		return nil, fmt.Errorf("rolling up %s.%s: no source column %q", d.Name, fact.Column, fact.WhenColumn)
	}
	a := rec.Column(i).(*array.String)
	return func(r int) bool { return slices.Contains(fact.WhenValues, a.Value(r)) }, nil
}

// keep returns a copy of s that does not point into an Arrow buffer.
func (f *Facts) keep(s string) string {
	if c, ok := f.strs[s]; ok {
		return c
	}
	c := strings.Clone(s)
	f.strs[c] = c
	return c
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

// Money is the period's money value of the fact for target t (fen).
func (f *Facts) Money(col string, t int) int64 { return f.col(col).money[t] }

// Flag is the period's flag value of the fact for target t.
func (f *Facts) Flag(col string, t int) bool { return f.col(col).flag[t] }

// Text is the period's text value of the fact for target t.
func (f *Facts) Text(col string, t int) string { return f.col(col).text[t] }

// Month is the period's month value of the fact for target t (0 when none).
func (f *Facts) Month(col string, t int) values.Month { return f.col(col).month[t] }

// VillageFlag is the period's value of a village fact for a village.
func (f *Facts) VillageFlag(col, village string) bool { return f.villages[col][village] }

// SetMoney, SetFlag, SetText, SetMonth and SetVillage set a value directly
// (golden tests build their period with them).
func (f *Facts) SetMoney(col string, t int, v int64) { f.col(col).money[t] = v }

// SetFlag sets a flag fact; see SetMoney.
func (f *Facts) SetFlag(col string, t int, v bool) { f.col(col).flag[t] = v }

// SetText sets a text fact; see SetMoney.
func (f *Facts) SetText(col string, t int, v string) { f.col(col).text[t] = v }

// SetMonth sets a month fact; see SetMoney.
func (f *Facts) SetMonth(col string, t int, v values.Month) { f.col(col).month[t] = v }

// SetVillage marks a village fact true for a village; see SetMoney.
func (f *Facts) SetVillage(col, village string) { f.villages[col][village] = true }
