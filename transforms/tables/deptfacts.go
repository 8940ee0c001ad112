package tables

import (
	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
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
			case schemas.FactDate:
				if d := p.HouseholdFacts.Date(f.Column, h); d != 0 {
					b.Date(f.Column, d.ToTime())
				} else {
					b.Null(f.Column)
				}
			}
		}
	}
}

// personColumns are person_month's declared facts with their values'
// handles, resolved once per batch.
type personColumns []struct {
	fact schemas.Fact
	v    deptfacts.Values
}

func personColumnsOf(p *model.Period) personColumns {
	out := make(personColumns, len(personMonthFacts))
	for i, f := range personMonthFacts {
		out[i].fact, out[i].v = f, p.PersonFacts.Values(f.Column)
	}
	return out
}

// personFacts sets roster row m's declared department fact columns of
// person_month, in the table's column order: the period's own values, but
// PersistLifetime facts as of the period (Period.PersonLifeFlag,
// PersonLifeDate).
func personFacts(b *schemas.RowBuilder, p *model.Period, cols personColumns, m int32) {
	t := int(m)
	for _, c := range cols {
		f := c.fact
		switch f.Kind {
		case schemas.FactMoney:
			b.Money(f.Column, c.v.Money(t))
		case schemas.FactFlag:
			v := c.v.Flag(t)
			if f.Persist == schemas.PersistLifetime {
				v = p.PersonLifeFlag(f.Column, m)
			}
			b.Flag(f.Column, v)
		case schemas.FactText:
			b.Str(f.Column, c.v.Text(t))
		case schemas.FactMonth:
			if v := c.v.Month(t); v != 0 {
				b.Date(f.Column, v.FirstDay())
			} else {
				b.Null(f.Column)
			}
		case schemas.FactDate:
			v := c.v.Date(t)
			if f.Persist == schemas.PersistLifetime {
				v = p.PersonLifeDate(f.Column, m)
			}
			if v != 0 {
				b.Date(f.Column, v.ToTime())
			} else {
				b.Null(f.Column)
			}
		}
	}
}

// personMonthFacts are person_month's declared facts in its column order
// (RowBuilder is fastest set in order).
var personMonthFacts = factsInTableOrder(schemas.PersonMonthTable)

// factsInTableOrder lists the departments' declared facts of a table in
// the order of its columns.
func factsInTableOrder(t schemas.Table) []schemas.Fact {
	byColumn := map[string]schemas.Fact{}
	for _, d := range schemas.Departments {
		if d.Table == t.Name {
			for _, f := range d.Facts {
				byColumn[f.Column] = f
			}
		}
	}
	var out []schemas.Fact
	for _, c := range t.Columns {
		if f, ok := byColumn[c.Name]; ok {
			out = append(out, f)
		}
	}
	return out
}
