package synth

import "math/rand/v2"

// Kinds of distribution of a village collective (分配方式), as indices into
// distributionNames and into CollectiveFen's amounts.
const (
	distLabor    uint8 = iota // 按劳分配: wages for work for the collective
	distRelief                // 兜底救助: support of households in difficulty
	distDividend              // 按股分红: dividends on the members' shares
)

var distributionNames = []string{"按劳分配", "兜底救助", "按股分红"}

// Village collective economies: no distributable income, enough to pay for
// work and support (按劳分配, 兜底救助), or also dividends (按股分红).
const (
	economyNone uint8 = iota
	economySome
	economyDividend
)

// villageKey is the key of a village's hash decisions.
func (g *generator) villageKey(village *[12]byte) uint64 {
	var n uint64
	for _, c := range village {
		n = n*10 + uint64(c-'0')
	}
	return mix64(uint64(g.cfg.Seed) ^ n)
}

// villageEconomy decides a village's collective economy: 40 % of villages
// distribute nothing, 30 % pay for work and support, 30 % also dividends,
// at the year end and, in a fifth of them, half a share in June as well.
func villageEconomy(vk uint64) (economy uint8, interim bool) {
	switch u := hashUnit(vk, hashCollectiveVillage, 0); {
	case u < 0.40:
		return economyNone, false
	case u < 0.70:
		return economySome, false
	}
	return economyDividend, hashUnit(vk, hashCollectiveVillage, 1) < 0.2
}

// collectivePaid is one distribution the pipeline accepts and matches.
type collectivePaid struct {
	hh   int32
	kind uint8
	fen  int64
}

// collectiveRows writes the distributions of the period, household by
// household: in villages with a collective economy, 按劳分配 to 12 % of the
// households with labour (each month of April to November with a chance
// of 35 %, 500–2 500 元), 兜底救助 in January and December to 70 % of the
// households in 低保/特困 or without labour (300–1 000 元), and in dividend
// villages 按股分红 to the 90 % of households that hold shares (30–200 元
// a member a year, in December; half of it in June where an interim is
// paid). Households whose roster rows are all quarantined in the period
// receive nothing in it: their rows would be unmatched, and whether a
// distribution unmatched in its month counts in later months is the
// pipeline's choice the truth should not depend on.
func (g *generator) collectiveRows(fw *fileWriter, d *rand.Rand, ci int, res *fileResult) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		if !fw.match.has(hi) {
			continue
		}
		economy, interim := villageEconomy(g.villageKey(&h.village))
		if economy == economyNone {
			continue
		}
		n, hasLab := 0, false
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if present(h, p, m) {
				n++
				hasLab = hasLab || hasLabor(p.labor)
			}
		}
		if n == 0 {
			continue
		}
		hu := func(i uint64) float64 { return hashUnit(h.seed, hashCollectiveHousehold, i) }
		mon := m.num()
		if hasLab && hu(0) < 0.12 && mon >= 4 && mon <= 11 && hashUnit(h.seed, hashCollectiveMonth, uint64(m)) < 0.35 {
			fen := int64(500+int(hashUnit(h.seed, hashCollectiveAmount, uint64(m))*2001)) * 100
			if err := g.collectiveRow(fw, d, ci, h, hi, distLabor, fen, res); err != nil {
				return err
			}
		}
		inDibao := h.dibaoFrom != 0 && h.dibaoFrom <= m && m <= h.dibaoTo
		if (inDibao || h.tekun || !hasLab) && (mon == 1 || mon == 12) && hu(1+uint64(m.year())) < 0.7 {
			fen := int64(300+int(hashUnit(h.seed, hashCollectiveAmount+1, uint64(m))*701)) * 100
			if err := g.collectiveRow(fw, d, ci, h, hi, distRelief, fen, res); err != nil {
				return err
			}
		}
		if economy == economyDividend && hu(0x10000) < 0.9 && (mon == 12 || interim && mon == 6) {
			perMember := int64(30+int(hashUnit(g.villageKey(&h.village), hashCollectiveShare, uint64(m.year()))*171)) * 100
			fen := perMember * int64(n)
			if mon == 6 {
				fen /= 2
			}
			if err := g.collectiveRow(fw, d, ci, h, hi, distDividend, fen, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// collectiveRow writes one distribution; a negative hi is a household
// outside the roster (always paid for work, so that an unmatched row never
// decides whether its village paid dividends), written without dirt.
func (g *generator) collectiveRow(fw *fileWriter, d *rand.Rand, ci int, h *household, hi int32, kind uint8, fen int64, res *fileResult) error {
	fw.start(d, hi, hi >= 0)
	r := &fw.row
	r.bytes(h.village[:])
	r.bytes(h.no[:])
	r.month(fw.period)
	r.str(distributionNames[kind])
	r.money(fen)
	accepted, unmatched, err := fw.finish(d)
	if err != nil {
		return err
	}
	if accepted && hi >= 0 {
		res.paid = append(res.paid, collectivePaid{hh: hi, kind: kind, fen: fen})
	}
	if !unmatched {
		return nil
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.collectiveRow(fw, d, ci, ph, -1, distLabor, int64(between(d, 500, 2500))*100, res)
	}
	return nil
}
