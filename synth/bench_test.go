package synth

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkGenerate writes the default province (20000 households, twelve
// months, every kind of dirt and file form) and reports throughput as
// persons/s (distinct roster persons generated per second) and
// person-months/s (roster rows of all periods per second).
func BenchmarkGenerate(b *testing.B) { benchGenerate(b, DefaultConfig()) }

// BenchmarkGenerateWithDepartments is BenchmarkGenerate with the three
// extra departments written too.
func BenchmarkGenerateWithDepartments(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Departments = Departments
	benchGenerate(b, cfg)
}

func benchGenerate(b *testing.B, cfg Config) {
	var persons, personMonths int64
	for i := 0; i < b.N; i++ {
		truth, err := Generate(context.Background(), cfg, b.TempDir())
		require.NoError(b, err)
		persons, personMonths = 0, 0
		for _, p := range truth.Periods {
			persons = max(persons, p.RosterPersons)
			personMonths += p.RosterPersons
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(persons)*float64(b.N)/sec, "persons/s")
	b.ReportMetric(float64(personMonths)*float64(b.N)/sec, "person-months/s")
}
