package pipeline

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// The row-count guard stops a run whose source delivered far fewer (or more)
// rows than the last published period, except for a department whose
// deliveries vary by nature: a village collective distributes when it has
// income (308 rows in January, none in February is an ordinary year).
func TestTheRowCountGuardSkipsIrregularDepartments(t *testing.T) {
	r := &Runner{RowCountChange: 0.5}
	hist := &model.History{
		PrevRows:       map[string]int64{schemas.Collective: 308, schemas.Employment: 1000},
		PrevRowsPeriod: values.NewMonth(2025, 1),
	}
	collective, err := schemas.DepartmentByName(schemas.Collective)
	require.NoError(t, err)
	require.True(t, collective.Irregular)

	run := &Run{Sources: []SourceStats{{Source: schemas.Collective, In: 0}, {Source: schemas.Employment, In: 980}}}
	require.NoError(t, r.checkRowCounts(run, hist))

	run = &Run{Sources: []SourceStats{{Source: schemas.Collective, In: 0}, {Source: schemas.Employment, In: 400}}}
	err = r.checkRowCounts(run, hist)
	require.ErrorContains(t, err, "employment: 400 rows read, 1000 in 2025-01 (-60%)")
	require.NotContains(t, err.Error(), "collective")
}
