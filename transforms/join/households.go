package join

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
)

// Household is one household of the roster. Its strings are copies, not
// views into the roster's buffers.
type Household struct {
	// County is the 6-digit county code (first 6 digits of the village code).
	County string
	// No is the 户编号.
	No string
	// Head is the roster row whose type, county and relocation flag speak for
	// the household: the 户主 row, else the first member in file order.
	Head int32
	// Members are the roster rows of the household in file order.
	Members []int32
	// Size is the household size for per-capita figures: 家庭人口数 of the
	// 户主 row (else the largest among members), never below len(Members).
	Size int64
	// SizeMismatch is true when 家庭人口数 differs among members or is below
	// the member count (HOUSEHOLD_SIZE_MISMATCH).
	SizeMismatch bool
}

// Households groups the roster into households, in order of first
// appearance, and returns for each roster row the index of its household.
func Households(r *Roster) ([]Household, []int32) {
	src, _ := schemas.SourceByName(schemas.Roster)
	hhs := r.Rec.Column(src.ColumnIndex("household_no")).(*array.String)
	villages := r.Rec.Column(src.ColumnIndex("village_code")).(*array.String)
	relations := r.Rec.Column(src.ColumnIndex("relation")).(*array.String)
	sizes := r.Rec.Column(src.ColumnIndex("household_size")).(*array.Int64)

	n := r.Len()
	of := make([]int32, n)
	// The keys point into the roster's buffers: the map does not outlive
	// this function. Sized for the usual three persons a household.
	type hhKey struct{ county, no string }
	byKey := make(map[hhKey]int32, n/3+1)
	counties := map[string]string{} // one copy per county code
	numbers := copyStrings(hhs)
	var out []Household
	var count []int32
	for i := 0; i < n; i++ {
		county := villages.Value(i)[:6]
		key := hhKey{county, hhs.Value(i)}
		h, ok := byKey[key]
		if !ok {
			h = int32(len(out))
			byKey[key] = h
			c, ok := counties[county]
			if !ok {
				c = strings.Clone(county)
				counties[c] = c
			}
			out = append(out, Household{County: c, No: numbers.value(i), Head: -1})
			count = append(count, 0)
		}
		of[i] = h
		count[h]++
	}
	// Every household's members in one backing array, in roster order.
	backing := make([]int32, 0, n)
	start := make([]int32, len(out))
	for h, c := range count {
		start[h] = int32(len(backing))
		backing = backing[:len(backing)+int(c)]
	}
	for h := range out {
		out[h].Members = backing[start[h] : start[h] : start[h]+count[h]]
	}
	for i, h := range of {
		out[h].Members = append(out[h].Members, int32(i))
	}
	for h := range out {
		hh := &out[h]
		var headSize, maxSize int64 = 0, 0
		first := sizes.Value(int(hh.Members[0]))
		for _, m := range hh.Members {
			s := sizes.Value(int(m))
			if s != first {
				hh.SizeMismatch = true
			}
			if s > maxSize {
				maxSize = s
			}
			if hh.Head < 0 && relations.Value(int(m)) == "户主" {
				hh.Head, headSize = m, s
			}
		}
		if hh.Head < 0 {
			hh.Head = hh.Members[0]
			headSize = maxSize
		}
		members := int64(len(hh.Members))
		if maxSize < members {
			hh.SizeMismatch = true
		}
		hh.Size = max(headSize, members)
	}
	return out, of
}
