package synth

import "math/rand/v2"

// Hash tags for the Spring Festival travel subsidy.
const (
	hashTravel uint64 = iota + 500
	hashTravelMonth
	hashTravelAmount
)

// employmentRows writes one row a month for everyone on the roster with an
// employment record that month.
func (g *generator) employmentRows(fw *fileWriter, r, d *rand.Rand, ci int, res *fileResult) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if !present(h, p, m) || !alive(p, m) || !p.employedIn(m) {
				continue
			}
			if err := g.employmentRow(fw, r, d, ci, p, pi, true, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// employedIn says whether the person has an employment record in month m.
func (p *person) employedIn(m month) bool {
	return p.empFrom != 0 && p.empFrom <= m && m <= p.empTo
}

// travelSubsidy is the one-off travel subsidy (一次性交通补助) paid around the
// Spring Festival, in February or March, to some of those working outside
// their county; 0 in other months.
func (p *person) travelSubsidy(m month) int64 {
	if p.empArea == areaCounty || hashUnit(p.seed, hashTravel, uint64(m.year())) >= 0.65 {
		return 0
	}
	pay := 2
	if hashUnit(p.seed, hashTravelMonth, uint64(m.year())) >= 0.6 {
		pay = 3
	}
	if m.num() != pay {
		return 0
	}
	amounts := [2][3]int64{{20000, 30000, 50000}, {50000, 80000, 100000}}
	i := int(hashUnit(p.seed, hashTravelAmount, uint64(m.year())) * 3)
	if p.empArea == areaOutside {
		return amounts[1][i]
	}
	return amounts[0][i]
}

// employmentRow writes one month of one person's employment: their job with
// a wage near their usual one, or, in about one month in twenty, 未就业
// with no wage.
func (g *generator) employmentRow(fw *fileWriter, r, d *rand.Rand, ci int, p *person, key int32, dirty bool, res *fileResult) error {
	m := fw.period
	status, form := p.empStatus, p.empForm
	// Monthly wages vary by ±10 % around the usual one, within 1500-8000.
	wage := min(max(g.baseWage(p, m.year())*int64(90+r.IntN(21))/100, 150000), 800000)
	if r.Float64() < 0.05 {
		status, form, wage = empNone, formOther, 0
	}
	fw.start(d, key, dirty)
	row := &fw.row
	row.bytes(p.id[:])
	row.month(m)
	row.str(empStatusNames[status])
	row.str(empFormNames[form])
	row.str(empAreaNames[p.empArea])
	row.money(wage)
	if s := p.travelSubsidy(m); s > 0 {
		row.money(s)
	} else {
		row.empty()
	}
	if status == empNone {
		row.empty()
	} else {
		row.str2(p.employerName(g.counties[ci].name))
	}
	accepted, unmatched, err := fw.finish(d)
	if err != nil {
		return err
	}
	if accepted && key >= 0 && status != empNone {
		res.persons.set(key)
	}
	if !unmatched {
		return nil
	}
	if ph := g.phantom(ci, d); ph != nil {
		worker := &g.phPeople[ph.first]
		if worker.employedIn(m) {
			// Values of rows outside the roster come from the dirt stream.
			return g.employmentRow(fw, d, d, ci, worker, -1, false, res)
		}
	}
	return nil
}
