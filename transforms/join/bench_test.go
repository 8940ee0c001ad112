package join_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
)

// benchID is the i-th of a series of distinct 18-character keys. The join
// does not validate check characters, so these need not be valid numbers.
func benchID(i int) string {
	s := strconv.Itoa(i)
	return "360731" + "000000000000"[:12-len(s)] + s
}

// BenchmarkLookup joins 1M department rows (9 in 10 on the roster) onto a
// roster of 1M persons in 250k households.
func BenchmarkLookup(b *testing.B) {
	const persons = 1_000_000
	// Not the checked allocator: it records a stack for every allocation,
	// which would dominate the timing. TestRosterLookup checks for leaks.
	mem := memory.NewGoAllocator()
	people := make([]fixture.Person, persons)
	for i := range people {
		people[i] = fixture.Person{ID: benchID(i), Household: "H" + strconv.Itoa(i/4), Relation: "户主", Village: yudu, Size: 4, Line: int64(i + 2)}
	}
	rec := fixture.RosterBatch(b, mem, people)
	rb := join.NewRosterBuilder(mem)
	rb.Add(rec)
	rec.Release()
	roster, err := rb.Finish(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer roster.Release()

	ib := array.NewStringBuilder(mem)
	for i := 0; i < persons; i++ {
		// Every tenth row names someone who is not on the roster.
		if i%10 == 9 {
			ib.Append(benchID(persons + i))
		} else {
			ib.Append(benchID((i * 7919) % persons))
		}
	}
	ids := ib.NewStringArray()
	ib.Release()
	defer ids.Release()

	b.ReportAllocs()
	for b.Loop() {
		rows, unmatched := roster.Lookup(ids, mem)
		if unmatched != persons/10 {
			b.Fatalf("unmatched = %d, want %d", unmatched, persons/10)
		}
		rows.Release()
	}
	b.ReportMetric(float64(persons), "lookups/op")
}

// BenchmarkRosterBuild builds the roster of 1M persons in 250k households
// from one batch: the index (with its copied keys) and the Take.
func BenchmarkRosterBuild(b *testing.B) {
	const persons = 1_000_000
	mem := memory.NewGoAllocator()
	people := make([]fixture.Person, persons)
	for i := range people {
		people[i] = fixture.Person{ID: benchID(i), Household: "H" + strconv.Itoa(i/4), Relation: "户主", Village: yudu, Size: 4, Line: int64(i + 2)}
	}
	rec := fixture.RosterBatch(b, mem, people)
	defer rec.Release()
	b.ReportAllocs()
	for b.Loop() {
		rb := join.NewRosterBuilder(mem)
		rb.Add(rec)
		roster, err := rb.Finish(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		roster.Release()
	}
}

// BenchmarkHouseholds groups a roster of 1M persons into 250k households.
func BenchmarkHouseholds(b *testing.B) {
	const persons = 1_000_000
	mem := memory.NewGoAllocator()
	people := make([]fixture.Person, persons)
	for i := range people {
		people[i] = fixture.Person{ID: benchID(i), Household: "H" + strconv.Itoa(i/4), Relation: "户主", Village: yudu, Size: 4, Line: int64(i + 2)}
	}
	rec := fixture.RosterBatch(b, mem, people)
	rb := join.NewRosterBuilder(mem)
	rb.Add(rec)
	rec.Release()
	roster, err := rb.Finish(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer roster.Release()
	b.ReportAllocs()
	for b.Loop() {
		join.Households(roster)
	}
	b.ReportMetric(float64(persons)*float64(b.N)/b.Elapsed().Seconds(), "persons/s")
}
