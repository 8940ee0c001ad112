package synth

import "math/rand/v2"

// Hash tags for per-person yearly insurance decisions.
const (
	hashInsured uint64 = iota + 300
	hashSubsidy
	hashSubsidyMissing
	hashChronic
)

var (
	insuranceStatusNames = []string{"正常参保", "未参保", "中断"}
	subsidyNames         = []string{"全额资助", "定额资助", "无"}
)

const (
	subsidyFull uint8 = iota
	subsidyFixed
	subsidyNone
)

// premiumFen is the annual urban-rural resident premium of the year.
func premiumFen(year int) int64 {
	switch {
	case year <= 2022:
		return 35000
	case year == 2023:
		return 38000
	default:
		return 40000
	}
}

// medicalRows writes one row per living person on the roster.
func (g *generator) medicalRows(fw *fileWriter, r, d *rand.Rand, ci int) error {
	m := fw.period
	for hi := g.hhRange[ci][0]; hi < g.hhRange[ci][1]; hi++ {
		h := &g.hh[hi]
		for pi := h.first; pi < h.first+h.n; pi++ {
			p := &g.people[pi]
			if !present(h, p, m) || !alive(p, m) {
				continue
			}
			if err := g.medicalRow(fw, r, d, ci, h, p, pi, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// medicalRow writes the insurance status, premium subsidy and the month's
// settlements of one person. 个人自付 is exactly the total minus the three
// reimbursements; only dirt breaks that.
func (g *generator) medicalRow(fw *fileWriter, r, d *rand.Rand, ci int, h *household, p *person, key int32, dirty bool) error {
	m := fw.period
	year := m.year()
	status := uint8(0)
	switch u := hashUnit(p.seed, hashInsured, uint64(year)); {
	case u >= 0.995:
		status = 2
	case u >= 0.98:
		status = 1
	}
	insured := status == 0
	safetyNet := h.tekun || h.dibaoFrom != 0 && h.dibaoFrom.year() <= year && h.dibaoTo.year() >= year
	category := subsidyNone
	switch {
	case !insured:
	case hashUnit(p.seed, hashSubsidyMissing, uint64(year)) < 0.01:
		// A few subsidies are missing: INSURANCE_SUBSIDY_MISSING findings.
	case safetyNet:
		category = subsidyFull
	case h.monitored():
		category = subsidyFixed
	case hashUnit(p.seed, hashSubsidy, uint64(year)) < 0.5:
		category = subsidyFixed
	}
	var subsidy int64
	switch category {
	case subsidyFull:
		subsidy = premiumFen(year)
	case subsidyFixed:
		subsidy = premiumFen(year) / 2
	}

	var total, basic, critical, assistance int64
	pOut, pIn := 0.006, 0.003
	age := p.ageAt(m)
	if age >= 60 {
		pOut, pIn = pOut+0.008, pIn+0.006
	}
	chronic := p.chronic(age)
	if chronic {
		pOut, pIn = pOut+0.15, pIn+0.008
	}
	if p.disabled {
		pIn += 0.006
	}
	if u := r.Float64(); u < pIn+pOut {
		inpatient := u < pIn
		switch {
		case inpatient && r.Float64() < 0.22:
			total = int64(logUniform(r, 12000, 80000) * 100)
		case inpatient:
			total = int64(logUniform(r, 1500, 12000) * 100)
		case chronic:
			total = int64(logUniform(r, 150, 1500) * 100)
		default:
			total = int64(logUniform(r, 50, 800) * 100)
		}
		if insured {
			share := int64(50)
			switch {
			case inpatient:
				share = 70
			case chronic:
				share = 60
			}
			basic = total * share / 100
			if rest := total - basic; inpatient && rest > 750000 {
				critical = (rest - 750000) * 60 / 100
			}
		}
		if inpatient && (safetyNet || h.monitored()) {
			assistance = (total - basic - critical) * 70 / 100
		}
	}

	fw.start(d, key, dirty)
	row := &fw.row
	row.bytes(p.id[:])
	row.integer(year)
	row.str(insuranceStatusNames[status])
	row.str(subsidyNames[category])
	row.money(subsidy)
	row.money(total)
	row.money(basic)
	row.money(critical)
	row.money(assistance)
	row.money(total - basic - critical - assistance)
	_, unmatched, err := fw.finish(d)
	if err != nil || !unmatched {
		return err
	}
	if ph := g.phantom(ci, d); ph != nil {
		// Rows outside the roster draw their values from the dirt stream,
		// so the roster's own rows are the same with and without dirt.
		k := ph.first + d.Int32N(ph.n)
		return g.medicalRow(fw, d, d, ci, ph, &g.phPeople[k], -1, false)
	}
	return nil
}

// chronic says whether the person lives with a chronic illness (慢性病,
// 门诊慢特病) at the given age: rare when young, common when old, often
// with a disability. The condition, once there, stays.
func (p *person) chronic(age int) bool {
	share := 0.02
	switch {
	case age >= 75:
		share = 0.30
	case age >= 60:
		share = 0.20
	case age >= 40:
		share = 0.08
	}
	if p.disabled {
		share += 0.20
	}
	return hashUnit(p.seed, hashChronic, 0) < share
}
