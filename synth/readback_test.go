package synth

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// This file is a small, independent reader of a generated inbox: it decodes
// every file form, parses every field the way the contract allows, applies
// the quarantine rules and recomputes the Truth from the files alone. The
// tests compare it with the generator's own Truth.

// extract is one file read back, with its rows in contract column order.
type extract struct {
	rel      string
	src      schemas.Source
	period   string
	encoding string // utf-8, utf-8-bom or gb18030
	gzipped  bool
	header   []string // as written
	rows     [][]string
	// ragged counts the records whose field count differs from the
	// header's: they cannot be read by column (FIELD_COUNT).
	ragged int
}

// readInbox reads every extract of the inbox, keyed by relative path.
func readInbox(t testing.TB, inbox string) map[string]*extract {
	t.Helper()
	out := map[string]*extract{}
	periods, err := os.ReadDir(inbox)
	require.NoError(t, err)
	for _, p := range periods {
		if !p.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(inbox, p.Name()))
		require.NoError(t, err)
		for _, f := range files {
			rel := p.Name() + "/" + f.Name()
			out[rel] = readExtract(t, inbox, rel)
		}
	}
	return out
}

// readExtract decodes one file: gzip by name, BOM or GB18030 by content.
func readExtract(t testing.TB, inbox, rel string) *extract {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(inbox, filepath.FromSlash(rel)))
	require.NoError(t, err)
	e := &extract{rel: rel, period: rel[:7], encoding: "utf-8"}
	name := strings.TrimSuffix(filepath.Base(rel), ".gz")
	if name != filepath.Base(rel) {
		e.gzipped = true
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		require.NoError(t, err, rel)
		raw, err = io.ReadAll(zr)
		require.NoError(t, err, rel)
	}
	src, ok := contractByName(strings.TrimSuffix(name, ".csv"))
	require.True(t, ok, "%s names no source", rel)
	e.src = src
	switch {
	case bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")):
		e.encoding, raw = "utf-8-bom", raw[3:]
	case !utf8.Valid(raw):
		e.encoding = "gb18030"
		raw, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		require.NoError(t, err, rel)
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	require.NoError(t, err, rel)
	require.NotEmpty(t, recs, rel)
	e.header = recs[0]
	pos := make([]int, len(src.Columns))
	for i, c := range src.Columns {
		pos[i] = slices.Index(e.header, c.Header)
		require.GreaterOrEqual(t, pos[i], 0, "%s lacks column %s", rel, c.Header)
	}
	for _, rec := range recs[1:] {
		if len(rec) != len(e.header) {
			e.ragged++
			continue
		}
		row := make([]string, len(pos))
		for i, p := range pos {
			row[i] = rec[p]
		}
		e.rows = append(e.rows, row)
	}
	return e
}

// col returns the named column of a row.
func (e *extract) col(row []string, name string) string { return row[e.src.ColumnIndex(name)] }

var (
	monthForms = []*regexp.Regexp{
		regexp.MustCompile(`^(\d{4})-(\d{2})$`),
		regexp.MustCompile(`^(\d{4})/(\d{1,2})$`),
		regexp.MustCompile(`^(\d{4})(\d{2})$`),
		regexp.MustCompile(`^(\d{4})年(\d{1,2})月$`),
	}
	dateForms = []*regexp.Regexp{
		regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`),
		regexp.MustCompile(`^(\d{4})/(\d{1,2})/(\d{1,2})$`),
		regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`),
	}
	amountPattern = regexp.MustCompile(`^(\d+)(?:\.(\d{1,2}))?$`)
	yesNo         = map[string]bool{"是": true, "否": false, "Y": true, "N": false, "1": true, "0": false, "true": true, "false": false}
)

// parseAnyMonth reads every month form of the contract into YYYY-MM.
func parseAnyMonth(s string) (string, error) {
	for _, re := range monthForms {
		if m := re.FindStringSubmatch(s); m != nil {
			mo, _ := strconv.Atoi(m[2])
			if mo < 1 || mo > 12 {
				break
			}
			return fmt.Sprintf("%s-%02d", m[1], mo), nil
		}
	}
	return "", fmt.Errorf("not a month: %q", s)
}

// parseAnyDate reads every date form of the contract.
func parseAnyDate(s string) (string, error) {
	for _, re := range dateForms {
		if m := re.FindStringSubmatch(s); m != nil {
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			return fmt.Sprintf("%s-%02d-%02d", m[1], mo, d), nil
		}
	}
	return "", fmt.Errorf("not a date: %q", s)
}

// parseAmount reads every amount form of the contract into fen.
func parseAmount(s string) (int64, error) {
	n := width.Narrow.String(strings.TrimSpace(s))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "￥"), "¥")
	n = strings.ReplaceAll(n, ",", "")
	m := amountPattern.FindStringSubmatch(n)
	if m == nil {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	yuan, _ := strconv.ParseInt(m[1], 10, 64)
	frac := (m[2] + "00")[:2]
	cents, _ := strconv.ParseInt(frac, 10, 64)
	return yuan*100 + cents, nil
}

// checkFields fails the test for a field that no contract-following reader
// could parse: the generator writes only valid or repairable forms, and
// invalid ID numbers on purpose.
func checkFields(t testing.TB, e *extract, line int, row []string) {
	t.Helper()
	for i, c := range e.src.Columns {
		v := row[i]
		if v == "" {
			require.False(t, c.Required, "%s line %d: required %s empty", e.rel, line, c.Header)
			continue
		}
		var err error
		switch c.Kind {
		case schemas.Money:
			_, err = parseAmount(v)
		case schemas.Month:
			_, err = parseAnyMonth(v)
		case schemas.Date:
			_, err = parseAnyDate(v)
		case schemas.Integer:
			_, err = strconv.Atoi(v)
		case schemas.YesNo:
			if _, ok := yesNo[v]; !ok {
				err = fmt.Errorf("not yes/no: %q", v)
			}
		case schemas.Enum:
			if !slices.Contains(c.Values, v) {
				err = fmt.Errorf("not one of %v: %q", c.Values, v)
			}
		}
		require.NoError(t, err, "%s line %d column %s", e.rel, line, c.Header)
	}
}

// recount recomputes the Truth of an inbox from its files.
func recount(t testing.TB, cfg Config, inbox string) *Truth {
	t.Helper()
	cfg = cfg.withDefaults()
	files := readInbox(t, inbox)
	counties, err := loadCounties()
	require.NoError(t, err)
	known, countyIndex := map[string]bool{}, map[string]int{}
	for ci, c := range counties {
		known[c.code], countyIndex[c.code] = true, ci
	}
	from, _ := parseMonth(cfg.From)
	to, _ := parseMonth(cfg.To)
	truth := &Truth{Seed: cfg.Seed, From: cfg.From, To: cfg.To, Periods: map[string]*PeriodTruth{}}

	type personSet map[string]bool
	employedIn := map[month]personSet{} // accepted employed rows, by month
	vocIn := map[month]personSet{}      // accepted 中职/高职 rows enrolled in the month's year
	matchedEmployedIn, matchedVocIn := map[month]personSet{}, map[month]personSet{}
	salesIn := map[month]map[string]int64{}
	rosters := map[month]map[string]string{} // person → county
	// Collective rows of each month: accepted and matched distributions,
	// and the villages of accepted 按股分红 rows.
	type distribution struct {
		hh   string
		kind string
		fen  int64
	}
	paidIn := map[month][]distribution{}
	dividendIn := map[month]map[string]bool{}

	for p := from; p <= to; p++ {
		pt := &PeriodTruth{Files: map[string]FileTruth{}, Missing: []string{}}
		persons, households := map[string]string{}, map[string]bool{}
		employedIn[p], vocIn[p] = personSet{}, personSet{}
		matchedEmployedIn[p], matchedVocIn[p] = personSet{}, personSet{}
		salesIn[p] = map[string]int64{}
		dividendIn[p] = map[string]bool{}
		heads := map[string]string{}     // ID of an accepted 户主 row → household
		hhVillage := map[string]string{} // household → village, from accepted roster rows
		var housing *HousingTruth
		var water *WaterTruth
		housingRows, housingSafe := map[string]bool{}, map[string]bool{}
		waterRows, waterSafe := map[string]bool{}, map[string]bool{}
		// The roster first, then the other sources in load order.
		for si, src := range contracts {
			if !cfg.enabled(si) {
				continue
			}
			e := files[p.String()+"/"+src.Name+".csv"]
			if e == nil {
				e = files[p.String()+"/"+src.Name+".csv.gz"]
			}
			if e == nil {
				pt.Missing = append(pt.Missing, src.Name)
				continue
			}
			ft := FileTruth{Source: src.Name, Rows: int64(len(e.rows) + e.ragged), Quarantined: map[string]int64{}}
			if e.ragged > 0 {
				ft.Quarantined[ReasonFieldCount] = int64(e.ragged)
			}
			for i, row := range e.rows {
				checkFields(t, e, i+2, row)
				reason, id := "", ""
				idCol := ""
				switch {
				case src.PersonLevel:
					idCol = "id_number"
				case src.Name == Housing || src.Name == Water:
					idCol = "head_id_number"
				}
				if idCol != "" {
					var err error
					if id, err = idnum.Normalize(e.col(row, idCol)); err != nil {
						reason = ReasonIDInvalid
					}
				}
				if reason == "" && src.PeriodColumn != "" {
					if m, _ := parseAnyMonth(e.col(row, src.PeriodColumn)); m != p.String() {
						reason = ReasonPeriodMismatch
					}
				}
				switch src.Name {
				case schemas.Roster:
					county := e.col(row, "village_code")[:6]
					switch {
					case reason != "":
					case !known[county]:
						reason = ReasonUnknownRegion
					case persons[id] != "":
						reason = ReasonDuplicateID
					default:
						persons[id] = county
						hh := e.col(row, "household_no")
						households[hh] = true
						hhVillage[hh] = e.col(row, "village_code")
						if e.col(row, "relation") == "户主" {
							heads[id] = hh
						}
					}
				case schemas.Medical:
					var v [5]int64
					for j, c := range []string{"total_cost", "basic_reimbursement", "critical_reimbursement", "medical_assistance", "out_of_pocket"} {
						v[j], _ = parseAmount(e.col(row, c))
					}
					if d := v[0] - v[1] - v[2] - v[3] - v[4]; reason == "" && (d > 1 || d < -1) {
						reason = ReasonAmountInconsistent
					}
				case schemas.Sales:
					if reason == "" && !known[e.col(row, "county_code")] {
						reason = ReasonUnknownRegion
					}
				case Collective:
					if reason == "" && !known[e.col(row, "village_code")[:6]] {
						reason = ReasonUnknownRegion
					}
				}
				if reason != "" {
					ft.Quarantined[reason]++
					continue
				}
				switch {
				case src.PersonLevel && src.Name != schemas.Roster && persons[id] == "":
					ft.Unmatched++
				case src.Name == schemas.HouseholdIncome && !households[e.col(row, "household_no")]:
					ft.Unmatched++
				case (src.Name == Housing || src.Name == Water) && heads[id] == "":
					ft.Unmatched++
					continue
				case src.Name == Collective:
					if e.col(row, "distribution") == "按股分红" {
						dividendIn[p][e.col(row, "village_code")] = true
					}
					hh := e.col(row, "household_no")
					if !households[hh] || hhVillage[hh] != e.col(row, "village_code") {
						ft.Unmatched++
						continue
					}
					fen, _ := parseAmount(e.col(row, "amount"))
					paidIn[p] = append(paidIn[p], distribution{hh, e.col(row, "distribution"), fen})
				}
				switch src.Name {
				case schemas.Employment:
					if s := e.col(row, "status"); s == "务工就业" || s == "灵活就业" {
						employedIn[p][id] = true
						if persons[id] != "" {
							matchedEmployedIn[p][id] = true
						}
					}
				case schemas.Education:
					enrol, _ := parseAnyMonth(e.col(row, "enrol_month"))
					if st := e.col(row, "stage"); (st == "中职" || st == "高职") && enrol[:4] == p.String()[:4] {
						vocIn[p][id] = true
						if persons[id] != "" {
							matchedVocIn[p][id] = true
						}
					}
				case schemas.Sales:
					fen, _ := parseAmount(e.col(row, "amount"))
					salesIn[p][e.col(row, "county_code")] += fen
				case Housing:
					if housing == nil {
						housing = &HousingTruth{UnsafeNotPlanned: []string{}, RenovationStalled: []string{}}
					}
					hh := heads[id]
					housingRows[hh] = true
					grade, status := e.col(row, "safety_grade"), e.col(row, "renovation_status")
					appraisal, _ := parseAnyMonth(e.col(row, "appraisal_month"))
					planned := yesNo[e.col(row, "in_renovation_plan")]
					unsafe := (grade == "C级" || grade == "D级") && status != "竣工"
					if !unsafe {
						housingSafe[hh] = true
					}
					am, _ := parseMonth(appraisal)
					switch {
					case unsafe && !planned:
						housing.UnsafeNotPlanned = append(housing.UnsafeNotPlanned, hh)
					case unsafe && int(p)-int(am) > 12:
						housing.RenovationStalled = append(housing.RenovationStalled, hh)
					}
				case Water:
					if water == nil {
						water = &WaterTruth{Unsafe: []string{}, SeasonalShortage: []string{}}
					}
					hh := heads[id]
					waterRows[hh] = true
					safe := true
					for _, c := range []string{"quantity_ok", "quality_ok", "convenience_ok", "assurance_ok"} {
						safe = safe && yesNo[e.col(row, c)]
					}
					if safe {
						waterSafe[hh] = true
					} else {
						water.Unsafe = append(water.Unsafe, hh)
					}
					if yesNo[e.col(row, "seasonal_shortage")] {
						water.SeasonalShortage = append(water.SeasonalShortage, hh)
					}
				}
			}
			pt.Files[e.rel] = ft
			switch {
			case src.Name == Housing && housing == nil:
				housing = &HousingTruth{UnsafeNotPlanned: []string{}, RenovationStalled: []string{}}
			case src.Name == Water && water == nil:
				water = &WaterTruth{Unsafe: []string{}, SeasonalShortage: []string{}}
			}
		}
		rosters[p] = persons
		pt.RosterPersons, pt.Households = int64(len(persons)), int64(len(households))

		employed, matchedEmployed, voc, matchedVoc := personSet{}, personSet{}, personSet{}, personSet{}
		sales := make([]int64, len(counties))
		for m := max(from, p.yearStart()); m <= p; m++ {
			maps.Copy(employed, employedIn[m])
			maps.Copy(matchedEmployed, matchedEmployedIn[m])
			maps.Copy(voc, vocIn[m])
			maps.Copy(matchedVoc, matchedVocIn[m])
			for ci, c := range counties {
				sales[ci] += salesIn[m][c.code]
			}
		}
		count := func(set personSet) []int64 {
			out := make([]int64, len(counties))
			for id := range set {
				if c, ok := persons[id]; ok {
					out[countyIndex[c]]++
				}
			}
			return out
		}
		g := &generator{counties: counties}
		pt.EmployedPersonsYTD = g.byRegion(count(employed))
		// Counting only rows matched in their own month gives the same
		// figures: the generator keeps such people's roster rows clean.
		require.Equal(t, pt.EmployedPersonsYTD, g.byRegion(count(matchedEmployed)), "period %s", p)
		pt.VocationalNewEnrollmentYTD = g.byRegion(count(voc))
		require.Equal(t, pt.VocationalNewEnrollmentYTD, g.byRegion(count(matchedVoc)), "period %s", p)
		pt.HelpSalesYTDFen = g.byRegion(sales)

		rate := func(rows, safe map[string]bool) map[string]Ratio {
			den, num := make([]int64, len(counties)), make([]int64, len(counties))
			for hh := range rows {
				ci := countyIndex[hhVillage[hh][:6]]
				den[ci]++
				if safe[hh] {
					num[ci]++
				}
			}
			out := map[string]Ratio{}
			d, n := g.byRegion(den), g.byRegion(num)
			for code := range d {
				out[code] = Ratio{Numerator: n[code], Denominator: d[code]}
			}
			return out
		}
		if housing != nil {
			housing.SafeRate = rate(housingRows, housingSafe)
			slices.Sort(housing.UnsafeNotPlanned)
			slices.Sort(housing.RenovationStalled)
			pt.Housing = housing
		}
		if water != nil {
			water.SafeRate = rate(waterRows, waterSafe)
			slices.Sort(water.Unsafe)
			slices.Sort(water.SeasonalShortage)
			pt.Water = water
		}
		if cfg.enabled(srcCollective) {
			ct := &CollectiveTruth{PaidFen: map[string]CollectiveFen{}, DividendVillages: []string{}, ShareMissing: []string{}}
			villages, received := map[string]bool{}, map[string]bool{}
			for m := max(from, p.yearStart()); m <= p; m++ {
				maps.Copy(villages, dividendIn[m])
				for _, d := range paidIn[m] {
					received[d.hh] = true
					if m != p {
						continue
					}
					a := ct.PaidFen[d.hh]
					switch d.kind {
					case "按劳分配":
						a.Labor += d.fen
					case "兜底救助":
						a.Relief += d.fen
					case "按股分红":
						a.Dividend += d.fen
					}
					ct.PaidFen[d.hh] = a
				}
			}
			ct.DividendVillages = append(ct.DividendVillages, slices.Sorted(maps.Keys(villages))...)
			for hh := range households {
				if !received[hh] && villages[hhVillage[hh]] {
					ct.ShareMissing = append(ct.ShareMissing, hh)
				}
			}
			slices.Sort(ct.ShareMissing)
			pt.Collective = ct
		}
		truth.Periods[p.String()] = pt
	}
	return truth
}
