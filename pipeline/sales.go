package pipeline

import (
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

var salesSource, _ = schemas.SourceByName(schemas.Sales)

// salesAgg sums sales rows by county, channel and category.
type salesAgg struct {
	sums map[[3]string]*model.SalesRow
	// elsewhere, when set, names the counties of other runs' cities (a
	// per-city run): their rows are accepted but unmatched, not summed.
	elsewhere func(county string) bool
}

func newSalesAgg(elsewhere func(county string) bool) *salesAgg {
	return &salesAgg{sums: map[[3]string]*model.SalesRow{}, elsewhere: elsewhere}
}

func (s *salesAgg) add(typed arrow.RecordBatch) ([]schemas.Rejected, int64, error) {
	col := func(name string) arrow.Array { return typed.Column(salesSource.ColumnIndex(name)) }
	county, channel := col("county_code").(*array.String), col("channel").(*array.String)
	category, amount := col("category").(*array.String), col("amount").(*array.Int64)
	var unmatched int64
	for i := 0; i < int(typed.NumRows()); i++ {
		if s.elsewhere != nil && s.elsewhere(county.Value(i)) {
			unmatched++
			continue
		}
		k := [3]string{county.Value(i), channel.Value(i), category.Value(i)}
		row, ok := s.sums[k]
		if !ok {
			// k's strings point into typed, released after this batch: the
			// map keeps copies.
			k = [3]string{strings.Clone(k[0]), strings.Clone(k[1]), strings.Clone(k[2])}
			row = &model.SalesRow{County: k[0], Channel: k[1], Category: k[2]}
			s.sums[k] = row
		}
		row.Amount += amount.Value(i)
		row.Rows++
	}
	return nil, unmatched, nil
}

func (s *salesAgg) rows() []model.SalesRow {
	out := make([]model.SalesRow, 0, len(s.sums))
	for _, r := range s.sums {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.County != b.County {
			return a.County < b.County
		}
		if a.Channel != b.Channel {
			return a.Channel < b.Channel
		}
		return a.Category < b.Category
	})
	return out
}
