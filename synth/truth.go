package synth

import "slices"

// Truth is what the pipeline must find in a generated inbox, computed from
// the generator's own records by the definitions of domain.md, so that
// integration tests can compare the pipeline's accounting and indicators
// with it. It is also written to <inbox>/truth.json.
type Truth struct {
	// Seed and the period range of the configuration that wrote the inbox.
	Seed int64  `json:"seed"`
	From string `json:"from"`
	To   string `json:"to"`
	// Periods maps YYYY-MM to the truth of that period.
	Periods map[string]*PeriodTruth `json:"periods"`
}

// PeriodTruth is the truth of one reporting period P of year Y. Region maps
// hold every region of regions.csv, zeros included: "360000" for the
// province, then each city and county code; a person counts in the county
// of their household (the first 6 digits of its village code).
type PeriodTruth struct {
	// Files maps the path of each delivered file, relative to the inbox
	// ("2025-03/employment.csv.gz"), to its accounting.
	Files map[string]FileTruth `json:"files"`
	// Missing lists the sources not delivered this period, in load order.
	Missing []string `json:"missing"`
	// RosterPersons counts the persons of the period's roster: accepted
	// roster rows (not ID_INVALID, not UNKNOWN_REGION, not a later duplicate).
	RosterPersons int64 `json:"roster_persons"`
	// Households counts the households with at least one accepted roster row.
	Households int64 `json:"households"`
	// EmployedPersonsYTD is EMPLOYED_PERSONS: roster persons of P with an
	// accepted employment row of status 务工就业 or 灵活就业 in a month of
	// Y-01..P (within the generated range).
	EmployedPersonsYTD map[string]int64 `json:"employed_persons_ytd"`
	// HelpSalesYTDFen is HELP_SALES in fen: accepted sales rows of
	// Y-01..P, by the row's county.
	HelpSalesYTDFen map[string]int64 `json:"help_sales_ytd_fen"`
	// VocationalNewEnrollmentYTD is VOCATIONAL_NEW_ENROLLMENT: roster
	// persons of P with an accepted education row, in a month of Y-01..P,
	// of stage 中职 or 高职 with 入学年月 in Y-01..P.
	VocationalNewEnrollmentYTD map[string]int64 `json:"vocational_new_enrollment_ytd"`

	// Housing, Water and Collective are the truth of the extra departments
	// when Config.Departments enables them; housing and water also need
	// the period's own extract (nil when it is missing: whether the
	// pipeline then keeps an earlier snapshot is its choice).
	Housing    *HousingTruth    `json:"housing,omitempty"`
	Water      *WaterTruth      `json:"water,omitempty"`
	Collective *CollectiveTruth `json:"collective,omitempty"`
}

// Ratio is an indicator as a numerator over a denominator, by region.
type Ratio struct {
	Numerator   int64 `json:"numerator"`
	Denominator int64 `json:"denominator"`
}

// Value is the ratio, 0 when the denominator is.
func (r Ratio) Value() float64 {
	if r.Denominator == 0 {
		return 0
	}
	return float64(r.Numerator) / float64(r.Denominator)
}

// HousingTruth is the housing safety truth of P. A housing row counts when
// the pipeline accepts it and its 户主身份证号 is the ID of an accepted 户主
// row of P's roster (the household's 户主 row); the rules and the indicator
// read P's snapshot alone.
type HousingTruth struct {
	// SafeRate is HOUSING_SAFE_RATE by region: over the roster households
	// with a housing row, those whose dwelling is not (C级/D级 and not 竣工).
	SafeRate map[string]Ratio `json:"safe_rate"`
	// UnsafeNotPlanned lists, sorted, the 户编号 of the households of
	// HOUSING_UNSAFE_NOT_PLANNED: C级/D级, not 竣工, 纳入改造计划 否.
	UnsafeNotPlanned []string `json:"unsafe_not_planned"`
	// RenovationStalled lists, sorted, the households of
	// HOUSING_RENOVATION_STALLED: C级/D级, in the plan, not 竣工, and P
	// more than 12 months after 鉴定年月 (2024-02 is stalled from 2025-03).
	RenovationStalled []string `json:"renovation_stalled"`
}

// WaterTruth is the drinking-water truth of P, its rows counted as for
// housing.
type WaterTruth struct {
	// SafeRate is WATER_SAFE_RATE by region: over the roster households
	// with a water row, those with all four criteria 达标.
	SafeRate map[string]Ratio `json:"safe_rate"`
	// Unsafe lists, sorted, the households of WATER_UNSAFE.
	Unsafe []string `json:"unsafe"`
	// SeasonalShortage lists, sorted, the households of
	// SEASONAL_WATER_SHORTAGE (季节性缺水 是 in P).
	SeasonalShortage []string `json:"seasonal_shortage"`
}

// CollectiveTruth is the village collective truth of P, over the accepted
// collective rows of Y-01..P (within the generated range). Every accepted
// row of a roster household is matched in its own month; rows for
// households outside the roster are 按劳分配 only.
type CollectiveTruth struct {
	// PaidFen holds, for every household that received a distribution in
	// P, the amounts of P by kind; the sum over Y-01..P is the household's
	// year to date (kept per month: year-to-date maps would make the truth
	// of a big province huge).
	PaidFen map[string]CollectiveFen `json:"paid_fen"`
	// DividendVillages lists, sorted, the villages (区划代码) with an
	// accepted 按股分红 row in Y-01..P.
	DividendVillages []string `json:"dividend_villages"`
	// ShareMissing lists, sorted, the households of
	// COLLECTIVE_SHARE_MISSING: on P's roster, in a dividend village, and
	// without a distribution in Y-01..P.
	ShareMissing []string `json:"share_missing"`
}

// CollectiveFen are the amounts of one household by kind of distribution,
// in fen, with their place in the income structure (domain.md).
type CollectiveFen struct {
	// Labor is 按劳分配, counted in wage_verified.
	Labor int64 `json:"labor"`
	// Relief is 兜底救助, counted in transfer_dept.
	Relief int64 `json:"relief"`
	// Dividend is 按股分红, property_verified.
	Dividend int64 `json:"dividend"`
}

// FileTruth is the accounting of one delivered file.
type FileTruth struct {
	// Source is the extract's name (schemas.Sources).
	Source string `json:"source"`
	// Rows counts the data rows written, the header excluded.
	Rows int64 `json:"rows"`
	// Quarantined counts the rows the pipeline must quarantine, by reason
	// code; empty when none.
	Quarantined map[string]int64 `json:"quarantined"`
	// Unmatched counts the accepted person-level rows whose valid ID is not
	// on the period's roster (for household_income: whose household is not).
	Unmatched int64 `json:"unmatched"`
}

// Accepted is the number of rows the pipeline must accept (unmatched
// rows included): Rows minus the quarantined ones.
func (f FileTruth) Accepted() int64 {
	n := f.Rows
	for _, q := range f.Quarantined {
		n -= q
	}
	return n
}

// truth assembles the Truth from the results of every file.
func (g *generator) truth(rosters []rosterResult, files map[int]map[month]*fileResult) *Truth {
	t := &Truth{Seed: g.cfg.Seed, From: g.cfg.From, To: g.cfg.To, Periods: make(map[string]*PeriodTruth, len(g.months))}
	for mi, p := range g.months {
		roster := rosters[mi]
		pt := &PeriodTruth{
			Files:         map[string]FileTruth{roster.name: roster.truth},
			Missing:       []string{},
			RosterPersons: roster.persons.count(),
			Households:    roster.households.count(),
		}
		for src, s := range contracts {
			if !g.cfg.enabled(src) {
				continue
			}
			if g.missing[p][s.Name] {
				pt.Missing = append(pt.Missing, s.Name)
			} else if f := files[src][p]; f != nil {
				pt.Files[f.name] = f.truth
			}
		}
		employed := newBitset(len(g.people))
		vocational := newBitset(len(g.people))
		sales := make([]int64, len(g.counties))
		for m := max(g.from, p.yearStart()); m <= p; m++ {
			if f := files[srcEmployment][m]; f != nil {
				employed.or(f.persons)
			}
			if f := files[srcEducation][m]; f != nil {
				vocational.or(f.persons)
			}
			if f := files[srcSales][m]; f != nil {
				for ci, v := range f.salesFen {
					sales[ci] += v
				}
			}
		}
		employed.and(roster.persons)
		vocational.and(roster.persons)
		pt.EmployedPersonsYTD = g.byRegion(g.perCounty(employed))
		pt.VocationalNewEnrollmentYTD = g.byRegion(g.perCounty(vocational))
		pt.HelpSalesYTDFen = g.byRegion(sales)
		g.departmentsTruth(pt, p, roster, files)
		t.Periods[p.String()] = pt
	}
	return t
}

// perCounty counts the persons of the set by the county of their household.
func (g *generator) perCounty(set bitset) []int64 {
	out := make([]int64, len(g.counties))
	set.each(func(i int32) {
		out[g.hh[g.people[i].hh].county]++
	})
	return out
}

// byRegion rolls county values up to cities (first 4 digits + "00") and the
// province, keyed by region code.
func (g *generator) byRegion(perCounty []int64) map[string]int64 {
	out := map[string]int64{ProvinceCode: 0}
	for ci, c := range g.counties {
		v := perCounty[ci]
		out[c.code] += v
		out[c.code[:4]+"00"] += v
		out[ProvinceCode] += v
	}
	return out
}

// departmentsTruth fills the truth of the enabled extra departments of P.
func (g *generator) departmentsTruth(pt *PeriodTruth, p month, roster rosterResult, files map[int]map[month]*fileResult) {
	if f := files[srcHousing][p]; f != nil {
		pt.Housing = &HousingTruth{
			SafeRate:          g.rateByRegion(f.dept),
			UnsafeNotPlanned:  g.householdNos(f.dept.flags[0]),
			RenovationStalled: g.householdNos(f.dept.flags[1]),
		}
	}
	if f := files[srcWater][p]; f != nil {
		pt.Water = &WaterTruth{
			SafeRate:         g.rateByRegion(f.dept),
			Unsafe:           g.householdNos(f.dept.flags[0]),
			SeasonalShortage: g.householdNos(f.dept.flags[1]),
		}
	}
	if !g.cfg.enabled(srcCollective) {
		return
	}
	received := newBitset(len(g.hh))
	villages := map[[12]byte]bool{}
	ct := &CollectiveTruth{PaidFen: map[string]CollectiveFen{}, DividendVillages: []string{}, ShareMissing: []string{}}
	for m := max(g.from, p.yearStart()); m <= p; m++ {
		f := files[srcCollective][m]
		if f == nil {
			continue
		}
		for _, paid := range f.paid {
			h := &g.hh[paid.hh]
			if paid.kind == distDividend {
				villages[h.village] = true
			}
			received.set(paid.hh)
			if m != p {
				continue
			}
			no := string(h.no[:])
			a := ct.PaidFen[no]
			switch paid.kind {
			case distLabor:
				a.Labor += paid.fen
			case distRelief:
				a.Relief += paid.fen
			case distDividend:
				a.Dividend += paid.fen
			}
			ct.PaidFen[no] = a
		}
	}
	for v := range villages {
		ct.DividendVillages = append(ct.DividendVillages, string(v[:]))
	}
	slices.Sort(ct.DividendVillages)
	roster.households.each(func(hi int32) {
		h := &g.hh[hi]
		if villages[h.village] && !received.has(hi) {
			ct.ShareMissing = append(ct.ShareMissing, string(h.no[:]))
		}
	})
	slices.Sort(ct.ShareMissing)
	pt.Collective = ct
}

// rateByRegion counts, by region, the households with a row and the safe
// ones among them.
func (g *generator) rateByRegion(s *deptSets) map[string]Ratio {
	rows, safe := make([]int64, len(g.counties)), make([]int64, len(g.counties))
	s.rows.each(func(hi int32) { rows[g.hh[hi].county]++ })
	s.safe.each(func(hi int32) { safe[g.hh[hi].county]++ })
	den, num := g.byRegion(rows), g.byRegion(safe)
	out := make(map[string]Ratio, len(den))
	for code, d := range den {
		out[code] = Ratio{Numerator: num[code], Denominator: d}
	}
	return out
}

// householdNos lists the household numbers of the set, sorted.
func (g *generator) householdNos(set bitset) []string {
	out := []string{}
	set.each(func(hi int32) { out = append(out, string(g.hh[hi].no[:])) })
	slices.Sort(out)
	return out
}
