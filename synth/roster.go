package synth

import (
	"context"
	"math/rand/v2"
)

// rosterResult is what writing the roster of one period yields.
type rosterResult struct {
	name  string
	truth FileTruth
	// persons and households accepted by the pipeline (not quarantined,
	// not a later duplicate): the roster of the period.
	persons    bitset
	households bitset
}

// writeRoster writes the roster of one period: every person on the roster
// that month, household by household and county by county, each county
// followed by the duplicate rows its dirt asked for.
func (g *generator) writeRoster(ctx context.Context, inbox string, period month) (rosterResult, error) {
	fw, err := g.newFileWriter(inbox, srcRoster, period, nil)
	if err != nil {
		return rosterResult{}, err
	}
	res := rosterResult{name: fw.csv.name, persons: newBitset(len(g.people)), households: newBitset(len(g.hh))}
	var (
		listed []int32 // households on the roster in this county
		sizes  []int   // their 家庭人口数 as written
		dups   []int32 // persons to repeat in another household
	)
	for ci := range g.counties {
		if err := ctx.Err(); err != nil {
			fw.csv.abort()
			return rosterResult{}, err
		}
		_, d := g.rands(srcRoster, period, ci)
		listed, sizes, dups = listed[:0], sizes[:0], dups[:0]
		for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
			h := &g.hh[hi]
			n := g.listedMembers(h, period)
			if n == 0 {
				continue
			}
			size := n
			if h.sizeQuirk == sizeAllFewer && n >= 2 {
				size = n - 1
			}
			listed, sizes = append(listed, hi), append(sizes, size)
			k := 0
			for pi := h.first; pi < h.first+h.n; pi++ {
				p := &g.people[pi]
				if !present(h, p, period) {
					continue
				}
				k++
				fw.start(d, pi, true)
				g.guardRosterDirt(fw, p, period)
				if fw.kind == dirtDuplicate {
					dups = append(dups, pi)
				}
				// When the head has left the roster, the first member
				// listed acts as head.
				rel := p.relation
				if k == 1 {
					rel = relHead
				}
				rowSize := size
				if h.sizeQuirk == sizeOneMore && n >= 2 && k == n {
					rowSize = n + 1
				}
				g.rosterFields(fw, p, h, rel, rowSize)
				accepted, _, err := fw.finish(d)
				if err != nil {
					fw.csv.abort()
					return rosterResult{}, err
				}
				if accepted {
					res.persons.set(pi)
					res.households.set(hi)
				}
			}
		}
		if err := g.writeDuplicates(fw, d, dups, listed, sizes); err != nil {
			fw.csv.abort()
			return rosterResult{}, err
		}
	}
	if err := fw.csv.close(); err != nil {
		return rosterResult{}, err
	}
	res.truth = fw.truth()
	return res, nil
}

// listedMembers counts the household's members on the roster in the month.
func (g *generator) listedMembers(h *household, m month) int {
	if h.join > m {
		return 0
	}
	n := 0
	for pi := h.first; pi < h.first+h.n; pi++ {
		if m <= g.people[pi].leave {
			n++
		}
	}
	return n
}

// guardRosterDirt keeps the roster rows of people with employment or
// vocational-school records out of quarantine. Their department rows would
// otherwise be unmatched in that month, and whether such rows still count
// for the year-to-date indicators of later months is a choice of the
// pipeline the truth should not depend on.
func (g *generator) guardRosterDirt(fw *fileWriter, p *person, m month) {
	if fw.kind != dirtIDInvalid && fw.kind != dirtRegion && fw.kind != dirtRagged {
		return
	}
	if p.empFrom != 0 || vocationalInYear(p, m.year()) {
		fw.kind = dirtNone
	}
}

// vocationalInYear says whether the person has a 中职/高职 enrolment that
// starts in the year (the ones VOCATIONAL_NEW_ENROLLMENT counts).
func vocationalInYear(p *person, year int) bool {
	var es [5]enrolment
	n := p.enrolments(&es)
	for _, e := range es[:n] {
		if isVocational(e.stage) && e.enrol.year() == year {
			return true
		}
	}
	return false
}

// rosterFields appends the roster columns of one person in a household.
func (g *generator) rosterFields(fw *fileWriter, p *person, h *household, rel uint8, size int) {
	r := &fw.row
	r.bytes(p.id[:])
	r.str(p.name)
	r.bytes(h.no[:])
	r.str(relationNames[rel])
	r.bytes(h.village[:])
	r.str(householdTypeNames[h.typ])
	r.str(laborNames[p.labor])
	r.str(fw.yesNo(h.relocated))
	r.integer(size)
	if h.monitored() {
		r.str(fw.yesNo(h.riskDone))
	} else {
		r.empty()
	}
}

// writeDuplicates lists each person again in another household of the
// county, later in the file; the pipeline keeps the first row.
func (g *generator) writeDuplicates(fw *fileWriter, d *rand.Rand, dups, listed []int32, sizes []int) error {
	if len(listed) < 2 {
		return nil
	}
	for _, pi := range dups {
		p := &g.people[pi]
		t := d.IntN(len(listed))
		for listed[t] == p.hh {
			t = d.IntN(len(listed))
		}
		fw.row.reset()
		g.rosterFields(fw, p, &g.hh[listed[t]], relOther, sizes[t])
		if err := fw.writeQuarantined(ReasonDuplicateID); err != nil {
			return err
		}
	}
	return nil
}
