package pipeline

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// departmentHandler returns how the batches of department d are consumed,
// by how d joins the roster, and the name of that stage.
func (r *Runner) departmentHandler(p *model.Period, d schemas.Department, sales *salesAgg) (batchHandler, string, error) {
	switch d.Join {
	case schemas.JoinPersonID:
		return r.joinDepartment(p, d), "join " + d.Name, nil
	case schemas.JoinHouseholdNo:
		return surveyHandler(p), "survey " + d.Name, nil
	case schemas.JoinCounty:
		return sales.add, "aggregate " + d.Name, nil
	case schemas.JoinHeadID:
		return householdHandler(p, d, headIndex(p)), "join " + d.Name, nil
	case schemas.JoinVillageHousehold:
		return householdHandler(p, d, villageIndex(p)), "join " + d.Name, nil
	}
	return nil, "", fmt.Errorf("reading %s: no handler for its join", d.Name)
}

// householdKeyFunc returns the household a row is about (-1 when none) and
// the row's village code ("" when the department carries none).
type householdKeyFunc func(d schemas.Department, rec arrow.RecordBatch) (targets []int32, villages []string)

// householdHandler joins a household-level department's batches onto the
// roster's households and rolls its declared facts up. A row matching no
// roster household is unmatched (still counted in village facts).
func householdHandler(p *model.Period, d schemas.Department, key householdKeyFunc) batchHandler {
	return func(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
		targets, villages := key(d, typed)
		var unmatched int64
		for _, t := range targets {
			if t < 0 {
				unmatched++
			}
		}
		if err := p.HouseholdFacts.Add(d, typed, targets, villages); err != nil {
			return nil, 0, err
		}
		return nil, unmatched, nil
	}
}

// headIndex matches head_id_number to the household whose 户主 row has that
// normalised ID.
func headIndex(p *model.Period) householdKeyFunc {
	heads := make(map[string]int32, len(p.Households))
	for h, hh := range p.Households {
		if p.RosterString("relation", hh.Head) == "户主" {
			heads[p.RosterString("id_number", hh.Head)] = int32(h)
		}
	}
	return func(d schemas.Department, rec arrow.RecordBatch) ([]int32, []string) {
		ids := rec.Column(d.ColumnIndex("head_id_number")).(*array.String)
		out := make([]int32, ids.Len())
		for i := range out {
			h, ok := heads[ids.Value(i)]
			if !ok {
				h = -1
			}
			out[i] = h
		}
		return out, nil
	}
}

// villageIndex matches village_code + household_no to the household whose
// head row has that village code and 户编号.
func villageIndex(p *model.Period) householdKeyFunc {
	byKey := make(map[[2]string]int32, len(p.Households))
	for h, hh := range p.Households {
		byKey[[2]string{p.RosterString("village_code", hh.Head), hh.No}] = int32(h)
	}
	return func(d schemas.Department, rec arrow.RecordBatch) ([]int32, []string) {
		villages := rec.Column(d.ColumnIndex("village_code")).(*array.String)
		nos := rec.Column(d.ColumnIndex("household_no")).(*array.String)
		out := make([]int32, villages.Len())
		vs := make([]string, villages.Len())
		for i := range out {
			vs[i] = villages.Value(i)
			h, ok := byKey[[2]string{vs[i], nos.Value(i)}]
			if !ok {
				h = -1
			}
			out[i] = h
		}
		return out, vs
	}
}
