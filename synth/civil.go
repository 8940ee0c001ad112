package synth

import "math/rand/v2"

// Civil-affairs payment types (救助类型) and coverage statuses (保障状态).
const (
	aidDibao       = "城乡低保"
	aidTekun       = "特困供养"
	aidTemporary   = "临时救助"
	aidDisability  = "残疾人生活补贴"
	aidSevereCare  = "重度残疾人护理补贴"
	aidDeath       = "死亡登记"
	statusCovered  = "在保"
	statusStopped  = "停保"
	statusNew      = "新增"
	disabilityFen  = 9000
	severeCareFen  = 10000
	dibaoGrowthPct = 5
)

// hashDisabilityAid decides which disabled people outside 低保 households
// also receive the living subsidy.
const hashDisabilityAid uint64 = 400

// planSafetyNet decides the household's 城乡低保 (about 7 % of households,
// mostly those whose expected income per member, perCapita in fen a year,
// is low, and monitored ones), its start and stop, and 特困供养 for some
// old people living alone. Households outside the roster all receive 低保,
// so unmatched civil rows are plentiful.
func planSafetyNet(r *rand.Rand, h *household, members []person, perCapita int64, from, to month, phantom bool) {
	hasLab := false
	for i := range members {
		hasLab = hasLab || hasLabor(members[i].labor)
	}
	var share float64
	switch yuan := perCapita / 100; {
	case phantom:
		share = 1
	case yuan < 6000:
		share = 0.75
	case yuan < 8000:
		share = 0.45
	case yuan < 10000:
		share = 0.2
	case yuan < 15000:
		share = 0.03
	default:
		share = 0.005
	}
	if h.monitored() && !phantom {
		share = min(1, share*1.5+0.02)
	}
	dibaoDraw, startDraw, stopDraw, tekunDraw := r.Float64(), r.Float64(), r.Float64(), r.Float64()
	if dibaoDraw < share {
		h.dibaoFrom, h.dibaoTo = from, to
		if !phantom && to > from && startDraw < 0.05 {
			h.dibaoFrom = from + 1 + month(r.IntN(int(to-from)))
		}
		if !phantom && h.dibaoFrom < to && stopDraw < 0.03 {
			h.dibaoTo = h.dibaoFrom + month(r.IntN(int(to-h.dibaoFrom)))
		}
		h.dibaoFen = int32(between(r, 30, 64)) * 1000
		return
	}
	if len(members) == 1 && members[0].ageAt(from) >= 60 && !hasLabor(members[0].labor) || len(members) == 1 && members[0].labor == laborWeak && members[0].ageAt(from) >= 70 {
		if tekunDraw < 0.45 {
			h.tekun = true
			h.tekunFen = int32(between(r, 90, 110)) * 1000
		}
	}
}

// civilRows writes the payments and death registrations of the period for
// everyone on the roster.
func (g *generator) civilRows(fw *fileWriter, d *rand.Rand, ci int) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		first := true
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if !present(h, p, m) {
				continue
			}
			if err := g.personCivil(fw, d, ci, h, p, pi, first, true); err != nil {
				return err
			}
			first = false
		}
	}
	return nil
}

// personCivil writes one person's civil rows; the first member listed
// receives the household's occasional 临时救助.
func (g *generator) personCivil(fw *fileWriter, d *rand.Rand, ci int, h *household, p *person, key int32, first, dirty bool) error {
	m := fw.period
	if !alive(p, m) {
		return nil
	}
	growth := int64(100 + dibaoGrowthPct*(m.year()-g.from.year()))
	emit := func(aid string, fen int64, status string, deathDay int) error {
		return g.civilRow(fw, d, ci, p, key, aid, fen, status, deathDay, dirty)
	}
	inDibao := h.dibaoFrom != 0 && h.dibaoFrom <= m && m <= h.dibaoTo
	if inDibao {
		status := statusCovered
		if m == h.dibaoFrom && h.dibaoFrom > g.from {
			status = statusNew
		}
		if err := emit(aidDibao, int64(h.dibaoFen)*growth/100, status, 0); err != nil {
			return err
		}
	}
	if h.dibaoFrom != 0 && h.dibaoTo < g.to && m == h.dibaoTo+1 {
		if err := emit(aidDibao, 0, statusStopped, 0); err != nil {
			return err
		}
	}
	if h.tekun {
		if err := emit(aidTekun, int64(h.tekunFen)*growth/100, statusCovered, 0); err != nil {
			return err
		}
	}
	if p.disabled && (inDibao || hashUnit(p.seed, hashDisabilityAid, 0) < 0.5) {
		if err := emit(aidDisability, disabilityFen, statusCovered, 0); err != nil {
			return err
		}
	}
	if p.severe {
		if err := emit(aidSevereCare, severeCareFen, statusCovered, 0); err != nil {
			return err
		}
	}
	if first && key >= 0 {
		chance := 0.003
		if h.monitored() {
			chance = 0.02
		}
		if hashUnit(h.seed, hashTempAid, uint64(m)) < chance {
			fen := int64(5+int(hashUnit(h.seed, hashTempAid+1, uint64(m))*46)) * 10000
			if err := emit(aidTemporary, fen, "", 0); err != nil {
				return err
			}
		}
	}
	if p.death == m {
		if err := emit(aidDeath, 0, "", int(p.deathDay)); err != nil {
			return err
		}
	}
	return nil
}

// civilRow writes one civil-affairs row.
func (g *generator) civilRow(fw *fileWriter, d *rand.Rand, ci int, p *person, key int32, aid string, fen int64, status string, deathDay int, dirty bool) error {
	m := fw.period
	fw.start(d, key, dirty)
	r := &fw.row
	r.bytes(p.id[:])
	r.str(aid)
	r.month(m)
	r.money(fen)
	r.str(status)
	if deathDay > 0 {
		r.date(m, deathDay)
	} else {
		r.empty()
	}
	_, unmatched, err := fw.finish(d)
	if err != nil || !unmatched {
		return err
	}
	if ph := g.phantom(ci, d); ph != nil {
		k := ph.first + d.Int32N(ph.n)
		return g.personCivil(fw, d, ci, ph, &g.phPeople[k], -1, false, false)
	}
	return nil
}
