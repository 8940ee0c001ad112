// Package synth generates a deterministic synthetic Jiangxi province: the
// monthly department extracts of inputs.md (roster, household income,
// education, medical, civil affairs, employment, pension, sales, and on
// request housing safety, drinking water and village collective
// distributions) written as a drop-folder inbox, with configurable dirty rows and file forms, and the
// figures the pipeline must reproduce from them (Truth).
package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"

	"zengshou/schemas"
)

// Source indices: positions in schemas.Sources, also the stream coordinate
// of a file. init checks them against the contract.
const (
	srcRoster = iota
	srcHouseholdIncome
	srcEducation
	srcMedical
	srcCivil
	srcEmployment
	srcPension
	srcSales
)

func init() {
	want := []string{schemas.Roster, schemas.HouseholdIncome, schemas.Education, schemas.Medical,
		schemas.Civil, schemas.Employment, schemas.Pension, schemas.Sales}
	for i, name := range want {
		if schemas.Sources[i].Name != name {
			panic(fmt.Sprintf("synth: schemas.Sources[%d] is %q, want %q", i, schemas.Sources[i].Name, name))
		}
	}
}

// generator is the province model and what writing its inbox needs.
type generator struct {
	cfg      Config
	counties []county
	months   []month
	from, to month
	hh       []household
	people   []person
	hhRange  [][2]int32 // per county: its households [lo, hi)
	ph       []household
	phPeople []person
	phRange  [][2]int32
	missing  map[month]map[string]bool
}

// Generate builds the province of cfg and writes its inbox: one folder per
// period with one file per delivered source, and truth.json with the Truth
// it also returns. The same cfg writes the same bytes, whatever the number
// of CPUs.
func Generate(ctx context.Context, cfg Config, inbox string) (*Truth, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	g, err := newGenerator(ctx, cfg)
	if err != nil {
		return nil, err
	}
	for _, m := range g.months {
		if err := os.MkdirAll(filepath.Join(inbox, m.String()), 0o755); err != nil {
			return nil, fmt.Errorf("creating period folder: %w", err)
		}
		// Files of an earlier run in the other form (or of a source now
		// missing or not enabled) would be read as this run's extracts.
		for _, s := range contracts {
			for _, ext := range []string{".csv", ".csv.gz", ".xlsx"} {
				err := os.Remove(filepath.Join(inbox, m.String(), s.Name+ext))
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return nil, fmt.Errorf("removing an earlier extract: %w", err)
				}
			}
		}
	}

	// The roster of each period first: the other files count unmatched rows
	// against it.
	rosters := make([]rosterResult, len(g.months))
	err = runParallel(ctx, len(g.months), func(ctx context.Context, i int) error {
		var err error
		rosters[i], err = g.writeRoster(ctx, inbox, g.months[i])
		return err
	})
	if err != nil {
		return nil, err
	}

	type job struct {
		src int
		mi  int
	}
	var jobs []job
	// Biggest files first, so the workers finish together.
	for _, src := range []int{srcMedical, srcHouseholdIncome, srcEmployment, srcEducation, srcCivil, srcPension, srcWater, srcHousing, srcSales, srcCollective} {
		if !cfg.enabled(src) {
			continue
		}
		for mi, m := range g.months {
			if !g.missing[m][contracts[src].Name] {
				jobs = append(jobs, job{src, mi})
			}
		}
	}
	results := make([]fileResult, len(jobs))
	err = runParallel(ctx, len(jobs), func(ctx context.Context, i int) error {
		j := jobs[i]
		var err error
		results[i], err = g.writeSource(ctx, inbox, j.src, g.months[j.mi], rosters[j.mi])
		return err
	})
	if err != nil {
		return nil, err
	}
	byFile := make(map[int]map[month]*fileResult)
	for i, j := range jobs {
		if byFile[j.src] == nil {
			byFile[j.src] = make(map[month]*fileResult)
		}
		byFile[j.src][g.months[j.mi]] = &results[i]
	}
	truth := g.truth(rosters, byFile)
	if err := writeTruth(filepath.Join(inbox, "truth.json"), truth); err != nil {
		return nil, err
	}
	return truth, nil
}

// newGenerator builds the province model, county by county in parallel.
func newGenerator(ctx context.Context, cfg Config) (*generator, error) {
	counties, err := loadCounties()
	if err != nil {
		return nil, err
	}
	from, _ := parseMonth(cfg.From)
	to, _ := parseMonth(cfg.To)
	g := &generator{cfg: cfg, counties: counties, from: from, to: to, missing: make(map[month]map[string]bool)}
	for m := from; m <= to; m++ {
		g.months = append(g.months, m)
	}
	for p, srcs := range cfg.MissingSources {
		m, _ := parseMonth(p)
		g.missing[m] = make(map[string]bool)
		for _, s := range srcs {
			g.missing[m][s] = true
		}
	}
	counts := allocate(counties, cfg.Households)
	models := make([]countyModel, len(counties))
	err = runParallel(ctx, len(counties), func(_ context.Context, i int) error {
		models[i] = buildCounty(cfg.Seed, i, counties[i], counts[i], from, to)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var nhh, npeople, nph, nphPeople int
	for ci := range models {
		m := &models[ci]
		nhh, npeople = nhh+len(m.hh), npeople+len(m.people)
		nph, nphPeople = nph+len(m.phHH), nphPeople+len(m.phPeople)
	}
	g.hh, g.people = make([]household, 0, nhh), make([]person, 0, npeople)
	g.ph, g.phPeople = make([]household, 0, nph), make([]person, 0, nphPeople)
	g.hhRange = make([][2]int32, len(counties))
	g.phRange = make([][2]int32, len(counties))
	for ci := range models {
		m := &models[ci]
		g.hhRange[ci] = appendModel(&g.hh, &g.people, m.hh, m.people)
		g.phRange[ci] = appendModel(&g.ph, &g.phPeople, m.phHH, m.phPeople)
		*m = countyModel{}
	}
	return g, nil
}

// appendModel appends one county's households and people to the province,
// renumbering their cross references, and returns the households' range.
func appendModel(allHH *[]household, allPeople *[]person, hh []household, people []person) [2]int32 {
	hhBase, pBase := int32(len(*allHH)), int32(len(*allPeople))
	for i := range hh {
		hh[i].first += pBase
	}
	for i := range people {
		people[i].hh += hhBase
	}
	*allHH = append(*allHH, hh...)
	*allPeople = append(*allPeople, people...)
	return [2]int32{hhBase, int32(len(*allHH))}
}

// rands returns the value and dirt streams of one county in one file. The
// values do not depend on the dirt rates: a dirty inbox holds the same
// records as a clean one of the same seed, in other forms and with extra rows.
func (g *generator) rands(src int, period month, ci int) (values, dirt *rand.Rand) {
	return newRand(g.cfg.Seed, tagRows, uint64(src), uint64(period), uint64(ci)),
		newRand(g.cfg.Seed, tagDirt, uint64(src), uint64(period), uint64(ci))
}

// present says whether the person is on the roster in month m.
func present(h *household, p *person, m month) bool { return h.join <= m && m <= p.leave }

// alive says whether the person is alive during month m (death in m counts
// as alive: that month's payments are legitimate).
func alive(p *person, m month) bool { return p.death == 0 || m <= p.death }

// phantom picks a household outside the roster in the county, nil if none.
func (g *generator) phantom(ci int, d *rand.Rand) *household {
	lo, hi := g.phRange[ci][0], g.phRange[ci][1]
	if hi == lo {
		return nil
	}
	return &g.ph[lo+d.Int32N(hi-lo)]
}

// fileResult is what writing one non-roster file yields for the truth.
type fileResult struct {
	name  string
	truth FileTruth
	// persons holds, for employment, the persons with an accepted 务工就业
	// or 灵活就业 row; for education, those with an accepted 中职/高职 row
	// whose enrolment falls in the period's year.
	persons bitset
	// salesFen is, per county, the accepted sales of the period.
	salesFen []int64
	// dept holds, for housing and water, the matched households and
	// their facts.
	dept *deptSets
	// paid lists, for collective, the accepted distributions.
	paid []collectivePaid
}

// newFileWriter creates the file of one source and period.
func (g *generator) newFileWriter(inbox string, src int, period month, match bitset) (*fileWriter, error) {
	s := contracts[src]
	form := chooseForm(g.cfg, src, period, len(s.Columns))
	c, err := createCSV(inbox, fileName(s, period, form), form, s)
	if err != nil {
		return nil, err
	}
	roles := rolesOf(s)
	rates := g.cfg.Dirty
	if form.xlsx {
		// A workbook has cells, not delimited fields: no row of it can be
		// ragged.
		rates.Ragged = 0
	}
	return &fileWriter{
		src: s, period: period, csv: c, roles: roles,
		picker:      newDirtPicker(rates, s, roles),
		match:       match,
		quarantined: make(map[string]int64),
	}, nil
}

// writeSource writes the file of one non-roster source for one period.
func (g *generator) writeSource(ctx context.Context, inbox string, src int, period month, roster rosterResult) (fileResult, error) {
	match := roster.persons
	if src == srcHouseholdIncome || src == srcCollective {
		match = roster.households
	} else if src == srcSales {
		match = nil
	}
	fw, err := g.newFileWriter(inbox, src, period, match)
	if err != nil {
		return fileResult{}, err
	}
	res := fileResult{name: fw.csv.name}
	switch src {
	case srcEmployment, srcEducation:
		res.persons = newBitset(len(g.people))
	case srcSales:
		res.salesFen = make([]int64, len(g.counties))
	case srcHousing, srcWater:
		res.dept = newDeptSets(len(g.hh))
	}
	for ci := range g.counties {
		if err := ctx.Err(); err != nil {
			fw.csv.abort()
			return fileResult{}, err
		}
		r, d := g.rands(src, period, ci)
		switch src {
		case srcHouseholdIncome:
			err = g.incomeRows(fw, d, ci)
		case srcEducation:
			err = g.educationRows(fw, d, ci, &res)
		case srcMedical:
			err = g.medicalRows(fw, r, d, ci)
		case srcCivil:
			err = g.civilRows(fw, d, ci)
		case srcEmployment:
			err = g.employmentRows(fw, r, d, ci, &res)
		case srcPension:
			err = g.pensionRows(fw, d, ci)
		case srcSales:
			err = g.salesRows(fw, r, d, ci, &res)
		case srcHousing:
			err = g.housingRows(fw, d, ci, &res)
		case srcWater:
			err = g.waterRows(fw, d, ci, &res)
		case srcCollective:
			err = g.collectiveRows(fw, d, ci, &res)
		}
		if err != nil {
			fw.csv.abort()
			return fileResult{}, err
		}
	}
	if err := fw.csv.close(); err != nil {
		return fileResult{}, err
	}
	res.truth = fw.truth()
	return res, nil
}

// writeTruth writes the truth as indented JSON.
func writeTruth(path string, t *Truth) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding truth: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing truth: %w", err)
	}
	return nil
}
