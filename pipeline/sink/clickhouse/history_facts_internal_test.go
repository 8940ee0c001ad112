package clickhouse

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
)

// TestEveryDeclaredPersonFactIsReadBack: each person_month fact whose
// persistence reaches beyond the period has a read-back expression, of the
// type model.FactHistory stores it as (a declaration the reader does not
// know would fail only when a run reads its history), and so has each
// household fact that persists.
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
	for _, f := range schemas.YearRecalls(schemas.HouseholdYearTable.Name) {
		_, err := yearRecall(f)
		require.NoError(t, err, f.Column)
	}
	for _, d := range schemas.Departments {
		if d.Table != schemas.HouseholdYearTable.Name {
			continue
		}
		for _, f := range d.Facts {
			require.NotContains(t, []schemas.Persist{schemas.PersistMonthSum, schemas.PersistLifetime}, f.Persist,
				"%s.%s: a household_year column holds the year to date, not the month's own value", d.Name, f.Column)
		}
	}
}
