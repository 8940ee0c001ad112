package tables_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/transforms/idnum"
	"zengshou/transforms/income"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/tables"
)

// BenchmarkTransform is the transform stage of a run for 50 000 households
// of 3 persons: household income, then the person_month and household_year
// rows (the build stages before the load). It reports households/s.
func BenchmarkTransform(b *testing.B) {
	const households = 50_000
	// Not the checked allocator: it records a stack per allocation.
	mem := memory.NewGoAllocator()
	persons := make([]fixture.Person, 0, 3*households)
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	for h := range households {
		for m, rel := range []string{"户主", "配偶", "子女"} {
			i := 3*h + m // distinct: a birth day per 1000 persons, then a sequence
			s := strconv.Itoa(1000 + i%1000)[1:]
			body := "360731" + born.AddDate(0, 0, i/1000).Format("20060102") + s
			persons = append(persons, fixture.Person{ID: body + string(idnum.CheckChar(body)), Household: "H" + strconv.Itoa(h),
				Relation: rel, Village: yuduVillage, Size: 3})
		}
	}
	p := fixture.NewPeriod(b, mem, june2025, persons)
	defer p.Roster.Release()
	b.ResetTimer()
	for b.Loop() {
		incomes := income.Compute(p)
		pm, err := tables.PersonMonth(p, 0, len(p.Households), mem)
		if err != nil {
			b.Fatal(err)
		}
		hy, err := tables.HouseholdYear(p, incomes, mem)
		if err != nil {
			b.Fatal(err)
		}
		pm.Release()
		hy.Release()
	}
	b.ReportMetric(float64(households)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
}
