package join_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/join"
)

var rosterSource, _ = schemas.SourceByName(schemas.Roster)

// person is a validated roster row as the tests write it.
type person struct {
	ID, Household, Relation, Village string
	Size                             int64
	// Line is the row's line in its file.
	Line int64
	// Type and Labor default to 脱贫户 and 普通劳动力.
	Type, Labor string
}

// rosterBatch builds a typed roster batch (schema of the roster's
// TypedSchema) of people.
func rosterBatch(t testing.TB, mem memory.Allocator, people ...person) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, rosterSource.TypedSchema())
	defer b.Release()
	str := func(col, v string) {
		b.Field(rosterSource.ColumnIndex(col)).(*array.StringBuilder).Append(v)
	}
	for _, p := range people {
		typ, labor := p.Type, p.Labor
		if typ == "" {
			typ = "脱贫户"
		}
		if labor == "" {
			labor = "普通劳动力"
		}
		str("id_number", p.ID)
		str("name", "某某")
		str("household_no", p.Household)
		str("relation", p.Relation)
		str("village_code", p.Village)
		str("household_type", typ)
		str("labor_capacity", labor)
		b.Field(rosterSource.ColumnIndex("is_relocated")).(*array.BooleanBuilder).Append(false)
		b.Field(rosterSource.ColumnIndex("household_size")).(*array.Int64Builder).Append(p.Size)
		b.Field(rosterSource.ColumnIndex("risk_eliminated")).AppendNull()
		b.Field(len(rosterSource.Columns)).(*array.Int64Builder).Append(p.Line)
	}
	return b.NewRecordBatch()
}

// buildRoster adds each group of people as one batch and finishes the
// roster; it returns the roster, the rows quarantined and the duplicates.
func buildRoster(t testing.TB, mem memory.Allocator, batches ...[]person) (*join.Roster, []schemas.Rejected, []join.DuplicatePerson) {
	t.Helper()
	b := join.NewRosterBuilder(mem)
	var rejected []schemas.Rejected
	for _, people := range batches {
		rec := rosterBatch(t, mem, people...)
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
	first17 := fmt.Sprintf("36073119800101%03d", n)
	return first17 + string(idnum.CheckChar(first17))
}
