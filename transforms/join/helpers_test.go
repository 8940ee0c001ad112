package join_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
)

var rosterSource, _ = schemas.SourceByName(schemas.Roster)

// buildRoster adds each group of people as one batch and finishes the
// roster; it returns the roster, the rows quarantined and the duplicates.
func buildRoster(t testing.TB, mem memory.Allocator, batches ...[]fixture.Person) (*join.Roster, []schemas.Rejected, []join.DuplicatePerson) {
	t.Helper()
	b := join.NewRosterBuilder(mem)
	var rejected []schemas.Rejected
	for _, people := range batches {
		rec := fixture.RosterBatch(t, mem, people)
		rejected = append(rejected, b.Add(rec)...)
		rec.Release()
	}
	r, err := b.Finish(context.Background())
	require.NoError(t, err)
	return r, rejected, b.Duplicates()
}

// rosterIDs returns the ID numbers of the roster in row order.
func rosterIDs(r *join.Roster) []string {
	ids := r.Rec.Column(rosterSource.ColumnIndex("id_number")).(*array.String)
	out := make([]string, ids.Len())
	for i := range out {
		out[i] = ids.Value(i)
	}
	return out
}

// rosterLines returns the file lines of the roster rows in row order.
func rosterLines(r *join.Roster) []int64 {
	return r.Rec.Column(len(rosterSource.Columns)).(*array.Int64).Int64Values()
}

// nthID returns the n-th of a series of valid ID numbers (n < 1000) of
// persons born in 于都县 on 1980-01-01.
func nthID(n int) string {
	return fixture.ID(fmt.Sprintf("36073119800101%03d", n))
}
