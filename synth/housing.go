package synth

import "math/rand/v2"

// Housing safety grades (房屋安全等级), renovation statuses (改造状态) and
// causes of danger (致危原因), as indices into their names.
const (
	gradeA uint8 = iota
	gradeB
	gradeC // 局部危险
	gradeD // 整体危险
)

const (
	renovNone int8 = iota - 1 // not in a plan: the field is empty
	renovNotStarted
	renovBuilding
	renovDone
)

var (
	gradeNames      = []string{"A级", "B级", "C级", "D级"}
	renovationNames = []string{"未开工", "在建", "竣工"}
	causeNames      = []string{"自然灾害", "年久失修", "其他"}
)

// Hash tags of the extra departments' per-household and per-village
// decisions. They draw on no random stream, so the other sources' bytes do
// not depend on whether the departments are written.
const (
	hashHousing uint64 = iota + 800
	hashWater
	hashWaterShortage
	hashCollectiveVillage
	hashCollectiveShare
	hashCollectiveHousehold
	hashCollectiveMonth
	hashCollectiveAmount
)

// stalledAfterMonths is HOUSING_RENOVATION_STALLED's age of an appraisal: a
// C级/D级 dwelling in the plan and not 竣工 whose appraisal is more than
// twelve months before the period.
const stalledAfterMonths = 12

// housingPlan is a household's dwelling over the generated months: its
// appraisal in force, possibly preceded by an earlier one (a dwelling found
// dangerous during the months was B级 before), and its renovation.
type housingPlan struct {
	appraised     bool
	grade, cause  uint8
	appraisal     month
	prevGrade     uint8
	prevAppraisal month // 0 when the appraisal in force is the first one
	// The renovation: in the plan from planFrom, started at startM,
	// completed at doneM; 0 when it does not happen.
	planFrom, startM, doneM month
}

// housingPlanOf decides the household's dwelling: 90 % of households
// appraised (the others have no row); about 4 % of those C级 or D级 (never
// relocated households, who live in new flats); of the dangerous dwellings
// 40 % are found during the months (before, B级) and the others were
// appraised up to 30 months before the first month; 85 % are in a
// renovation plan (up to three months after the appraisal), started one to
// four months later and completed two to eight months after that, except
// that 45 % of those appraised more than half a year before the first
// month stall: never completed, half of them never started.
func (g *generator) housingPlanOf(h *household) housingPlan {
	u := func(i uint64) float64 { return hashUnit(h.seed, hashHousing, i) }
	var hp housingPlan
	hp.appraised = h.phantom || u(0) < 0.9
	if !hp.appraised {
		return hp
	}
	from, to := g.from, g.to
	switch gu := u(1); {
	case h.relocated && gu < 0.8:
		hp.grade = gradeA
	case h.relocated:
		hp.grade = gradeB
	case gu < 0.03:
		hp.grade = gradeC
	case gu < 0.042:
		hp.grade = gradeD
	case gu < 0.60:
		hp.grade = gradeA
	default:
		hp.grade = gradeB
	}
	if hp.grade <= gradeB {
		hp.appraisal = from - 1 - month(u(2)*48)
		return hp
	}
	if to > from && u(3) < 0.4 {
		hp.appraisal = from + 1 + month(u(4)*float64(to-from))
		hp.prevGrade, hp.prevAppraisal = gradeB, from-1-month(u(5)*36)
	} else {
		hp.appraisal = from - 1 - month(u(4)*30)
	}
	switch cu := u(6); {
	case cu < 0.25:
		hp.cause = 0
	case cu < 0.9:
		hp.cause = 1
	default:
		hp.cause = 2
	}
	if u(7) >= 0.85 {
		return hp
	}
	hp.planFrom = hp.appraisal + month(u(8)*4)
	hp.startM = hp.planFrom + 1 + month(u(9)*4)
	if hp.appraisal < from-6 && u(10) < 0.45 {
		if u(11) < 0.5 {
			hp.startM = 0
		}
		return hp
	}
	hp.doneM = hp.startM + 2 + month(u(12)*7)
	return hp
}

// housingState is the appraisal in force in one period, as the row says.
type housingState struct {
	grade     uint8
	appraisal month
	planned   bool
	status    int8  // renovNone when not in a plan
	done      month // 竣工年月, 0 when not completed
	cause     int8  // -1 for A级/B级
}

// at returns the appraisal in force in period p; ok is false when the
// dwelling has not been appraised by then.
func (hp *housingPlan) at(p month) (st housingState, ok bool) {
	switch {
	case !hp.appraised:
		return st, false
	case hp.appraisal > p && hp.prevAppraisal == 0:
		return st, false
	case hp.appraisal > p:
		return housingState{grade: hp.prevGrade, appraisal: hp.prevAppraisal, status: renovNone, cause: -1}, true
	case hp.grade <= gradeB:
		return housingState{grade: hp.grade, appraisal: hp.appraisal, status: renovNone, cause: -1}, true
	}
	st = housingState{grade: hp.grade, appraisal: hp.appraisal, status: renovNone, cause: int8(hp.cause)}
	st.planned = hp.planFrom != 0 && p >= hp.planFrom
	switch {
	case !st.planned:
	case hp.doneM != 0 && p >= hp.doneM:
		st.status, st.done = renovDone, hp.doneM
	case hp.startM != 0 && p >= hp.startM:
		st.status = renovBuilding
	default:
		st.status = renovNotStarted
	}
	return st, true
}

// unsafe says whether the dwelling counts against HOUSING_SAFE_RATE: C级
// or D级 and not 竣工.
func (st housingState) unsafe() bool { return st.grade >= gradeC && st.status != renovDone }

// notPlanned is HOUSING_UNSAFE_NOT_PLANNED.
func (st housingState) notPlanned() bool { return st.unsafe() && !st.planned }

// stalled is HOUSING_RENOVATION_STALLED in period p.
func (st housingState) stalled(p month) bool {
	return st.unsafe() && st.planned && p-st.appraisal > stalledAfterMonths
}

// actingHead is the first member of the household on the roster in month
// m: the roster writes them as 户主 (when the head has left, the next
// member acts as head). It is -1 when nobody is listed.
func (g *generator) actingHead(h *household, m month) int32 {
	if h.join > m {
		return -1
	}
	for pi := h.first; pi < h.first+h.n; pi++ {
		if m <= g.people[pi].leave {
			return pi
		}
	}
	return -1
}

// housingRows writes the period's snapshot: one row per household on the
// roster whose dwelling has been appraised, under its acting head's ID.
func (g *generator) housingRows(fw *fileWriter, d *rand.Rand, ci int, res *fileResult) error {
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		head := g.actingHead(h, fw.period)
		if head < 0 {
			continue
		}
		if err := g.housingRow(fw, d, ci, h, &g.people[head], head, hi, res); err != nil {
			return err
		}
	}
	return nil
}

// housingRow writes the household's appraisal in force, if any, and
// records it for the truth when the pipeline matches it. A negative key is
// a household outside the roster, written without dirt.
func (g *generator) housingRow(fw *fileWriter, d *rand.Rand, ci int, h *household, head *person, key, hi int32, res *fileResult) error {
	m := fw.period
	plan := g.housingPlanOf(h)
	st, ok := plan.at(m)
	if !ok {
		return nil
	}
	fw.start(d, key, key >= 0)
	r := &fw.row
	r.bytes(head.id[:])
	r.str(gradeNames[st.grade])
	r.month(st.appraisal)
	r.str(fw.yesNo(st.planned))
	if st.status == renovNone {
		r.empty()
	} else {
		r.str(renovationNames[st.status])
	}
	if st.done != 0 {
		r.month(st.done)
	} else {
		r.empty()
	}
	if st.cause < 0 {
		r.empty()
	} else {
		r.str(causeNames[st.cause])
	}
	accepted, unmatched, err := fw.finish(d)
	if err != nil {
		return err
	}
	if accepted && key >= 0 && fw.match.has(key) {
		res.dept.record(hi, !st.unsafe(), st.notPlanned(), st.stalled(m))
	}
	if !unmatched {
		return nil
	}
	if ph := g.phantom(ci, d); ph != nil {
		return g.housingRow(fw, d, ci, ph, &g.phPeople[ph.first], -1, -1, res)
	}
	return nil
}

// deptSets are the households of one housing or water snapshot that the
// pipeline matches, with the facts their rules and indicators need.
type deptSets struct {
	// rows: households with a matched row; safe: those counted safe by
	// HOUSING_SAFE_RATE or WATER_SAFE_RATE; flags: the households of the
	// two rules (housing: UNSAFE_NOT_PLANNED, RENOVATION_STALLED; water:
	// WATER_UNSAFE, SEASONAL_WATER_SHORTAGE).
	rows, safe bitset
	flags      [2]bitset
}

func newDeptSets(n int) *deptSets {
	return &deptSets{rows: newBitset(n), safe: newBitset(n), flags: [2]bitset{newBitset(n), newBitset(n)}}
}

// record adds one matched household.
func (s *deptSets) record(hi int32, safe, flag0, flag1 bool) {
	s.rows.set(hi)
	if safe {
		s.safe.set(hi)
	}
	if flag0 {
		s.flags[0].set(hi)
	}
	if flag1 {
		s.flags[1].set(hi)
	}
}
