package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// smallConfig is a province small enough for unit tests whose months cross
// a year end (the YTD indicators restart), include September (vocational
// enrolment) and the Spring Festival (travel subsidies).
func smallConfig(dirty bool) Config {
	cfg := Clean()
	if dirty {
		cfg = DefaultConfig()
		cfg.Dirty = DirtyRates{
			IDForms: 0.03, IDInvalid: 0.03, AmountForms: 0.03, MonthForms: 0.03,
			PeriodMismatch: 0.03, MedicalInconsistent: 0.03, DuplicatePerson: 0.03,
			UnknownRegion: 0.03, UnmatchedPersons: 0.03, Ragged: 0.03,
		}
	}
	cfg.Seed = 7
	cfg.Households = 400
	cfg.From, cfg.To = "2024-08", "2025-03"
	return cfg
}

// generate writes the inbox of cfg into a temporary directory.
func generate(t *testing.T, cfg Config) (*Truth, string) {
	t.Helper()
	dir := t.TempDir()
	truth, err := Generate(context.Background(), cfg, dir)
	require.NoError(t, err)
	return truth, dir
}

// readTree returns every file of the directory by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	require.NoError(t, err)
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := smallConfig(true)
	var a map[string][]byte
	for _, departments := range [][]string{Departments, nil} {
		cfg.Departments = departments
		_, first := generate(t, cfg)
		// The second run on one CPU: the bytes must not depend on scheduling.
		prev := runtime.GOMAXPROCS(1)
		_, second := generate(t, cfg)
		runtime.GOMAXPROCS(prev)
		var b map[string][]byte
		a, b = readTree(t, first), readTree(t, second)
		require.Equal(t, len(a), len(b))
		for name, content := range a {
			require.True(t, bytes.Equal(content, b[name]), "%s differs between runs", name)
		}
	}

	cfg.Seed++
	_, other := generate(t, cfg)
	require.NotEqual(t, a["2024-08/roster.csv"], readTree(t, other)["2024-08/roster.csv"], "another seed, another province")
}

func TestGenerateWritesEverySourceWithItsHeader(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"clean", smallConfig(false)},
		{"shuffled with extra column", smallConfig(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, dir := generate(t, tc.cfg)
			files := readInbox(t, dir)
			require.Len(t, files, 8*8, "eight sources in each of eight months")
			for rel, e := range files {
				want := make([]string, 0, len(e.src.Columns)+1)
				for _, c := range e.src.Columns {
					want = append(want, c.Header)
				}
				if tc.cfg.ExtraColumn {
					want = append(want, ExtraColumnHeader)
				}
				if tc.cfg.ShuffleColumns {
					require.ElementsMatch(t, want, e.header, rel)
				} else {
					require.Equal(t, want, e.header, rel)
				}
				require.NotEmpty(t, e.rows, rel)
			}
		})
	}
}

func TestCleanIDNumbersAreCanonical(t *testing.T) {
	_, dir := generate(t, smallConfig(false))
	seen := map[string]string{}
	for rel, e := range readInbox(t, dir) {
		if !e.src.PersonLevel {
			continue
		}
		for _, row := range e.rows {
			raw := e.col(row, "id_number")
			id, err := idnum.Normalize(raw)
			require.NoError(t, err, "%s: %s", rel, raw)
			require.Equal(t, raw, id, rel)
			if e.src.Name == schemas.Roster {
				require.Equal(t, id[:6], e.col(row, "village_code")[:6], "address code is the county")
				hh := e.col(row, "household_no")
				if prev, ok := seen[rel+id]; ok {
					t.Fatalf("%s: %s listed twice (%s, %s)", rel, id, prev, hh)
				}
				seen[rel+id] = hh
			}
		}
	}
}

func TestFileForms(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   func(*Config)
		check func(t *testing.T, e *extract, raw []byte)
	}{
		{"gb18030", func(c *Config) { c.GB18030Share = 1 }, func(t *testing.T, e *extract, _ []byte) {
			require.Equal(t, "gb18030", e.encoding, e.rel)
		}},
		{"bom", func(c *Config) { c.BOMShare = 1 }, func(t *testing.T, e *extract, _ []byte) {
			require.Equal(t, "utf-8-bom", e.encoding, e.rel)
		}},
		{"gzip", func(c *Config) { c.GzipShare = 1 }, func(t *testing.T, e *extract, raw []byte) {
			require.True(t, e.gzipped, e.rel)
			require.True(t, strings.HasSuffix(e.rel, ".csv.gz"), e.rel)
			require.Equal(t, []byte{0x1f, 0x8b}, raw[:2], e.rel)
		}},
		{"plain", func(c *Config) {}, func(t *testing.T, e *extract, raw []byte) {
			require.Equal(t, "utf-8", e.encoding, e.rel)
			require.False(t, e.gzipped, e.rel)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig(false)
			cfg.From, cfg.To = "2025-01", "2025-02"
			tc.set(&cfg)
			_, dir := generate(t, cfg)
			files := readInbox(t, dir)
			require.Len(t, files, 16)
			for rel, e := range files {
				raw, err := os.ReadFile(filepath.Join(dir, rel))
				require.NoError(t, err)
				tc.check(t, e, raw)
			}
		})
	}
}

func TestTruthMatchesTheFiles(t *testing.T) {
	for _, tc := range []struct {
		name        string
		dirty       bool
		departments []string
	}{{"clean", false, nil}, {"dirty", true, nil}, {"clean with departments", false, Departments}, {"dirty with departments", true, Departments}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig(tc.dirty)
			cfg.Departments = tc.departments
			truth, dir := generate(t, cfg)
			require.Equal(t, recount(t, cfg, dir), truth)

			raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
			require.NoError(t, err)
			var written Truth
			require.NoError(t, json.Unmarshal(raw, &written))
			require.Equal(t, *truth, written)

			for period, p := range truth.Periods {
				require.Positive(t, p.RosterPersons, period)
				require.Less(t, p.Households, p.RosterPersons, period)
				for rel, f := range p.Files {
					if !tc.dirty {
						require.Empty(t, f.Quarantined, rel)
						require.Zero(t, f.Unmatched, rel)
					}
					require.GreaterOrEqual(t, f.Accepted(), f.Unmatched, rel)
				}
			}
			// The indicators are not trivially zero: the months hold
			// employment all along, September enrolments and sales.
			require.Positive(t, truth.Periods["2024-12"].VocationalNewEnrollmentYTD[ProvinceCode])
			require.Positive(t, truth.Periods["2025-03"].EmployedPersonsYTD[ProvinceCode])
			require.Greater(t, truth.Periods["2024-12"].HelpSalesYTDFen[ProvinceCode], truth.Periods["2025-01"].HelpSalesYTDFen[ProvinceCode], "YTD restarts in January")
		})
	}
}

func TestDirtyInboxHasEveryReason(t *testing.T) {
	cfg := smallConfig(true)
	cfg.Departments = Departments
	truth, dir := generate(t, cfg)
	reasons := map[string]int64{}
	ragged := map[string]int64{} // FIELD_COUNT rows by source
	var unmatched int64
	for _, p := range truth.Periods {
		for _, f := range p.Files {
			for r, n := range f.Quarantined {
				reasons[r] += n
			}
			ragged[f.Source] += f.Quarantined[ReasonFieldCount]
			unmatched += f.Unmatched
		}
	}
	for _, r := range []string{ReasonIDInvalid, ReasonDuplicateID, ReasonPeriodMismatch, ReasonAmountInconsistent, ReasonUnknownRegion, ReasonFieldCount} {
		require.Positive(t, reasons[r], r)
	}
	for _, src := range sourceNames {
		require.Positive(t, ragged[src], "ragged rows in %s", src)
	}
	require.Positive(t, unmatched)
	bySource := map[string]map[string]int64{}
	unmatchedBy := map[string]int64{}
	for _, p := range truth.Periods {
		for _, f := range p.Files {
			if bySource[f.Source] == nil {
				bySource[f.Source] = map[string]int64{}
			}
			for r, n := range f.Quarantined {
				bySource[f.Source][r] += n
			}
			unmatchedBy[f.Source] += f.Unmatched
		}
	}
	for _, src := range Departments {
		require.Positive(t, unmatchedBy[src], "unmatched rows in %s", src)
	}
	require.Positive(t, bySource[Housing][ReasonIDInvalid])
	require.Positive(t, bySource[Water][ReasonIDInvalid])
	require.Positive(t, bySource[Collective][ReasonPeriodMismatch])
	require.Positive(t, bySource[Collective][ReasonUnknownRegion])

	// Every repairable form occurs somewhere.
	var all strings.Builder
	for _, e := range readInbox(t, dir) {
		for _, row := range e.rows {
			all.WriteString(strings.Join(row, "|"))
			all.WriteByte('\n')
		}
	}
	text := all.String()
	for _, form := range []string{"'36", "３６", "￥", "年", "E+17", "/"} {
		require.Contains(t, text, form)
	}
	require.Regexp(t, `(?m)^36\d{13}\|`, text, "15-digit legacy numbers")
	require.Regexp(t, `\d,\d{3}\.\d\d`, text, "thousands separators")
}

func TestMedicalRowsAreConsistentWhenClean(t *testing.T) {
	_, dir := generate(t, smallConfig(false))
	costs := 0
	for rel, e := range readInbox(t, dir) {
		if e.src.Name != schemas.Medical {
			continue
		}
		for _, row := range e.rows {
			var v [5]int64
			for j, c := range []string{"total_cost", "basic_reimbursement", "critical_reimbursement", "medical_assistance", "out_of_pocket"} {
				n, err := parseAmount(e.col(row, c))
				require.NoError(t, err)
				v[j] = n
			}
			require.Equal(t, v[0]-v[1]-v[2]-v[3], v[4], rel)
			require.Equal(t, rel[:4], e.col(row, "insurance_year"))
			if v[0] > 0 {
				costs++
			}
		}
	}
	require.Positive(t, costs)
}

func TestMissingSourcesAreNotWritten(t *testing.T) {
	cfg := smallConfig(false)
	cfg.MissingSources = map[string][]string{"2024-09": {schemas.Sales, schemas.Employment}}
	truth, dir := generate(t, cfg)
	p := truth.Periods["2024-09"]
	require.Equal(t, []string{schemas.Employment, schemas.Sales}, p.Missing)
	require.Len(t, p.Files, 6)
	entries, err := os.ReadDir(filepath.Join(dir, "2024-09"))
	require.NoError(t, err)
	for _, e := range entries {
		require.False(t, strings.HasPrefix(e.Name(), "sales") || strings.HasPrefix(e.Name(), "employment"), e.Name())
	}
	require.Equal(t, truth.Periods["2024-08"].HelpSalesYTDFen, p.HelpSalesYTDFen, "no sales delivered in September")
	require.Empty(t, truth.Periods["2024-10"].Missing)
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, smallConfig(false), t.TempDir())
	require.ErrorIs(t, err, context.Canceled)
}

func TestGenerateRejectsInvalidConfig(t *testing.T) {
	cfg := smallConfig(false)
	cfg.Households = -1
	dir := t.TempDir()
	_, err := Generate(context.Background(), cfg, dir)
	require.ErrorContains(t, err, "households")
	entries, _ := os.ReadDir(dir)
	require.Empty(t, entries, "nothing written")
}

func TestRegionKeysCoverTheProvince(t *testing.T) {
	truth, _ := generate(t, smallConfig(false))
	counties, err := loadCounties()
	require.NoError(t, err)
	keys := map[string]bool{ProvinceCode: true}
	for _, c := range counties {
		keys[c.code], keys[c.city] = true, true
	}
	for _, p := range truth.Periods {
		for _, m := range []map[string]int64{p.EmployedPersonsYTD, p.HelpSalesYTDFen, p.VocationalNewEnrollmentYTD} {
			got := make([]string, 0, len(m))
			for k := range m {
				got = append(got, k)
			}
			want := make([]string, 0, len(keys))
			for k := range keys {
				want = append(want, k)
			}
			slices.Sort(got)
			slices.Sort(want)
			require.Equal(t, want, got)
		}
	}
}

func TestTinyProvinces(t *testing.T) {
	for _, households := range []int{1, 7, 60} {
		t.Run(fmt.Sprint(households), func(t *testing.T) {
			cfg := smallConfig(true)
			cfg.Households = households
			cfg.From, cfg.To = "2025-06", "2025-06"
			truth, dir := generate(t, cfg)
			require.Equal(t, recount(t, cfg, dir), truth)
			require.Len(t, truth.Periods["2025-06"].Files, 8)

			cfg.Departments = Departments
			truth, dir = generate(t, cfg)
			require.Equal(t, recount(t, cfg, dir), truth)
			require.Len(t, truth.Periods["2025-06"].Files, 11)
		})
	}
}
