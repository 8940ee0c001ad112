package pipeline

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/transforms/model"
)

// TestSalesAggKeysOutliveTheirBatches adds two typed sales batches, releases
// each right after adding it as readExtract does, and reads the sums: under
// an allocator that poisons freed memory, map keys kept as views into the
// batches would read as poison.
func TestSalesAggKeysOutliveTheirBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	type sale struct {
		county, channel, category string
		fen                       int64
	}
	agg := newSalesAgg(nil)
	for _, batch := range [][]sale{
		{{"360731", "线上", "农产品", 1000}, {"360731", "线下", "农产品", 200}},
		{{"360731", "线上", "农产品", 30}, {"360732", "线上", "手工艺品", 4}},
	} {
		b := array.NewRecordBuilder(mem, salesSource.TypedSchema())
		for _, s := range batch {
			for i, c := range salesSource.Columns {
				f := b.Field(i)
				switch c.Name {
				case "county_code":
					f.(*array.StringBuilder).Append(s.county)
				case "channel":
					f.(*array.StringBuilder).Append(s.channel)
				case "category":
					f.(*array.StringBuilder).Append(s.category)
				case "amount":
					f.(*array.Int64Builder).Append(s.fen)
				default:
					f.AppendNull()
				}
			}
			b.Field(len(salesSource.Columns)).(*array.Int64Builder).Append(2)
		}
		rec := b.NewRecordBatch()
		b.Release()
		_, _, err := agg.add(rec)
		require.NoError(t, err)
		rec.Release()
	}
	require.Equal(t, []model.SalesRow{
		{County: "360731", Channel: "线上", Category: "农产品", Amount: 1030, Rows: 2},
		{County: "360731", Channel: "线下", Category: "农产品", Amount: 200, Rows: 1},
		{County: "360732", Channel: "线上", Category: "手工艺品", Amount: 4, Rows: 1},
	}, agg.rows())
}
