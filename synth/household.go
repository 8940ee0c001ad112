package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Household types (户类型), as indices into householdTypeNames; all but the
// first are monitoring categories (监测对象).
const (
	typeAlleviated uint8 = iota
	typeUnstable
	typeMarginal
	typeSudden
)

var householdTypeNames = []string{"脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"}

// Roster quirks of 家庭人口数 that the HOUSEHOLD_SIZE_MISMATCH rule finds.
const (
	sizeExact    uint8 = iota
	sizeOneMore        // one member's row reports one person more
	sizeAllFewer       // every row reports one person fewer than listed
)

// household is one roster household and its plans.
type household struct {
	no        [16]byte // 户编号: county code + 10 digits
	village   [12]byte // 区划代码 of the village
	county    int16    // index into the counties
	typ       uint8
	riskDone  bool // 风险是否消除, monitoring households only
	relocated bool
	sizeQuirk uint8
	phantom   bool  // not on the roster: used for unmatched rows
	first     int32 // index of the first member
	n         int32 // number of members
	join      month // first month on the roster
	seed      uint64

	// Safety net: 城乡低保 paid dibaoFrom..dibaoTo (0 when never), 特困供养.
	dibaoFrom, dibaoTo month
	dibaoFen           int32 // per member per month
	tekun              bool
	tekunFen           int32

	// Survey amounts (fen) for a full year, before the yearly variation.
	bizIncome, bizCost, property, transferOther int64
	// The reported wage income: the members' recorded wages times
	// wagePermille/1000, plus unrecorded casual work (wageCasual a year,
	// before the yearly variation) and, for the few households that
	// report far more than recorded, wageInflate a year.
	wagePermille            int64
	wageCasual, wageInflate int64
}

// monitored is domain.md's is_monitored.
func (h *household) monitored() bool { return h.typ != typeAlleviated }

// sizeWeights are the shares of household sizes 1..7.
var sizeWeights = []float64{0.13, 0.22, 0.20, 0.19, 0.14, 0.08, 0.04}

// countyModel is everything generated for one county.
type countyModel struct {
	hh       []household
	people   []person
	phHH     []household // households outside the roster
	phPeople []person
}

// buildCounty generates the households of one county from its own random
// stream, so counties can be built in parallel with identical results.
func buildCounty(seed int64, ci int, c county, nHH int, from, to month) countyModel {
	if nHH == 0 {
		return countyModel{}
	}
	r := newRand(seed, tagModel, uint64(ci), 0, 0)
	alloc := newIDAllocator(c.code)
	ref := time.Date(from.year(), time.Month(from.num()), 1, 0, 0, 0, 0, time.UTC)
	g := &countyBuilder{r: r, alloc: alloc, ci: ci, c: c, from: from, to: to, ref: ref}

	// Villages: 5-20 townships, villages numbered so each holds ~30 households.
	towns := between(r, 5, 20)
	perTown := min(799, max(1, (nHH+towns*30-1)/(towns*30)))
	villages := make([]int, nHH)
	for i := range villages {
		villages[i] = r.IntN(towns)*1000 + r.IntN(perTown)
	}
	slices.Sort(villages)

	m := countyModel{hh: make([]household, 0, nHH), people: make([]person, 0, nHH*7/2)}
	for i, v := range villages {
		m.hh, m.people = g.household(m.hh, m.people, i, v, false)
	}
	nPh := max(4, nHH/100)
	for i := 0; i < nPh; i++ {
		m.phHH, m.phPeople = g.household(m.phHH, m.phPeople, i, villages[r.IntN(len(villages))], true)
	}
	return m
}

// countyBuilder carries what building households of one county needs.
type countyBuilder struct {
	r     *rand.Rand
	alloc *idAllocator
	ci    int
	c     county
	from  month
	to    month
	ref   time.Time
}

// household appends one household and its members. Phantom households
// (outside the roster) always hold a worker, an elder and a pupil, so that
// every department has someone to report for them.
func (g *countyBuilder) household(hhs []household, people []person, seq, village int, phantom bool) ([]household, []person) {
	r := g.r
	h := household{county: int16(g.ci), phantom: phantom, first: int32(len(people)), join: g.from, seed: r.Uint64()}
	// Households outside the roster are numbered apart (…9xxxxxxxxx) so
	// their numbers never collide with roster households.
	if phantom {
		copy(h.no[:], fmt.Sprintf("%s9%09d", g.c.code, seq+1))
	} else {
		copy(h.no[:], fmt.Sprintf("%s%010d", g.c.code, seq+1))
	}
	copy(h.village[:], fmt.Sprintf("%s%03d%03d", g.c.code, 100+village/1000, 200+village%1000))

	h.typ = uint8(pick(r, []float64{0.90, 0.04, 0.04, 0.02}))
	if phantom {
		h.typ = typeAlleviated
	}
	if h.monitored() {
		h.riskDone = r.Float64() < 0.6
		newShare := 0.12
		if h.typ == typeSudden {
			newShare = 0.30
		}
		if g.to > g.from && r.Float64() < newShare {
			h.join = g.from + 1 + month(r.IntN(int(g.to-g.from)))
		}
	}
	h.relocated = r.Float64() < 0.08

	var members []person
	if phantom {
		members = g.phantomMembers()
	} else {
		members = g.members(1 + pick(r, sizeWeights))
	}
	h.n = int32(len(members))
	if h.n >= 2 && r.Float64() < 0.006 {
		h.sizeQuirk = uint8(1 + r.IntN(2))
	}
	hhIndex := int32(len(hhs))
	for i := range members {
		p := &members[i]
		p.hh = hhIndex
		g.planLife(p, phantom)
	}
	g.planWork(members, h.monitored(), phantom)
	perCapita := planIncome(r, &h, members, g.from, g.to)
	planSafetyNet(r, &h, members, perCapita, g.from, g.to, phantom)
	people = append(people, members...)
	return append(hhs, h), people
}

// members builds a household of n people around its head: a spouse, the
// head's parents, children and grandchildren, with ages that fit the relation.
func (g *countyBuilder) members(n int) []person {
	r := g.r
	var headAge int
	if n == 1 {
		headAge = between(r, 50, 92)
	} else {
		headAge = between(r, 28, 78)
	}
	headMale := r.Float64() < 0.85
	if n == 1 {
		headMale = r.Float64() < 0.45
	}
	family := surname(r)
	out := make([]person, 0, n)
	out = append(out, g.newPerson(relHead, headAge, headMale, family))
	slots := n - 1
	childFamily := family
	if slots > 0 && r.Float64() < 0.85 {
		spouseFamily := surname(r)
		if !headMale {
			childFamily = spouseFamily
		}
		age := max(20, headAge+between(r, -6, 6))
		out = append(out, g.newPerson(relSpouse, age, !headMale, spouseFamily))
		slots--
	}
	if slots > 0 && headAge <= 62 && r.Float64() < 0.35 {
		k := min(slots, 1+r.IntN(2))
		for i := 0; i < k; i++ {
			age := min(96, headAge+between(r, 20, 34))
			male := i == 0 && k == 2 || k == 1 && r.IntN(2) == 0
			fam := family
			if !male {
				fam = surname(r)
			}
			out = append(out, g.newPerson(relParent, age, male, fam))
		}
		slots -= k
	}
	if slots == 0 {
		return out
	}
	grand := 0
	if headAge >= 48 && slots >= 2 && r.Float64() < 0.6 {
		grand = 1 + r.IntN(slots-1)
	}
	children := slots - grand
	// Children are born one to four years apart, the eldest when the head
	// was 20 to 34; the eldest is grown up when there are grandchildren.
	ages := make([]int, children)
	ages[0] = max(0, headAge-between(r, 20, 34))
	if grand > 0 {
		ages[0] = min(max(ages[0], 20+between(r, 0, 8)), headAge-18)
	}
	for i := 1; i < children; i++ {
		ages[i] = max(0, ages[i-1]-between(r, 1, 4))
	}
	for _, a := range ages {
		out = append(out, g.newPerson(relChild, a, r.IntN(2) == 0, childFamily))
	}
	for i := 0; i < grand; i++ {
		a := r.IntN(max(1, ages[0]-19))
		out = append(out, g.newPerson(relGrandchild, a, r.IntN(2) == 0, childFamily))
	}
	return out
}

// phantomMembers builds a household outside the roster: a working adult,
// an elderly parent and a pupil.
func (g *countyBuilder) phantomMembers() []person {
	r := g.r
	family := surname(r)
	return []person{
		g.newPerson(relHead, between(r, 30, 50), true, family),
		g.newPerson(relParent, between(r, 62, 82), r.IntN(2) == 0, family),
		g.newPerson(relChild, between(r, 8, 11), r.IntN(2) == 0, family),
	}
}

// newPerson creates a person of the given age (at the first generated
// month) with a name, an ID number, a schooling track and a labour capacity.
func (g *countyBuilder) newPerson(rel uint8, age int, male bool, family string) person {
	r := g.r
	p := person{relation: rel, male: male, seed: r.Uint64()}
	p.name = fullName(r, family, male)
	g.alloc.assign(r, &p, age, g.ref)
	p.primary = p.by + 6
	if p.bm >= 9 {
		p.primary++
	}
	p.track = uint8(pick(r, trackWeights))
	p.preschool = r.Float64() < 0.7
	p.labor = laborFor(r, age, p.studentAt(g.from))
	return p
}
