package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/tables"
)

// TestDimCounty: dim_county is the 100 counties of regions.csv in file
// order, each flagged when it is on the configured key-assistance list
// (by default the 25 former poverty counties of domain.md).
func TestDimCounty(t *testing.T) {
	tests := []struct {
		name        string
		keyCounties []string
		// wantKeys is the number of key counties; wantYudu and wantDonghu
		// are the flags of 于都县 (360731) and 东湖区 (360102).
		wantKeys             int
		wantYudu, wantDonghu bool
	}{
		{"default list: 25 key counties", config.DefaultParams().KeyCounties, 25, true, false},
		{"a list of one city district", []string{"360102"}, 1, false, true},
		{"an empty list", nil, 0, false, false},
		{"a code not in regions.csv flags nothing", []string{"360999"}, 0, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			params := config.DefaultParams()
			params.KeyCounties = tc.keyCounties

			rec, err := tables.DimCounty(schemas.MustLoadRegions(), params, mem)
			require.NoError(t, err)
			defer rec.Release()
			require.True(t, rec.Schema().Equal(schemas.DimCountyTable.ArrowSchema()))
			require.Equal(t, int64(100), rec.NumRows())

			codes, names := strs(t, rec, "county_code"), strs(t, rec, "county_name")
			cityCodes, cityNames := strs(t, rec, "city_code"), strs(t, rec, "city_name")
			key := flags(t, rec, "is_key_county")
			require.Equal(t, []string{"360102", "东湖区", "360100", "南昌市"}, []string{codes[0], names[0], cityCodes[0], cityNames[0]},
				"first row is the first line of regions.csv")
			keys := 0
			byCode := map[string]int{}
			for i, c := range codes {
				byCode[c] = i
				if key[i] {
					keys++
				}
			}
			require.Len(t, byCode, 100, "county codes are distinct")
			require.Equal(t, tc.wantKeys, keys)
			yudu := byCode["360731"]
			require.Equal(t, []string{"于都县", "360700", "赣州市"}, []string{names[yudu], cityCodes[yudu], cityNames[yudu]})
			require.Equal(t, tc.wantYudu, key[yudu], "于都县")
			require.Equal(t, tc.wantDonghu, key[byCode["360102"]], "东湖区")
		})
	}
}

// TestDimCountyDefaultKeyCountiesAreTheListOfDomainMd pins the 25 codes.
func TestDimCountyDefaultKeyCountiesAreTheListOfDomainMd(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	rec, err := tables.DimCounty(schemas.MustLoadRegions(), config.DefaultParams(), mem)
	require.NoError(t, err)
	defer rec.Release()

	var got []string
	key := flags(t, rec, "is_key_county")
	for i, c := range strs(t, rec, "county_code") {
		if key[i] {
			got = append(got, c)
		}
	}
	require.ElementsMatch(t, []string{
		"360321", "360424", "360428", "360703", "360704", "360724", "360726", "360730", "360731", "360732",
		"360733", "360734", "360735", "360781", "360821", "360827", "360828", "360830", "360881", "361025",
		"361030", "361104", "361125", "361127", "361128",
	}, got)
}
