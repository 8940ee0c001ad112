package clickhouse

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
)

// TestEveryDeclaredPersonFactIsReadBack: each person_month fact whose
// persistence reaches beyond the period has a read-back expression, of the
// type model.FactHistory stores it as (a declaration the reader does not
// know would fail only when a run reads its history), and the household
// facts the household reader handles are money sums or flags.
func TestEveryDeclaredPersonFactIsReadBack(t *testing.T) {
	year := schemas.YearRecalls(schemas.PersonMonthTable.Name)
	require.NotEmpty(t, year)
	for _, f := range year {
		r, err := yearRecall(f)
		require.NoError(t, err, f.Column)
		require.Equal(t, f.RecallsText(), r.as == recallText, "%s: read back as text exactly when stored as text", f.Column)
	}
	life := schemas.LifeRecalls(schemas.PersonMonthTable.Name)
	require.NotEmpty(t, life)
	for _, f := range life {
		r, cond, err := lifeRecall(f)
		require.NoError(t, err, f.Column)
		require.NotEmpty(t, cond, f.Column)
		require.NotEqual(t, recallText, r.as, f.Column)
	}
	for _, d := range schemas.Departments {
		if d.Table != schemas.HouseholdYearTable.Name {
			continue
		}
		for _, f := range d.Facts {
			switch f.Persist {
			case schemas.PersistPeriod:
			case schemas.PersistYearSum:
				require.Equal(t, schemas.FactMoney, f.Kind, "%s.%s", d.Name, f.Column)
			case schemas.PersistEverInYear:
				require.Equal(t, schemas.FactFlag, f.Kind, "%s.%s", d.Name, f.Column)
			default:
				t.Errorf("%s.%s: household_year reads back PersistYearSum and PersistEverInYear only, not %d", d.Name, f.Column, f.Persist)
			}
		}
	}
}
