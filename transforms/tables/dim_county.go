package tables

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/schemas"
)

// DimCounty builds dim_county: the counties of regions.csv with the
// key-assistance flag of the configured list.
func DimCounty(regions *schemas.Regions, params config.Params, mem memory.Allocator) (arrow.RecordBatch, error) {
	b := schemas.NewRowBuilder(schemas.DimCountyTable, mem)
	defer b.Release()
	for _, c := range regions.Counties() {
		b.Str("county_code", c.Code)
		b.Str("county_name", c.Name)
		b.Str("city_code", c.CityCode)
		b.Str("city_name", c.CityName)
		b.Flag("is_key_county", params.IsKeyCounty(c.Code))
		b.EndRow()
	}
	return b.Finish()
}
