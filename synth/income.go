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

// planIncome sets the household's survey amounts for a full year and
// returns the household's expected yearly income per member (fen), before
// any 低保 or 特困 payment. Most households farm or run a small business;
// those with labour but nobody employed live on it (and some on casual
// work nobody records, which they report as wages: WAGE_UNVERIFIED cases).
// Property income is dividends and land rent; other transfers are mostly
// the support of grown children for the elderly. The wage income reported
// is near the members' recorded wages, except for a few households that
// report far more than recorded (the 数字增收 risk).
func planIncome(r *rand.Rand, h *household, members []person, from, to month) int64 {
	hasLab, employed := false, false
	var wages, pensions int64
	elders := int64(0)
	// idle holds, per working-age member with labour, the months of the
	// first year (span months) spent without a job: they farm.
	last := min(from+11, to)
	span := int64(last - from + 1)
	var idleBuf [8]int64
	idle := idleBuf[:0]
	for i := range members {
		m := &members[i]
		hasLab = hasLab || hasLabor(m.labor)
		age := m.ageAt(from)
		switch {
		case m.empFrom != 0:
			employed = true
			wages += int64(m.wage) * 12
			worked := max(0, int64(min(m.empTo, last)-max(m.empFrom, from)+1))
			if worked < span && hasLabor(m.labor) && age < 65 {
				idle = append(idle, span-worked)
			}
		case age >= 60:
			elders++
		case hasLabor(m.labor) && age >= 16:
			idle = append(idle, span)
		}
		if age >= 60 {
			pensions += 12 * (pensionBaseFen(from.year()) + int64(m.pensionExtra))
		}
	}
	bizDraw, propDraw, transDraw, casualDraw, inflateDraw := r.Float64(), r.Float64(), r.Float64(), r.Float64(), r.Float64()
	// Farming and small business: some for most households, and more for
	// each working-age member with labour who has no job (they farm).
	switch {
	case hasLab && !employed && bizDraw < 0.92:
		h.bizIncome = int64(between(r, 10000, 30000)) * 100
	case hasLab && bizDraw < 0.75:
		h.bizIncome = int64(between(r, 2000, 16000)) * 100
	case bizDraw < 0.45:
		h.bizIncome = int64(between(r, 1000, 6000)) * 100
	}
	for _, months := range idle {
		if r.Float64() < 0.85 {
			h.bizIncome += int64(between(r, 5000, 16000)) * 100 * months / span
		}
	}
	h.bizCost = h.bizIncome * int64(between(r, 25, 50)) / 100
	if propDraw < 0.45 {
		h.property = int64(between(r, 200, 2500)) * 100
	}
	switch {
	case elders > 0 && transDraw < 0.92:
		h.transferOther = elders * int64(between(r, 3000, 9000)) * 100
	case transDraw < 0.35:
		h.transferOther = int64(between(r, 500, 5000)) * 100
	}
	h.wagePermille = int64(between(r, 850, 1020))
	switch {
	case hasLab && !employed && casualDraw < 0.4:
		h.wageCasual = int64(between(r, 4000, 15000)) * 100
	case employed && inflateDraw < 0.015:
		h.wagePermille = int64(between(r, 2000, 2500))
		h.wageInflate = int64(between(r, 8000, 20000)) * 100
	}
	total := wages*h.wagePermille/1000 + h.wageCasual + h.wageInflate + h.bizIncome - h.bizCost + h.property + h.transferOther + pensions
	return total / int64(len(members))
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
	r.money(g.recordedWages(h, key < 0, p)*h.wagePermille/1000 + linear(h.wageCasual) + h.wageInflate*mon/12)
	_, unmatched, err := fw.finish(d)
	if err != nil || !unmatched {
		return err
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.incomeRow(fw, d, ci, ph, -1, false)
	}
	return nil
}

// recordedWages is the base wage of the household's members over the
// months of P's year up to P in which they have an employment record (on
// the roster and alive), the wage the household knows it earned.
func (g *generator) recordedWages(h *household, phantom bool, p month) int64 {
	people := g.people
	if phantom {
		people = g.phPeople
	}
	var sum int64
	for i := h.first; i < h.first+h.n; i++ {
		m := &people[i]
		if m.empFrom == 0 {
			continue
		}
		lo, hi := max(m.empFrom, h.join, p.yearStart()), min(m.empTo, m.leave, p)
		if m.death != 0 {
			hi = min(hi, m.death)
		}
		if hi >= lo {
			sum += g.baseWage(m, p.year()) * int64(hi-lo+1)
		}
	}
	return sum
}
