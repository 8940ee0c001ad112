package model

import (
	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/values"
)

// The declared department facts (schemas.Department.Facts) of a roster
// person: this period's value from PersonFacts, and its year to date or
// lifetime value — this period's combined with what History.PersonYear and
// History.PersonLife read back, as the fact's Persist declares. A rule or an
// indicator names the fact by its column (schemas.Wage, schemas.Employed…);
// a new department's facts need no code here.

// PersonMoney is the period's amount of a money fact for roster row m, fen.
func (p *Period) PersonMoney(col string, m int32) int64 { return p.PersonFacts.Money(col, int(m)) }

// PersonFlag is the period's value of a flag fact for roster row m.
func (p *Period) PersonFlag(col string, m int32) bool { return p.PersonFacts.Flag(col, int(m)) }

// PersonText is the period's value of a text fact for roster row m.
func (p *Period) PersonText(col string, m int32) string { return p.PersonFacts.Text(col, int(m)) }

// PersonMoneyYTD is a PersistMonthSum fact's amount over Y-01..P, fen.
func (p *Period) PersonMoneyYTD(col string, m int32) int64 {
	return p.PersonFacts.Money(col, int(m)) + p.History.PersonYear.intAt(col, m, p.PersonKeys[m])
}

// MoneyYTD is a PersistMonthSum fact's year to date over the roster, its
// names resolved once (Period.PersonMoneyYTD per value hashes them).
type MoneyYTD struct {
	p    *Period
	col  string
	now  deptfacts.Values
	hist []int64
	rows []int32
}

// PersonMoneyYTDOf returns the handle of a PersistMonthSum fact.
func (p *Period) PersonMoneyYTDOf(col string) MoneyYTD {
	y := MoneyYTD{p: p, col: col, now: p.PersonFacts.Values(col)}
	if h := p.History.PersonYear; h != nil && h.byRow != nil {
		y.hist, y.rows = h.ints[col], h.byRow
	}
	return y
}

// At is roster row m's amount over Y-01..P, fen.
func (y MoneyYTD) At(m int32) int64 {
	v := y.now.Money(int(m))
	if y.rows == nil {
		return v + y.p.History.PersonYear.intAt(y.col, m, y.p.PersonKeys[m])
	}
	if r := y.rows[m]; r >= 0 && y.hist != nil {
		v += y.hist[r]
	}
	return v
}

// PersonEverInYear reports whether a fact held in some period of Y-01..P:
// a PersistEverInYear or PersistLastInYear flag true, a
// PersistEverValueInYear text equal to its EverValue.
func (p *Period) PersonEverInYear(col string, m int32) bool {
	f, _ := p.PersonFacts.Fact(col)
	var now bool
	switch f.Kind {
	case schemas.FactFlag:
		now = p.PersonFacts.Flag(col, int(m))
	case schemas.FactText:
		now = p.PersonFacts.Text(col, int(m)) == f.EverValue
	}
	return now || p.History.PersonYear.intAt(col, m, p.PersonKeys[m]) != 0
}

// PersonLastInYear is the latest month of Y-01..P a PersistLastInYear flag
// was true in (0 when none).
func (p *Period) PersonLastInYear(col string, m int32) values.Month {
	if p.PersonFacts.Flag(col, int(m)) {
		return p.Month
	}
	return values.Month(p.History.PersonYear.intAt(col, m, p.PersonKeys[m]))
}

// latestFromPeriod reports whether a PersistLatestInYear fact's year to
// date is this period's own value: the period has a LatestBy month at least
// the latest earlier one (the period wins ties).
func (p *Period) latestFromPeriod(f schemas.Fact, m int32) bool {
	g := p.PersonFacts.Month(f.LatestBy, int(m))
	return g != 0 && int64(g) >= p.History.PersonYear.intAt(f.LatestBy, m, p.PersonKeys[m])
}

// PersonLatestMonth is a PersistLatestInYear month fact's year to date
// value (0 when none).
func (p *Period) PersonLatestMonth(col string, m int32) values.Month {
	f, _ := p.PersonFacts.Fact(col)
	if p.latestFromPeriod(f, m) {
		return p.PersonFacts.Month(col, int(m))
	}
	return values.Month(p.History.PersonYear.intAt(col, m, p.PersonKeys[m]))
}

// PersonLatestText is a PersistLatestInYear text fact's year to date value.
func (p *Period) PersonLatestText(col string, m int32) string {
	f, _ := p.PersonFacts.Fact(col)
	if p.latestFromPeriod(f, m) {
		return p.PersonFacts.Text(col, int(m))
	}
	return p.History.PersonYear.strAt(col, m, p.PersonKeys[m])
}

// PersonEver reports whether an Ever fact was non-zero (money) or true
// (flag) in this period or any published period before it, of any year.
func (p *Period) PersonEver(col string, m int32) bool {
	f, _ := p.PersonFacts.Fact(col)
	now := false
	switch f.Kind {
	case schemas.FactMoney:
		now = p.PersonFacts.Money(col, int(m)) > 0
	case schemas.FactFlag:
		now = p.PersonFacts.Flag(col, int(m))
	}
	return now || p.History.PersonLife.intAt(col, m, p.PersonKeys[m]) != 0
}

// PersonLifeFlag is a PersistLifetime flag as of the period: true this
// period or in any published period before it, of any year.
func (p *Period) PersonLifeFlag(col string, m int32) bool {
	return p.PersonFacts.Flag(col, int(m)) || p.History.PersonLife.intAt(col, m, p.PersonKeys[m]) != 0
}

// PersonLifeDate is a PersistLifetime date as of the period: this period's,
// else the latest earlier one's (0 when none).
func (p *Period) PersonLifeDate(col string, m int32) arrow.Date32 {
	if d := p.PersonFacts.Date(col, int(m)); d != 0 {
		return d
	}
	return arrow.Date32(p.History.PersonLife.intAt(col, m, p.PersonKeys[m]))
}

// YuluEver reports whether the person received 雨露计划 aid in any period
// up to and including this one.
func (p *Period) YuluEver(m int32) bool { return p.PersonEver(schemas.YuluAid, m) }

// Deceased reports whether the person is registered dead by the end of the
// period: a civil 死亡登记 (死亡日期 ≤ the end of its period) arrived in this
// period or in any earlier published period, of any year. It is the one
// notion of "deceased" every rule, indicator and table uses; "living" is its
// negation.
func (p *Period) Deceased(m int32) bool { return p.PersonLifeFlag(schemas.Deceased, m) }

// DeathDate returns the death date of the person's latest registration up to
// the period's end: this month's, else the latest earlier one's. ok is false
// when the person is not registered dead (or the date was not recorded).
func (p *Period) DeathDate(m int32) (arrow.Date32, bool) {
	if !p.Deceased(m) {
		return 0, false
	}
	d := p.PersonLifeDate(schemas.DeathDate, m)
	return d, d != 0
}
