package rules_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
	"zengshou/transforms/privacy"
	"zengshou/transforms/rules"
)

// Valid, normalised ID numbers of persons born in 于都县 (the DUPLICATE_PERSON
// cases; prefixed so as not to collide with the other rule tests).
const (
	dupA = "360731198001011002"
	dupB = "360731198001011010"
	dupC = "360731198001011029"
)

// Village codes of 于都县 (360731) and 进贤县 (360124).
const (
	dupYudu    = "360731100201"
	dupJinxian = "360124200301"
)

// dupRow is a roster row as the tests write it; its file line is its
// position + 2.
type dupRow struct{ id, household, relation, village string }

// rosterDuplicates runs the roster rows through join.NewRosterBuilder, as the
// pipeline does, and returns the duplicate persons it records.
func rosterDuplicates(t *testing.T, mem memory.Allocator, rows []dupRow) []join.DuplicatePerson {
	t.Helper()
	persons := make([]fixture.Person, len(rows))
	for i, r := range rows {
		persons[i] = fixture.Person{ID: r.id, Household: r.household, Relation: r.relation, Village: r.village, Size: 1}
	}
	rec := fixture.RosterBatch(t, mem, persons)
	defer rec.Release()
	rb := join.NewRosterBuilder(mem)
	rb.Add(rec)
	roster, err := rb.Finish(context.Background())
	require.NoError(t, err)
	roster.Release()
	return rb.Duplicates()
}

// dupInput is the rules.Input of the duplicates, keyed like the pipeline keys
// persons and households.
func dupInput(t *testing.T, keyer *privacy.Keyer, dups []join.DuplicatePerson) *rules.Input {
	t.Helper()
	return &rules.Input{Duplicates: dups, HouseholdKey: keyer.HouseholdKey, PersonKey: keyer.PersonKey}
}

// evalDuplicatePerson evaluates DUPLICATE_PERSON alone.
func evalDuplicatePerson(in *rules.Input) []rules.Finding {
	var out []rules.Finding
	rules.DuplicatePerson.Eval(in, func(f rules.Finding) { out = append(out, f) })
	return out
}

// dupFinding is what a DUPLICATE_PERSON finding says, keys in clear for the
// test: the person's ID, and the county and number of the household kept.
type dupFinding struct {
	id, county, household string
	// detail holds fragments the Chinese detail must contain.
	detail []string
}

// TestDuplicatePerson: an ID in two or more roster households yields one
// high-severity finding per ID, on the household kept (the first in file
// order), whose Chinese detail names where the other registration is and
// never the ID number itself.
func TestDuplicatePerson(t *testing.T) {
	tests := []struct {
		name string
		rows []dupRow
		want []dupFinding
	}{
		{
			name: "an ID in two households of one county",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupB, "H001", "配偶", dupYudu},
				{dupA, "H002", "子女", dupYudu},
			},
			want: []dupFinding{{dupA, "360731", "H001", []string{"两个户", "360731", "名册第4行"}}},
		},
		{
			name: "an ID in three households: one finding, on the first household",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupA, "H002", "户主", dupYudu},
				{dupA, "H003", "户主", dupYudu},
			},
			want: []dupFinding{{dupA, "360731", "H001", []string{"名册第3行"}}},
		},
		{
			name: "the other household in another county is named by its county",
			rows: []dupRow{
				{dupA, "H001", "户主", dupJinxian},
				{dupA, "H001", "户主", dupYudu},
			},
			want: []dupFinding{{dupA, "360124", "H001", []string{"另一户在360731", "名册第3行"}}},
		},
		{
			name: "two duplicated IDs: one finding each, in file order",
			rows: []dupRow{
				{dupB, "H001", "户主", dupYudu},
				{dupA, "H002", "户主", dupYudu},
				{dupA, "H003", "户主", dupJinxian},
				{dupB, "H004", "户主", dupYudu},
				{dupA, "H005", "户主", dupYudu},
			},
			want: []dupFinding{
				{dupA, "360731", "H002", []string{"另一户在360124", "名册第4行"}},
				{dupB, "360731", "H001", []string{"另一户在360731", "名册第5行"}},
			},
		},
		{
			name: "an ID twice in one other household: two households, both lines named",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupA, "H002", "户主", dupYudu},
				{dupA, "H002", "子女", dupYudu},
			},
			want: []dupFinding{{dupA, "360731", "H001", []string{"两个户", "另一户在360731, 名册第3、4行"}}},
		},
		{
			name: "households A, B, B, C: three households",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupA, "H002", "户主", dupYudu},
				{dupA, "H002", "子女", dupYudu},
				{dupA, "H003", "户主", dupJinxian},
			},
			want: []dupFinding{{dupA, "360731", "H001", []string{"3个户", "另一户在360731, 名册第3、4行; 另一户在360124, 名册第5行"}}},
		},
		{
			name: "an ID repeated within its household is not a duplicate person",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupA, "H001", "户主", dupYudu},
			},
		},
		{
			name: "no duplicates, no findings",
			rows: []dupRow{
				{dupA, "H001", "户主", dupYudu},
				{dupB, "H001", "配偶", dupYudu},
				{dupC, "H002", "户主", dupYudu},
			},
		},
	}
	keyer, err := privacy.NewKeyer([]byte("rules-test-key-0123456789"))
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			got := evalDuplicatePerson(dupInput(t, keyer, rosterDuplicates(t, mem, tc.rows)))

			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				f := got[i]
				require.Equal(t, keyer.PersonKey(w.id), f.PersonKey, "finding %d: person", i)
				require.Equal(t, keyer.HouseholdKey(w.county, w.household), f.HouseholdKey, "finding %d: household kept", i)
				require.Equal(t, w.county, f.County, "finding %d: county", i)
				require.Contains(t, f.Detail, "身份证号", "the detail says what is duplicated")
				for _, frag := range w.detail {
					require.Contains(t, f.Detail, frag)
				}
				for _, id := range []string{dupA, dupB, dupC} {
					require.NotContains(t, f.Detail, id)
					require.NotContains(t, f.Detail, id[6:14], "no birth date either")
				}
			}
		})
	}
}

// TestDuplicatePersonIsHighSeverity pins the rule's code and severity as
// domain.md lists them.
func TestDuplicatePersonIsHighSeverity(t *testing.T) {
	require.Equal(t, "DUPLICATE_PERSON", rules.DuplicatePerson.Code)
	require.Equal(t, rules.High, rules.DuplicatePerson.Severity)
}

// TestDuplicatePersonDetailOfAnIDInThreeHouseholds: a finding names the
// figures that triggered it (domain.md); with an ID in three households,
// both quarantined registrations are those figures.
func TestDuplicatePersonDetailOfAnIDInThreeHouseholds(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	keyer, err := privacy.NewKeyer([]byte("rules-test-key-0123456789"))
	require.NoError(t, err)
	got := evalDuplicatePerson(dupInput(t, keyer, rosterDuplicates(t, mem, []dupRow{
		{dupA, "H001", "户主", dupYudu},
		{dupA, "H002", "户主", dupYudu},
		{dupA, "H003", "户主", dupYudu},
	})))
	require.Len(t, got, 1)
	require.Contains(t, got[0].Detail, "名册第3行")
	require.Contains(t, got[0].Detail, "名册第4行")
	require.False(t, strings.Contains(got[0].Detail, "两个户"), "the ID is in three households: %s", got[0].Detail)
}
