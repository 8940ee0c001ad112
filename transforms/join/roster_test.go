package join_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
)

// Valid, normalised ID numbers.
const (
	idA = "360731198001011002"
	idB = "360731198001011010"
	idC = "360731198001011029"
	idD = "360124197503151004"
	idE = "360124197503151012"
)

// Village codes of 于都县 (360731) and 进贤县 (360124).
const (
	yudu    = "360731100201"
	jinxian = "360124200301"
)

func TestRosterBuilderDuplicates(t *testing.T) {
	tests := []struct {
		name    string
		batches [][]fixture.Person
		// kept are the roster's IDs in row order.
		kept []string
		// rejectedLines are the lines quarantined as DUPLICATE_ID.
		rejectedLines []int64
		duplicates    []join.DuplicatePerson
	}{
		{
			name: "same ID in a second household",
			batches: [][]fixture.Person{{
				{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 2, Line: 2},
				{ID: idB, Household: "H001", Relation: "配偶", Village: yudu, Size: 2, Line: 3},
				{ID: idA, Household: "H002", Relation: "子女", Village: yudu, Size: 1, Line: 4},
			}},
			kept:          []string{idA, idB},
			rejectedLines: []int64{4},
			duplicates: []join.DuplicatePerson{
				{ID: idA, Household: "H001", County: "360731", OtherHousehold: "H002", OtherCounty: "360731", Line: 4},
			},
		},
		{
			name: "same ID twice in the same household is a repeated row, not a duplicate person",
			batches: [][]fixture.Person{{
				{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 2, Line: 2},
				{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 2, Line: 3},
				{ID: idB, Household: "H001", Relation: "配偶", Village: yudu, Size: 2, Line: 4},
			}},
			kept:          []string{idA, idB},
			rejectedLines: []int64{3},
		},
		{
			name: "same household number in another county is another household",
			batches: [][]fixture.Person{{
				{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 1, Line: 2},
				{ID: idA, Household: "H001", Relation: "户主", Village: jinxian, Size: 1, Line: 3},
			}},
			kept:          []string{idA},
			rejectedLines: []int64{3},
			duplicates: []join.DuplicatePerson{
				{ID: idA, Household: "H001", County: "360731", OtherHousehold: "H001", OtherCounty: "360124", Line: 3},
			},
		},
		{
			name: "duplicate across batches: the first batch's row is the person",
			batches: [][]fixture.Person{
				{{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 1, Line: 2}},
				{{ID: idD, Household: "H009", Relation: "户主", Village: jinxian, Size: 2, Line: 3},
					{ID: idA, Household: "H009", Relation: "配偶", Village: jinxian, Size: 2, Line: 4}},
			},
			kept:          []string{idA, idD},
			rejectedLines: []int64{4},
			duplicates: []join.DuplicatePerson{
				{ID: idA, Household: "H001", County: "360731", OtherHousehold: "H009", OtherCounty: "360124", Line: 4},
			},
		},
		{
			name: "ID in three households: each later row is quarantined against the first",
			batches: [][]fixture.Person{{
				{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 1, Line: 2},
				{ID: idA, Household: "H002", Relation: "户主", Village: yudu, Size: 1, Line: 3},
				{ID: idA, Household: "H003", Relation: "户主", Village: yudu, Size: 1, Line: 4},
			}},
			kept:          []string{idA},
			rejectedLines: []int64{3, 4},
			// Two records; rules.DuplicatePerson writes one finding per ID.
			duplicates: []join.DuplicatePerson{
				{ID: idA, Household: "H001", County: "360731", OtherHousehold: "H002", OtherCounty: "360731", Line: 3},
				{ID: idA, Household: "H001", County: "360731", OtherHousehold: "H003", OtherCounty: "360731", Line: 4},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			roster, rejected, dups := buildRoster(t, mem, tc.batches...)
			defer roster.Release()

			require.Equal(t, tc.kept, rosterIDs(roster))
			var lines []int64
			for _, r := range rejected {
				require.Equal(t, schemas.ReasonDuplicateID, r.Reason)
				require.NotEmpty(t, r.Detail)
				lines = append(lines, r.Line)
				var obj map[string]string
				require.NoError(t, json.Unmarshal([]byte(r.Row), &obj), r.Row)
				require.Equal(t, "360731********1002", obj["身份证号"], "ID masked in the quarantine row")
				require.NotContains(t, r.Row+r.Detail, idA)
			}
			require.Equal(t, tc.rejectedLines, lines)
			require.Equal(t, tc.duplicates, dups)
		})
	}
}

// TestRosterFinishKeepsFileOrder adds several batches (one empty, one with a
// duplicate) and checks the roster rows and the index follow file order.
func TestRosterFinishKeepsFileOrder(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	roster, rejected, _ := buildRoster(t, mem,
		[]fixture.Person{
			{ID: idC, Household: "H001", Relation: "户主", Village: yudu, Size: 3, Line: 2},
			{ID: idA, Household: "H001", Relation: "配偶", Village: yudu, Size: 3, Line: 3},
		},
		nil,
		[]fixture.Person{
			{ID: idE, Household: "H002", Relation: "户主", Village: jinxian, Size: 1, Line: 4},
			{ID: idC, Household: "H001", Relation: "户主", Village: yudu, Size: 3, Line: 5},
		},
		[]fixture.Person{
			{ID: idB, Household: "H001", Relation: "子女", Village: yudu, Size: 3, Line: 6},
			{ID: idD, Household: "H003", Relation: "户主", Village: jinxian, Size: 1, Line: 7},
		},
	)
	defer roster.Release()
	require.Len(t, rejected, 1)
	require.Equal(t, int64(5), rejected[0].Line)

	require.Equal(t, 5, roster.Len())
	require.Equal(t, []string{idC, idA, idE, idB, idD}, rosterIDs(roster))
	require.Equal(t, []int64{2, 3, 4, 6, 7}, rosterLines(roster))
	require.True(t, roster.Rec.Schema().Equal(rosterSource.TypedSchema()))
	hh := roster.Rec.Column(rosterSource.ColumnIndex("household_no")).(*array.String)
	require.Equal(t, "H003", hh.Value(4))
	for want, id := range []string{idC, idA, idE, idB, idD} {
		row, ok := roster.Row(id)
		require.True(t, ok, id)
		require.Equal(t, int32(want), row, id)
	}
	_, ok := roster.Row("360731198001011037")
	require.False(t, ok)
}

func TestRosterFinishWithoutBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	roster, err := join.NewRosterBuilder(mem).Finish(context.Background())
	require.NoError(t, err)
	defer roster.Release()
	require.Equal(t, 0, roster.Len())
	require.True(t, roster.Rec.Schema().Equal(rosterSource.TypedSchema()))
}

// TestRosterLookup joins a department's ID column onto the roster: each row
// gets its roster index, or null (and counts as unmatched) when the person
// is not on the roster.
func TestRosterLookup(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	roster, _, _ := buildRoster(t, mem, []fixture.Person{
		{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 2, Line: 2},
		{ID: idB, Household: "H001", Relation: "配偶", Village: yudu, Size: 2, Line: 3},
		{ID: idD, Household: "H002", Relation: "户主", Village: jinxian, Size: 1, Line: 4},
	})
	defer roster.Release()

	ib := array.NewStringBuilder(mem)
	defer ib.Release()
	ib.AppendValues([]string{idD, idC, idA, idD, "", idE}, nil)
	ib.AppendNull()
	ids := ib.NewStringArray()
	defer ids.Release()

	rows, unmatched := roster.Lookup(ids, mem)
	defer rows.Release()
	require.Equal(t, ids.Len(), rows.Len())
	want := []*int32{ptr[int32](2), nil, ptr[int32](0), ptr[int32](2), nil, nil, nil}
	for i, w := range want {
		if w == nil {
			require.True(t, rows.IsNull(i), "row %d: not on the roster", i)
			continue
		}
		require.True(t, rows.IsValid(i), "row %d", i)
		require.Equal(t, *w, rows.Value(i), "row %d", i)
	}
	require.Equal(t, 4, unmatched)
	require.Equal(t, 4, rows.NullN())
}

func ptr[T any](v T) *T { return &v }

// TestRosterBuildersOfTwoCitiesFindTheDuplicatesOfOne splits a roster with
// IDs registered in households of two cities (于都, 赣州市; 进贤, 南昌市)
// between two per-city builders, each seeing every row and keeping its own
// cities' (Elsewhere names the others). Between them they keep exactly the
// persons one builder of the whole roster keeps, quarantine exactly its
// lines (each in the run of the quarantined row's city), and record its
// duplicates (each in the run that keeps the ID's first row, where the
// finding about that household is written).
func TestRosterBuildersOfTwoCitiesFindTheDuplicatesOfOne(t *testing.T) {
	people := []fixture.Person{
		{ID: idA, Household: "H001", Relation: "户主", Village: yudu, Size: 1, Line: 2},
		{ID: idD, Household: "H009", Relation: "户主", Village: jinxian, Size: 2, Line: 3},
		{ID: idA, Household: "H009", Relation: "配偶", Village: jinxian, Size: 2, Line: 4},
		{ID: idE, Household: "H010", Relation: "户主", Village: jinxian, Size: 1, Line: 5},
		{ID: idE, Household: "H005", Relation: "户主", Village: yudu, Size: 1, Line: 6},
		{ID: idA, Household: "H002", Relation: "户主", Village: yudu, Size: 1, Line: 7},
		{ID: idB, Household: "H003", Relation: "户主", Village: yudu, Size: 1, Line: 8},
	}
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	whole, wholeRejected, wholeDups := buildRoster(t, mem, people)
	defer whole.Release()

	var kept []string
	var lines []int64
	var dups []join.DuplicatePerson
	var elsewhere int64
	for _, city := range []string{"3607", "3601"} {
		b := join.NewRosterBuilder(mem)
		b.Elsewhere = func(county string) bool { return county[:4] != city }
		rec := fixture.RosterBatch(t, mem, people)
		for _, r := range b.Add(rec) {
			lines = append(lines, r.Line)
		}
		rec.Release()
		roster, err := b.Finish(context.Background())
		require.NoError(t, err)
		for _, id := range rosterIDs(roster) {
			kept = append(kept, strings.Clone(id))
		}
		roster.Release()
		dups = append(dups, b.Duplicates()...)
		elsewhere += b.ElsewhereRows()
	}
	require.ElementsMatch(t, rosterIDs(whole), kept)
	var wholeLines []int64
	for _, r := range wholeRejected {
		wholeLines = append(wholeLines, r.Line)
	}
	require.Equal(t, []int64{4, 6, 7}, wholeLines)
	require.ElementsMatch(t, wholeLines, lines)
	require.ElementsMatch(t, wholeDups, dups)
	require.Equal(t, int64(len(people)), elsewhere, "each row is elsewhere for exactly one of the two runs")
}
