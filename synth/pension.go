package synth

import "math/rand/v2"

// pensionBaseFen is the monthly basic pension of urban-rural residents
// (城乡居民基础养老金) in Jiangxi in the year, raised by 20 yuan a year.
func pensionBaseFen(year int) int64 {
	if year <= 2023 {
		return 14300
	}
	return 14300 + 2000*int64(year-2023)
}

// pensionRows writes one row a month for everyone on the roster aged 60 or
// more; the pension stops after death, except for the few deliberate cases
// paid while the roster still lists them.
func (g *generator) pensionRows(fw *fileWriter, d *rand.Rand, ci int) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if !present(h, p, m) || !alive(p, m) && !p.paidAfterDeath || p.ageAt(m) < 60 {
				continue
			}
			if err := g.pensionRow(fw, d, ci, p, pi, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// pensionRow writes one pension payment.
func (g *generator) pensionRow(fw *fileWriter, d *rand.Rand, ci int, p *person, key int32, dirty bool) error {
	m := fw.period
	fw.start(d, key, dirty)
	fw.row.bytes(p.id[:])
	fw.row.month(m)
	fw.row.money(pensionBaseFen(m.year()) + int64(p.pensionExtra))
	_, unmatched, err := fw.finish(d)
	if err != nil || !unmatched {
		return err
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.pensionRow(fw, d, ci, &g.phPeople[ph.first+1], -1, false)
	}
	return nil
}
