package synth

import "math/rand/v2"

// educationRows writes the rows of every pupil and student on the roster:
// one row per aid item paid in the month, or one row with no item and 0
// when nothing is paid, and graduates' rows for the rest of their
// graduation year.
func (g *generator) educationRows(fw *fileWriter, d *rand.Rand, ci int, res *fileResult) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if !present(h, p, m) || !alive(p, m) {
				continue
			}
			if err := g.studentRows(fw, d, ci, p, pi, true, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// studentRows writes the education rows of one person in the period.
func (g *generator) studentRows(fw *fileWriter, d *rand.Rand, ci int, p *person, key int32, dirty bool, res *fileResult) error {
	m := fw.period
	var es [5]enrolment
	n := p.enrolments(&es)
	if es[0].enrol > m || es[n-1].end.year() < m.year() {
		return nil
	}
	for _, e := range es[:n] {
		if e.enrol <= m && m < e.end {
			paid := false
			for i, item := range aidByStage[e.stage] {
				if m.num() != item.months[0] && m.num() != item.months[1] {
					continue
				}
				if hashUnit(p.seed, hashAid, uint64(e.stage)*8+uint64(i)) >= item.share {
					continue
				}
				paid = true
				if err := g.educationRow(fw, d, ci, p, key, e, false, item.name, item.fen, dirty, res); err != nil {
					return err
				}
			}
			if !paid {
				if err := g.educationRow(fw, d, ci, p, key, e, false, "", 0, dirty, res); err != nil {
					return err
				}
			}
		}
		if e.reportsGrad && m >= e.end && m.year() == e.end.year() {
			if err := g.educationRow(fw, d, ci, p, key, e, true, "", 0, dirty, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// educationRow writes one education row: 在读 with an aid item (or none),
// or 毕业 with the graduation month and the latest destination.
func (g *generator) educationRow(fw *fileWriter, d *rand.Rand, ci int, p *person, key int32, e enrolment, graduate bool, item string, fen int64, dirty bool, res *fileResult) error {
	m := fw.period
	fw.start(d, key, dirty)
	r := &fw.row
	r.bytes(p.id[:])
	r.str2(p.schoolName(e.stage, g.counties[ci].name))
	r.str(stageNames[e.stage])
	r.month(e.enrol)
	if graduate {
		r.str("毕业")
		r.month(e.end)
		r.str(destinationNames[p.destination(e, m)])
	} else {
		r.str("在读")
		r.empty()
		r.empty()
	}
	r.str(item)
	r.money(fen)
	accepted, unmatched, err := fw.finish(d)
	if err != nil {
		return err
	}
	if accepted && key >= 0 && isVocational(e.stage) && e.enrol.year() == m.year() {
		res.persons.set(key)
	}
	if !unmatched {
		return nil
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.studentRows(fw, d, ci, &g.phPeople[ph.first+2], -1, false, res)
	}
	return nil
}
