package synth

import "math/rand/v2"

// Hash tags for per-household yearly decisions.
const (
	hashIncomeYear uint64 = iota + 200
	hashIncomeShock
	hashTempAid
)

// businessCum is the cumulative share (in %) of a year's business income
// earned by the end of each month: little in spring, most at harvest.
var businessCum = [12]int64{3, 6, 10, 16, 24, 34, 44, 56, 68, 82, 92, 100}

// planIncome sets the household's survey amounts for a full year: farming
// or small business, property income (dividends, land rent), transfers not
// reported by a department, and the wage income the household reports,
// which is near its members' recorded wages, except for a few households
// that report much more (the WAGE_UNVERIFIED risk).
func planIncome(r *rand.Rand, h *household, members []person) {
	hasLab, elderly := false, false
	var wages int64
	for i := range members {
		m := &members[i]
		hasLab = hasLab || hasLabor(m.labor)
		elderly = elderly || m.relation == relParent || m.labor == laborNone && m.by < 1965
		if m.empFrom != 0 {
			wages += int64(m.wage) * 12
		}
	}
	bizDraw, propDraw, transDraw, wageDraw, inflateDraw := r.Float64(), r.Float64(), r.Float64(), r.Float64(), r.Float64()
	switch {
	case hasLab && bizDraw < 0.7:
		h.bizIncome = int64(between(r, 2000, 30000)) * 100
		h.bizCost = h.bizIncome * int64(between(r, 30, 60)) / 100
	case bizDraw < 0.3:
		h.bizIncome = int64(between(r, 500, 5000)) * 100
		h.bizCost = h.bizIncome * int64(between(r, 20, 50)) / 100
	}
	if propDraw < 0.4 {
		h.property = int64(between(r, 100, 3000)) * 100
	}
	transShare := 0.4
	if elderly {
		transShare = 0.7
	}
	if transDraw < transShare {
		h.transferOther = int64(between(r, 500, 8000)) * 100
	}
	h.wageSelf = wages * int64(between(r, 85, 115)) / 100
	if wages == 0 && hasLab && wageDraw < 0.2 {
		h.wageSelf = int64(between(r, 3000, 15000)) * 100
	}
	if inflateDraw < 0.03 {
		h.wageSelf += int64(between(r, 12000, 30000)) * 100
	}
}

// yearPermille scales a household's amounts in a year: about 6 % growth a
// year with noise, and now and then a bad or an unusually good year.
func (h *household) yearPermille(year, firstYear int) int64 {
	f := 1000 + 60*int64(year-firstYear) + int64(hashUnit(h.seed, hashIncomeYear, uint64(year))*100) - 50
	switch u := hashUnit(h.seed, hashIncomeShock, uint64(year)); {
	case u < 0.03:
		f = f * 6 / 10
	case u < 0.05:
		f = f * 16 / 10
	}
	return f
}

// incomeRows writes one row per household on the roster of the period.
func (g *generator) incomeRows(fw *fileWriter, d *rand.Rand, ci int) error {
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		if g.listedMembers(h, fw.period) == 0 {
			continue
		}
		if err := g.incomeRow(fw, d, ci, h, hi, true); err != nil {
			return err
		}
	}
	return nil
}

// incomeRow writes the year-to-date survey amounts of one household.
func (g *generator) incomeRow(fw *fileWriter, d *rand.Rand, ci int, h *household, key int32, dirty bool) error {
	p := fw.period
	f := h.yearPermille(p.year(), g.from.year())
	mon := int64(p.num())
	linear := func(annual int64) int64 { return annual * f / 1000 * mon / 12 }
	fw.start(d, key, dirty)
	r := &fw.row
	r.bytes(h.no[:])
	r.integer(p.year())
	r.money(h.bizIncome * f / 1000 * businessCum[mon-1] / 100)
	r.money(h.bizCost * f / 1000 * businessCum[mon-1] / 100)
	r.money(linear(h.property))
	r.money(linear(h.transferOther))
	r.money(linear(h.wageSelf))
	_, unmatched, err := fw.finish(d)
	if err != nil || !unmatched {
		return err
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.incomeRow(fw, d, ci, ph, -1, false)
	}
	return nil
}
