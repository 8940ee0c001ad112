// Package join builds the roster of a period (de-duplicated, indexed by the
// normalised ID number) and joins department batches onto it. arrow-go has no
// join kernel, so the join is ours: key → roster row index, then Take.
package join

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// Roster is the de-duplicated roster of a period: one row per person in file
// order, with the roster's typed schema, and an index from ID number to row.
// The index keys are copies: they outlive the batches they were read from.
type Roster struct {
	// Rec holds the persons; the Roster owns it (Release frees it).
	Rec   arrow.RecordBatch
	index map[string]int32
}

// Release frees the roster's record batch.
func (r *Roster) Release() {
	if r.Rec != nil {
		r.Rec.Release()
		r.Rec = nil
	}
}

// Len is the number of persons.
func (r *Roster) Len() int { return int(r.Rec.NumRows()) }

// Row returns the roster row of a normalised ID number.
func (r *Roster) Row(id string) (int32, bool) {
	i, ok := r.index[id]
	return i, ok
}

// DuplicatePerson records an ID found in a second household of the roster.
type DuplicatePerson struct {
	// ID is the normalised ID number.
	ID string
	// Household and County are those of the row kept (the first in file order).
	Household, County string
	// OtherHousehold and OtherCounty are those of the quarantined row.
	OtherHousehold, OtherCounty string
	// Line is the line of the quarantined row.
	Line int64
}

// RosterBuilder collects typed roster batches in file order, quarantines
// later rows of an ID already seen (DUPLICATE_ID) and builds the Roster.
type RosterBuilder struct {
	mem                      memory.Allocator
	schema                   *arrow.Schema
	index                    map[string]int32
	origin                   []rowRef      // per kept person: where its row is, for a duplicate's report
	kept                     []arrow.Array // per batch: indices of kept rows
	batches                  []arrow.RecordBatch
	n                        int32
	duplicates               []DuplicatePerson
	idCol, hhCol, villageCol int
	// Elsewhere, when set, names the counties of other runs' cities (a
	// per-city run): their rows are not kept (counted by Elsewhere()), but
	// their IDs are remembered, so that duplicates across cities are found
	// as one run of the whole province finds them. The run keeping an ID's
	// first row records the DuplicatePerson (its finding is on that
	// household); the run owning a later row quarantines that row.
	Elsewhere func(county string) bool
	others    map[string]struct{}
	elsewhere int64
}

// NewRosterBuilder returns an empty builder.
func NewRosterBuilder(mem memory.Allocator) *RosterBuilder {
	src, _ := schemas.SourceByName(schemas.Roster)
	return &RosterBuilder{
		mem: mem, schema: src.TypedSchema(),
		index: map[string]int32{},
		idCol: src.ColumnIndex("id_number"), hhCol: src.ColumnIndex("household_no"), villageCol: src.ColumnIndex("village_code"),
	}
}

// rowRef locates a row among the builder's batches.
type rowRef struct{ batch, row int32 }

// household returns the county and household number of a kept person's row.
func (b *RosterBuilder) household(person int32) (county, household string) {
	o := b.origin[person]
	rec := b.batches[o.batch]
	return rec.Column(b.villageCol).(*array.String).Value(int(o.row))[:6], rec.Column(b.hhCol).(*array.String).Value(int(o.row))
}

// Add takes one typed roster batch (retaining it) and returns the rows it
// quarantines as duplicates.
func (b *RosterBuilder) Add(rec arrow.RecordBatch) []schemas.Rejected {
	ids := rec.Column(b.idCol).(*array.String)
	hhs := rec.Column(b.hhCol).(*array.String)
	villages := rec.Column(b.villageCol).(*array.String)
	lines := rec.Column(int(rec.NumCols()) - 1).(*array.Int64)
	keep := array.NewInt32Builder(b.mem)
	defer keep.Release()
	var rejected []schemas.Rejected
	// Strings of rec point into its buffers, released in Finish: what the
	// builder keeps is copied. The index keys come from one copy of the
	// batch's ID column (one allocation per batch, not per person).
	idCopy := copyStrings(ids)
	batch := int32(len(b.batches))
	rec.Retain()
	b.batches = append(b.batches, rec)
	keep.Reserve(int(rec.NumRows()))
	for r := 0; r < int(rec.NumRows()); r++ {
		id := idCopy.value(r)
		hh, county := hhs.Value(r), villages.Value(r)[:6]
		if b.Elsewhere != nil && b.Elsewhere(county) {
			b.elsewhere++
			if person, seen := b.index[id]; seen {
				fc, fh := b.household(person)
				b.duplicates = append(b.duplicates, DuplicatePerson{
					ID: id, Household: strings.Clone(fh), County: strings.Clone(fc),
					OtherHousehold: strings.Clone(hh), OtherCounty: strings.Clone(county), Line: lines.Value(r),
				})
				continue
			}
			if b.others == nil {
				b.others = map[string]struct{}{}
			}
			b.others[id] = struct{}{}
			continue
		}
		if _, seen := b.others[id]; seen {
			// The first row of the ID is another run's (another county, so
			// another household): quarantined here, its finding there.
			rejected = append(rejected, schemas.Rejected{
				Line: lines.Value(r), Reason: schemas.ReasonDuplicateID,
				Detail: fmt.Sprintf("身份证号 %s 同时登记在两个户中, 保留首次出现的户", idnum.Mask(id)),
				Row:    fmt.Sprintf(`{"身份证号":%q,"户编号":%q,"区划代码":%q}`, idnum.Mask(id), hh, villages.Value(r)),
			})
			continue
		}
		if person, seen := b.index[id]; seen {
			fc, fh := b.household(person)
			detail := fmt.Sprintf("身份证号 %s 已在本名册第一次出现的户中登记, 重复行不计入", idnum.Mask(id))
			if fc != county || fh != hh {
				fh, fc = strings.Clone(fh), strings.Clone(fc)
				b.duplicates = append(b.duplicates, DuplicatePerson{
					ID: id, Household: fh, County: fc,
					OtherHousehold: strings.Clone(hh), OtherCounty: strings.Clone(county), Line: lines.Value(r),
				})
				detail = fmt.Sprintf("身份证号 %s 同时登记在两个户中, 保留首次出现的户", idnum.Mask(id))
			}
			rejected = append(rejected, schemas.Rejected{
				Line: lines.Value(r), Reason: schemas.ReasonDuplicateID, Detail: detail,
				Row: fmt.Sprintf(`{"身份证号":%q,"户编号":%q,"区划代码":%q}`, idnum.Mask(id), hh, villages.Value(r)),
			})
			continue
		}
		b.index[id] = b.n
		b.origin = append(b.origin, rowRef{batch: batch, row: int32(r)})
		b.n++
		keep.Append(int32(r))
	}
	b.kept = append(b.kept, keep.NewArray())
	return rejected
}

// ElsewhereRows counts the rows added that belong to other runs' cities.
func (b *RosterBuilder) ElsewhereRows() int64 { return b.elsewhere }

// Duplicates lists the IDs found in two households.
func (b *RosterBuilder) Duplicates() []DuplicatePerson { return b.duplicates }

// Finish builds the Roster and releases the collected batches.
func (b *RosterBuilder) Finish(ctx context.Context) (*Roster, error) {
	defer b.release()
	ctx = compute.WithAllocator(ctx, b.mem)
	cols := make([]arrow.Array, b.schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c := range cols {
		parts := make([]arrow.Array, 0, len(b.batches))
		for i, rec := range b.batches {
			taken, err := compute.TakeArray(ctx, rec.Column(c), b.kept[i])
			if err != nil {
				releaseAll(parts)
				return nil, fmt.Errorf("building roster column %s: %w", b.schema.Field(c).Name, err)
			}
			parts = append(parts, taken)
		}
		if len(parts) == 0 {
			bld := array.NewBuilder(b.mem, b.schema.Field(c).Type)
			cols[c] = bld.NewArray()
			bld.Release()
			continue
		}
		joined, err := array.Concatenate(parts, b.mem)
		releaseAll(parts)
		if err != nil {
			return nil, fmt.Errorf("building roster column %s: %w", b.schema.Field(c).Name, err)
		}
		cols[c] = joined
	}
	rec := array.NewRecordBatch(b.schema, cols, int64(b.n))
	b.origin = nil
	return &Roster{Rec: rec, index: b.index}, nil
}

// Release frees what the builder collected without building a roster
// (after a failed read); Finish already releases it.
func (b *RosterBuilder) Release() { b.release() }

func (b *RosterBuilder) release() {
	for _, r := range b.batches {
		r.Release()
	}
	releaseAll(b.kept)
	b.batches, b.kept = nil, nil
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		a.Release()
	}
}

// Lookup joins a column of normalised ID numbers onto the roster: the result
// holds each row's roster index, null where the person is not on the roster.
// The caller releases it; roster columns follow with compute.TakeArray.
func (r *Roster) Lookup(ids *array.String, mem memory.Allocator) (*array.Int32, int) {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	b.Reserve(ids.Len())
	unmatched := 0
	for i := 0; i < ids.Len(); i++ {
		if row, ok := r.index[ids.Value(i)]; ok {
			b.UnsafeAppend(row)
		} else {
			b.AppendNull()
			unmatched++
		}
	}
	return b.NewInt32Array(), unmatched
}
