package synth

import "math"

// planLife decides who dies during the generated months (a death is
// registered with civil affairs and the person leaves the roster a month or
// two later), who is disabled and the personal part of each pension.
// People outside the roster (phantoms) neither die nor are disabled.
func (g *countyBuilder) planLife(p *person, phantom bool) {
	r := g.r
	p.leave = g.to
	p.pensionExtra = int32(between(r, 700, 11700))
	if phantom {
		return
	}
	disabledShare := 0.015
	if p.labor == laborLost {
		disabledShare = 0.30
	}
	if r.Float64() < disabledShare {
		p.disabled = true
		p.severe = r.Float64() < 0.4
	}
	age := p.ageAt(g.from)
	q := annualMortality(age) / 12
	// Months survived, drawn from the geometric distribution in one step.
	survived := math.Log(1-r.Float64()) / math.Log(1-q)
	if survived >= float64(g.to-g.from+1) {
		return
	}
	p.death = g.from + month(survived)
	p.deathDay = uint8(1 + r.IntN(p.death.days()))
	lag := month(pick(r, []float64{0.4, 0.4, 0.2}))
	// A few pensioners keep being paid while the roster still lists them:
	// the PAID_AFTER_DEATH findings the comparison rules must catch.
	if age >= 60 && r.Float64() < 0.015 {
		p.paidAfterDeath = true
		lag = 2
	}
	p.leave = min(g.to, p.death+lag)
}
