package tables

import (
	"zengshou/schemas"
	"zengshou/transforms/model"
)

// householdFacts sets household h's declared department fact columns of
// household_year, as of the period (model.Period.HouseholdMoney and friends:
// carried over the year as each fact declares).
func householdFacts(b *schemas.RowBuilder, p *model.Period, h int) {
	for _, d := range schemas.Departments {
		if d.Table != schemas.HouseholdYearTable.Name {
			continue
		}
		for _, f := range d.Facts {
			switch f.Kind {
			case schemas.FactMoney:
				b.Money(f.Column, p.HouseholdMoney(f.Column, h))
			case schemas.FactFlag:
				b.Flag(f.Column, p.HouseholdFlag(f.Column, h))
			case schemas.FactText:
				b.Str(f.Column, p.HouseholdText(f.Column, h))
			case schemas.FactMonth:
				if m := p.HouseholdMonth(f.Column, h); m != 0 {
					b.Date(f.Column, m.FirstDay())
				} else {
					b.Null(f.Column)
				}
			}
		}
	}
}

// personFacts sets roster row m's declared department fact columns of
// person_month: the period's own values.
func personFacts(b *schemas.RowBuilder, p *model.Period, m int) {
	for _, d := range schemas.Departments {
		if d.Table != schemas.PersonMonthTable.Name {
			continue
		}
		for _, f := range d.Facts {
			switch f.Kind {
			case schemas.FactMoney:
				b.Money(f.Column, p.PersonFacts.Money(f.Column, m))
			case schemas.FactFlag:
				b.Flag(f.Column, p.PersonFacts.Flag(f.Column, m))
			case schemas.FactText:
				b.Str(f.Column, p.PersonFacts.Text(f.Column, m))
			case schemas.FactMonth:
				if v := p.PersonFacts.Month(f.Column, m); v != 0 {
					b.Date(f.Column, v.FirstDay())
				} else {
					b.Null(f.Column)
				}
			}
		}
	}
}
