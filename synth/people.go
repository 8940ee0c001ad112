package synth

import (
	"math/rand/v2"
	"time"

	"zengshou/transforms/idnum"
)

// Relations to the head of household (与户主关系), as indices into relationNames.
const (
	relHead uint8 = iota
	relSpouse
	relChild
	relParent
	relGrandchild
	relOther
)

var relationNames = []string{"户主", "配偶", "子女", "父母", "孙子女", "其他"}

// Labour capacities (劳动能力), as indices into laborNames.
const (
	laborNormal uint8 = iota
	laborSkilled
	laborWeak
	laborLost
	laborNone
)

var laborNames = []string{"普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}

// hasLabor is domain.md's has_labor.
func hasLabor(l uint8) bool { return l <= laborWeak }

// person is one member of a household, with the plan of everything that
// happens to them over the generated months. All decisions that must agree
// between months or between files live here; month-by-month noise is drawn
// by the file writers.
type person struct {
	id       [18]byte
	name     string
	seed     uint64 // stable per-person key for hash decisions
	hh       int32  // index of the household
	by       int16  // birth year, month, day
	bm, bd   uint8
	male     bool
	relation uint8
	labor    uint8

	// leave is the last month the person is on the roster (the death month
	// plus a reporting lag, or the last generated month).
	leave month
	// death is the month of death, 0 when the person lives throughout.
	death          month
	deathDay       uint8
	paidAfterDeath bool // the pension keeps being paid during the lag

	disabled, severe bool
	pensionExtra     int32 // personal-account part of the pension, fen/month

	// Employment: rows from empFrom to empTo (0 when never employed).
	empFrom, empTo month
	empStatus      uint8 // index into employment statuses
	empForm        uint8
	empArea        uint8
	employer       uint8
	wage           int32 // base monthly wage, fen

	// Education: the year the person entered primary school and the track
	// taken after junior middle school.
	primary   int16
	track     uint8
	preschool bool
}

// ageAt is the age in whole years on the first day of month m.
func (p *person) ageAt(m month) int {
	a := m.year() - int(p.by)
	if m.num() < int(p.bm) || (m.num() == int(p.bm) && p.bd > 1) {
		a--
	}
	return a
}

// idAllocator hands out unique ID numbers within one county: the address
// code is the county code, so uniqueness needs only distinct (birth date,
// sequence) pairs, tracked here.
type idAllocator struct {
	county string
	next   map[int32]uint16 // birth date (yyyymmdd) * 2 + sex → next sequence slot
}

func newIDAllocator(countyCode string) *idAllocator {
	return &idAllocator{county: countyCode, next: make(map[int32]uint16)}
}

// assign sets the birth date and ID number of p, born age years before ref
// (the first day of the first generated month). Men get odd sequence codes,
// women even ones, as GB 11643 requires.
func (a *idAllocator) assign(r *rand.Rand, p *person, age int, ref time.Time) {
	birth := ref.AddDate(-age, 0, -(1 + r.IntN(364)))
	for {
		ymd := int32(birth.Year()*10000 + int(birth.Month())*100 + birth.Day())
		key := ymd * 2
		if p.male {
			key++
		}
		slot, ok := a.next[key]
		if !ok {
			slot = uint16(r.IntN(40)) + 1
		}
		seq := int(slot)*2 - 1 // odd for men
		if !p.male {
			seq = int(slot) * 2
		}
		if seq > 999 {
			// All sequence codes of the day are taken: move the birthday.
			birth = birth.AddDate(0, 0, -1)
			continue
		}
		a.next[key] = slot + 1
		var buf [17]byte
		b := append(buf[:0], a.county...)
		b = appendPadded(b, int(ymd), 8)
		b = appendPadded(b, seq, 3)
		copy(p.id[:17], b)
		p.id[17] = idnum.CheckChar(string(b))
		p.by, p.bm, p.bd = int16(birth.Year()), uint8(birth.Month()), uint8(birth.Day())
		return
	}
}

// laborFor assigns the labour capacity of the roster from age and schooling:
// children, students and the very old have none; capacity weakens after 60.
func laborFor(r *rand.Rand, age int, student bool) uint8 {
	switch {
	case age < 16 || student:
		return laborNone
	case age < 60:
		return []uint8{laborNormal, laborSkilled, laborWeak, laborLost}[pick(r, []float64{0.70, 0.15, 0.07, 0.08})]
	case age < 65:
		return []uint8{laborNormal, laborWeak, laborLost}[pick(r, []float64{0.30, 0.50, 0.20})]
	case age < 75:
		return []uint8{laborWeak, laborLost, laborNone}[pick(r, []float64{0.55, 0.30, 0.15})]
	default:
		return []uint8{laborNone, laborLost}[pick(r, []float64{0.70, 0.30})]
	}
}

// annualMortality is a rough rural death rate by age.
func annualMortality(age int) float64 {
	switch {
	case age < 40:
		return 0.001
	case age < 60:
		return 0.004
	case age < 70:
		return 0.012
	case age < 80:
		return 0.035
	default:
		return 0.10
	}
}
