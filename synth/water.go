package synth

import "math/rand/v2"

// Water supply modes (供水方式) and the four criteria of 农村饮水安全.
var (
	supplyNames      = []string{"集中供水", "分散供水"}
	criterionWeights = []float64{0.25, 0.35, 0.15, 0.25} // 水量, 水质, 用水方便, 供水保证率
)

// waterPlan is a household's drinking water over the generated months.
type waterPlan struct {
	assessed, central, prone bool
	// fail is the criterion not met (index into the four), -1 when all are.
	fail       int8
	assessment month
	// fixM is the month a failing supply is fixed (connected to a central
	// one and assessed again), 0 when it is not.
	fixM month
}

// waterPlanOf decides the household's water: 95 % assessed (the others
// have no row), 85 % (and every relocated household) on a central supply;
// the assessment in force one to 24 months before the first month; one
// criterion not met for 1.5 % of central and 15 % of dispersed supplies
// (≈ 3.5 %), a third of them fixed during the months; seasonal shortage
// possible for 3 % of central and 30 % of dispersed supplies.
func (g *generator) waterPlanOf(h *household) waterPlan {
	u := func(i uint64) float64 { return hashUnit(h.seed, hashWater, i) }
	wp := waterPlan{assessed: h.phantom || u(0) < 0.95, fail: -1}
	wp.central = h.relocated || u(1) < 0.85
	wp.assessment = g.from - 1 - month(u(2)*24)
	failShare, proneShare := 0.015, 0.03
	if !wp.central {
		failShare, proneShare = 0.15, 0.30
	}
	if u(3) < failShare {
		wp.fail = int8(pickUnit(u(4), criterionWeights))
		if g.to > g.from && u(5) < 0.35 {
			wp.fixM = g.from + 1 + month(u(6)*float64(g.to-g.from))
		}
	}
	wp.prone = u(7) < proneShare
	return wp
}

// pickUnit returns the index the uniform u selects with the given weights
// (which sum to 1).
func pickUnit(u float64, weights []float64) int {
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// waterState is the assessment in force in one period, as the row says.
type waterState struct {
	central    bool
	ok         [4]bool
	assessment month
	shortage   bool
}

// safe says whether all four criteria are met (WATER_SAFE_RATE).
func (st waterState) safe() bool { return st.ok[0] && st.ok[1] && st.ok[2] && st.ok[3] }

// at returns the assessment in force in period p and whether the supply
// runs short that month: prone households in some summer months (July to
// September, 伏秋干旱), each month with a chance of 60 %.
func (wp *waterPlan) at(h *household, p month) waterState {
	st := waterState{central: wp.central, ok: [4]bool{true, true, true, true}, assessment: wp.assessment}
	switch {
	case wp.fixM != 0 && p >= wp.fixM:
		st.central, st.assessment = true, wp.fixM
	case wp.fail >= 0:
		st.ok[wp.fail] = false
	}
	if n := p.num(); wp.prone && n >= 7 && n <= 9 {
		st.shortage = hashUnit(h.seed, hashWaterShortage, uint64(p)) < 0.6
	}
	return st
}

// waterRows writes the period's snapshot: one row per assessed household
// on the roster, under its acting head's ID.
func (g *generator) waterRows(fw *fileWriter, d *rand.Rand, ci int, res *fileResult) error {
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		head := g.actingHead(h, fw.period)
		if head < 0 {
			continue
		}
		if err := g.waterRow(fw, d, ci, h, &g.people[head], head, hi, res); err != nil {
			return err
		}
	}
	return nil
}

// waterRow writes the household's assessment in force, if any, and records
// it for the truth when the pipeline matches it.
func (g *generator) waterRow(fw *fileWriter, d *rand.Rand, ci int, h *household, head *person, key, hi int32, res *fileResult) error {
	plan := g.waterPlanOf(h)
	if !plan.assessed {
		return nil
	}
	st := plan.at(h, fw.period)
	fw.start(d, key, key >= 0)
	r := &fw.row
	r.bytes(head.id[:])
	r.month(st.assessment)
	if st.central {
		r.str(supplyNames[0])
	} else {
		r.str(supplyNames[1])
	}
	for _, ok := range st.ok {
		r.str(fw.yesNo(ok))
	}
	r.str(fw.yesNo(st.shortage))
	accepted, unmatched, err := fw.finish(d)
	if err != nil {
		return err
	}
	if accepted && key >= 0 && fw.match.has(key) {
		res.dept.record(hi, st.safe(), !st.safe(), st.shortage)
	}
	if !unmatched {
		return nil
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.waterRow(fw, d, ci, ph, &g.phPeople[ph.first], -1, -1, res)
	}
	return nil
}
