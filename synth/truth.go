package synth

import "zengshou/schemas"

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
		for src, s := range schemas.Sources {
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
