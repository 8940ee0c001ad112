package model

import (
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// The declared department facts (schemas.Department.Facts) of a household as
// of the period: this period's value from HouseholdFacts, carried over the
// year as the fact declares (PersistYearSum adds the latest earlier
// published value of the year, PersistEverInYear ors it); a village fact is
// the household's village's value.

// HouseholdMoney is a money fact of household h as of the period, in fen.
func (p *Period) HouseholdMoney(col string, h int) int64 {
	v := p.HouseholdFacts.Money(col, h)
	if f, _ := p.HouseholdFacts.Fact(col); f.Persist == schemas.PersistYearSum {
		v += p.History.HouseholdFacts.Int(col, p.HouseholdKeys[h])
	}
	return v
}

// HouseholdFlag is a flag fact of household h as of the period.
func (p *Period) HouseholdFlag(col string, h int) bool {
	f, _ := p.HouseholdFacts.Fact(col)
	if f.Village {
		v := p.RosterString("village_code", p.Households[h].Head)
		return p.HouseholdFacts.VillageFlag(col, v) || p.History.Villages[col][v]
	}
	v := p.HouseholdFacts.Flag(col, h)
	if f.Persist == schemas.PersistEverInYear && !v {
		v = p.History.HouseholdFacts.Int(col, p.HouseholdKeys[h]) != 0
	}
	return v
}

// HouseholdText is a text fact of household h (the period's own value).
func (p *Period) HouseholdText(col string, h int) string { return p.HouseholdFacts.Text(col, h) }

// HouseholdMonth is a month fact of household h (the period's own value; 0
// when none).
func (p *Period) HouseholdMonth(col string, h int) values.Month {
	return p.HouseholdFacts.Month(col, h)
}
