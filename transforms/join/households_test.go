package join_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
)

// member is a roster row of one household in the household tests.
type member struct {
	relation string
	size     int64
}

// TestHouseholdHeadAndSize pins the head (户主 row, else the first member),
// the household size (户主's 家庭人口数; without 户主 the largest; never below
// the member count) and HOUSEHOLD_SIZE_MISMATCH.
func TestHouseholdHeadAndSize(t *testing.T) {
	tests := []struct {
		name     string
		members  []member
		head     int32
		size     int64
		mismatch bool
	}{
		{"户主 listed first", []member{{"户主", 3}, {"配偶", 3}, {"子女", 3}}, 0, 3, false},
		{"户主 listed after a child", []member{{"子女", 3}, {"户主", 3}, {"配偶", 3}}, 1, 3, false},
		{"size above the members listed", []member{{"户主", 5}, {"配偶", 5}}, 0, 5, false},
		{"户主's size wins over a larger one", []member{{"配偶", 5}, {"户主", 3}}, 1, 3, true},
		{"户主's size below the member count", []member{{"户主", 2}, {"配偶", 2}, {"子女", 2}}, 0, 3, true},
		{"户主's smaller size, others larger: member count", []member{{"户主", 2}, {"配偶", 4}, {"子女", 4}}, 0, 3, true},
		{"no 户主: first member, largest size", []member{{"配偶", 4}, {"子女", 3}, {"父母", 4}}, 0, 4, true},
		{"no 户主, agreeing sizes", []member{{"子女", 2}, {"孙子女", 2}}, 0, 2, false},
		{"no 户主, sizes below the member count", []member{{"子女", 1}, {"子女", 1}, {"其他", 1}}, 0, 3, true},
		{"single 户主", []member{{"户主", 1}}, 0, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			people := make([]fixture.Person, len(tc.members))
			for i, m := range tc.members {
				people[i] = fixture.Person{ID: nthID(100 + i), Household: "H001", Relation: m.relation, Village: yudu, Size: m.size, Line: int64(i + 2)}
			}
			roster, _, _ := buildRoster(t, mem, people)
			defer roster.Release()

			hhs, of := join.Households(roster)
			require.Len(t, hhs, 1)
			hh := hhs[0]
			require.Equal(t, tc.head, hh.Head, "head")
			require.Equal(t, tc.size, hh.Size, "size")
			require.Equal(t, tc.mismatch, hh.SizeMismatch, "size mismatch")
			require.Len(t, hh.Members, len(tc.members))
			for i := range of {
				require.Equal(t, int32(0), of[i])
				require.Equal(t, int32(i), hh.Members[i])
			}
		})
	}
}

// TestHouseholdsGrouping pins households in order of first appearance, keyed
// by county and 户编号, members in file order, and the household of each row.
func TestHouseholdsGrouping(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	roster, _, _ := buildRoster(t, mem, []fixture.Person{
		{ID: nthID(1), Household: "H002", Relation: "户主", Village: yudu, Size: 2, Line: 2},
		{ID: nthID(2), Household: "H001", Relation: "户主", Village: yudu, Size: 1, Line: 3},
		{ID: nthID(3), Household: "H002", Relation: "配偶", Village: "360731100305", Size: 2, Line: 4},
		{ID: nthID(4), Household: "H001", Relation: "户主", Village: jinxian, Size: 1, Line: 5},
	})
	defer roster.Release()

	hhs, of := join.Households(roster)
	require.Equal(t, []join.Household{
		{County: "360731", No: "H002", Head: 0, Members: []int32{0, 2}, Size: 2},
		{County: "360731", No: "H001", Head: 1, Members: []int32{1}, Size: 1},
		{County: "360124", No: "H001", Head: 3, Members: []int32{3}, Size: 1},
	}, hhs)
	require.Equal(t, []int32{0, 1, 0, 2}, of)
}

// TestHouseholdsOutliveTheRoster pins that a household's county and number
// are copies: under the poisoning allocator, views into the released roster
// would read as poison.
func TestHouseholdsOutliveTheRoster(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	roster, _, _ := buildRoster(t, mem, []fixture.Person{
		{ID: nthID(1), Household: "H002", Relation: "户主", Village: yudu, Size: 1, Line: 2},
		{ID: nthID(2), Household: "H001", Relation: "户主", Village: jinxian, Size: 1, Line: 3},
	})
	hhs, _ := join.Households(roster)
	roster.Release()
	require.Equal(t, []string{"360731:H002", "360124:H001"}, []string{hhs[0].County + ":" + hhs[0].No, hhs[1].County + ":" + hhs[1].No})
}
