package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
)

// treeDigest is the SHA-256 of every file of the inbox, by sorted path.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	tree := readTree(t, dir)
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(tree)) {
		fmt.Fprintf(h, "%s\x00%d\x00", k, len(tree[k]))
		h.Write(tree[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The digests of smallConfig's inboxes as the generator wrote them before
// the extra departments existed (commit afd4c03). With the departments off
// the inbox, truth.json included, must stay byte for byte the same. A
// deliberate change of the model changes them: recompute and say so in the
// commit.
func TestInboxWithoutDepartmentsIsUnchanged(t *testing.T) {
	for _, tc := range []struct {
		dirty  bool
		digest string
	}{
		{true, "7a9853b08011b7b371a69a7d68a593e034e0e90dd9f75233ea9c279d21b5206e"},
		{false, "a10e9c731e0adfad0dd8a2a336133ea975b31e2da122471d1fa796bd0669d69e"},
	} {
		_, dir := generate(t, smallConfig(tc.dirty))
		require.Equal(t, tc.digest, treeDigest(t, dir), "dirty=%v", tc.dirty)
	}
}

// Enabling the departments adds their files and truth and changes no byte
// of the other files.
func TestDepartmentsOnlyAddFiles(t *testing.T) {
	cfg := smallConfig(true)
	_, offDir := generate(t, cfg)
	cfg.Departments = slices.Clone(Departments)
	_, onDir := generate(t, cfg)
	off, on := readTree(t, offDir), readTree(t, onDir)
	added := 0
	for name, b := range on {
		if prev, ok := off[name]; ok {
			if name != "truth.json" {
				require.Equal(t, prev, b, "%s changed when the departments were enabled", name)
			}
			continue
		}
		stem := name[8:]
		stem = stem[:strings.IndexByte(stem, '.')]
		require.Contains(t, Departments, stem, name)
		added++
	}
	require.Equal(t, 3*8, added, "three departments in each of eight months")
	require.Len(t, on, len(off)+added)

	// Generating again without them removes their files: a pipeline that
	// does not know them would refuse the inbox.
	cfg.Departments = nil
	_, err := Generate(context.Background(), cfg, onDir)
	require.NoError(t, err)
	require.Equal(t, off, readTree(t, onDir))
}

// A missing department is not written and is listed as missing; its truth
// is absent for the period.
func TestMissingDepartmentIsNotWritten(t *testing.T) {
	cfg := smallConfig(false)
	cfg.Departments = Departments
	cfg.MissingSources = map[string][]string{"2024-09": {Water, schemas.Sales}}
	truth, dir := generate(t, cfg)
	p := truth.Periods["2024-09"]
	require.Equal(t, []string{schemas.Sales, Water}, p.Missing)
	require.Len(t, p.Files, 9)
	require.Nil(t, p.Water)
	require.NotNil(t, p.Housing)
	require.NotNil(t, truth.Periods["2024-10"].Water)
	_, err := os.Stat(filepath.Join(dir, "2024-09", "water.csv"))
	require.ErrorIs(t, err, fs.ErrNotExist)
}

// TestDepartmentsAreRealistic reads back a clean year of a mid-sized
// province with the departments and checks their shares against what
// inputs.md and domain.md lead one to expect of Jiangxi.
func TestDepartmentsAreRealistic(t *testing.T) {
	cfg := Clean()
	cfg.Seed, cfg.Households = 11, 4000
	cfg.Departments = Departments
	truth, dir := generate(t, cfg)
	p := &province{cfg: cfg, files: readInbox(t, dir)}
	households := func(mon int) map[string]string { // household → village
		roster := p.extract(mon, schemas.Roster)
		out := map[string]string{}
		for _, row := range roster.rows {
			out[roster.col(row, "household_no")] = roster.col(row, "village_code")
		}
		return out
	}
	share := func(n, of int) float64 { return float64(n) / float64(of) }

	t.Run("housing", func(t *testing.T) {
		var completed, stalledEver int
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, Housing)
			nHH := len(households(mon))
			require.InDelta(t, 0.90, share(len(e.rows), nHH), 0.03, "appraised households in month %d", mon)
			danger, planned := 0, 0
			for _, row := range e.rows {
				grade, status := e.col(row, "safety_grade"), e.col(row, "renovation_status")
				appraisal := e.col(row, "appraisal_month")
				require.LessOrEqual(t, appraisal, fmt.Sprintf("2025-%02d", mon), "an appraisal in force is not in the future")
				if grade == "A级" || grade == "B级" {
					require.Empty(t, status+e.col(row, "completion_month")+e.col(row, "danger_cause"), "a safe dwelling has no renovation")
					require.False(t, yesNo[e.col(row, "in_renovation_plan")])
					continue
				}
				danger++
				require.NotEmpty(t, e.col(row, "danger_cause"))
				if yesNo[e.col(row, "in_renovation_plan")] {
					planned++
					require.Contains(t, renovationNames, status)
				} else {
					require.Empty(t, status, "改造状态 is empty when not in a plan")
				}
				if status == "竣工" {
					require.NotEmpty(t, e.col(row, "completion_month"))
					if mon == 12 && e.col(row, "completion_month") >= "2025-01" {
						completed++
					}
				} else {
					require.Empty(t, e.col(row, "completion_month"))
				}
			}
			// A few % of households live in C级/D级 dwellings, most of
			// them in a renovation plan.
			require.InDelta(t, 0.035, share(danger, nHH), 0.02, "C级/D级 in month %d", mon)
			require.Greater(t, share(planned, danger), 0.7, "C级/D级 in a plan in month %d", mon)
			ht := truth.Periods[fmt.Sprintf("2025-%02d", mon)].Housing
			require.Positive(t, len(ht.UnsafeNotPlanned), "month %d", mon)
			require.Less(t, len(ht.UnsafeNotPlanned), danger/3, "month %d", mon)
			stalledEver += len(ht.RenovationStalled)
			rate := ht.SafeRate[ProvinceCode]
			require.Equal(t, int64(len(e.rows)), rate.Denominator)
			require.InDelta(t, 0.975, rate.Value(), 0.02, "HOUSING_SAFE_RATE in month %d", mon)
		}
		require.Positive(t, completed, "some renovations are completed during the year")
		require.Positive(t, stalledEver, "some appraisals are older than 12 months and still not completed")
	})

	t.Run("water", func(t *testing.T) {
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, Water)
			nHH := len(households(mon))
			require.InDelta(t, 0.95, share(len(e.rows), nHH), 0.02, "assessed households in month %d", mon)
			unsafe, short := 0, 0
			for _, row := range e.rows {
				fails := 0
				for _, c := range []string{"quantity_ok", "quality_ok", "convenience_ok", "assurance_ok"} {
					if !yesNo[e.col(row, c)] {
						fails++
					}
				}
				require.LessOrEqual(t, fails, 1, "one criterion fails at a time")
				unsafe += fails
				if yesNo[e.col(row, "seasonal_shortage")] {
					short++
				}
			}
			// A few % water-unsafe; seasonal shortage in summer only.
			require.InDelta(t, 0.03, share(unsafe, len(e.rows)), 0.02, "water-unsafe in month %d", mon)
			if mon >= 7 && mon <= 9 {
				require.InDelta(t, 0.045, share(short, len(e.rows)), 0.03, "seasonal shortage in month %d", mon)
			} else {
				require.Zero(t, short, "seasonal shortage in month %d", mon)
			}
			wt := truth.Periods[fmt.Sprintf("2025-%02d", mon)].Water
			require.Len(t, wt.Unsafe, unsafe)
			require.Len(t, wt.SeasonalShortage, short)
			require.Equal(t, int64(len(e.rows)-unsafe), wt.SafeRate[ProvinceCode].Numerator)
		}
		require.Less(t, len(truth.Periods["2025-12"].Water.Unsafe), len(truth.Periods["2025-01"].Water.Unsafe), "some supplies are fixed")
	})

	t.Run("collective", func(t *testing.T) {
		byKind := map[string]map[int]int{}
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, Collective)
			hh := households(mon)
			for _, row := range e.rows {
				require.Equal(t, hh[e.col(row, "household_no")], e.col(row, "village_code"), "a distribution names the household's village")
				kind := e.col(row, "distribution")
				if byKind[kind] == nil {
					byKind[kind] = map[int]int{}
				}
				byKind[kind][mon]++
			}
		}
		for mon := range byKind["按股分红"] {
			require.Contains(t, []int{6, 12}, mon, "dividends at the year end (an interim in June)")
		}
		for mon := range byKind["兜底救助"] {
			require.Contains(t, []int{1, 12}, mon)
		}
		for mon := range byKind["按劳分配"] {
			require.True(t, mon >= 4 && mon <= 11, "按劳分配 in month %d", mon)
		}
		dec := households(12)
		villages := map[string]bool{}
		for _, v := range dec {
			villages[v] = true
		}
		ct := truth.Periods["2025-12"].Collective
		require.InDelta(t, 0.30, share(len(ct.DividendVillages), len(villages)), 0.08, "villages paying dividends")
		inPaying := 0
		for _, v := range dec {
			if slices.Contains(ct.DividendVillages, v) {
				inPaying++
			}
		}
		require.Greater(t, byKind["按股分红"][12], inPaying*8/10, "most households of a paying village hold shares")
		require.InDelta(t, 0.07, share(len(ct.ShareMissing), inPaying), 0.05, "households of a paying village that received nothing")
		require.Positive(t, byKind["按劳分配"][6])
		require.Positive(t, byKind["兜底救助"][1])
		require.Empty(t, truth.Periods["2025-05"].Collective.ShareMissing, "no village paid dividends before June")
	})
}

// TestDepartmentContractsMatchTheEngine compares the generator's copies of
// the departments' contracts with those the engine registers, once it does.
func TestDepartmentContractsMatchTheEngine(t *testing.T) {
	for _, mine := range departmentContracts {
		theirs, err := schemas.SourceByName(mine.Name)
		if err != nil {
			t.Logf("%s: not registered in schemas yet", mine.Name)
			continue
		}
		headers := func(s schemas.Source) map[string]bool {
			out := map[string]bool{}
			for _, c := range s.Columns {
				out[c.Header] = c.Required
			}
			return out
		}
		require.Equal(t, headers(mine), headers(theirs), "%s: headers and required columns", mine.Name)
		period := func(s schemas.Source) string {
			c, _ := s.Column(s.PeriodColumn)
			return c.Header
		}
		require.Equal(t, period(mine), period(theirs), "%s: period column", mine.Name)
		for _, c := range mine.Columns {
			tc := theirs.Columns[slices.IndexFunc(theirs.Columns, func(x schemas.Column) bool { return x.Header == c.Header })]
			require.Equal(t, c.Kind, tc.Kind, "%s.%s: kind", mine.Name, c.Header)
			require.ElementsMatch(t, c.Values, tc.Values, "%s.%s: values", mine.Name, c.Header)
		}
	}
}
