package synth

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// regionsCSV is a copy of schemas/regions.csv (the 100 counties of Jiangxi
// with their cities), embedded so that the generator needs no files.
//
//go:embed regions.csv
var regionsCSV string

// ProvinceCode is the region code of the province in truth maps.
const ProvinceCode = "360000"

// keyCounties are the 25 former poverty counties of domain.md, which hold
// more of the poverty-alleviated population.
var keyCounties = []string{
	"360321", "360424", "360428", "360703", "360704", "360724", "360726",
	"360730", "360731", "360732", "360733", "360734", "360735", "360781",
	"360821", "360827", "360828", "360830", "360881", "361025", "361030",
	"361104", "361125", "361127", "361128",
}

// county is one county of regions.csv.
type county struct {
	code     string
	name     string
	city     string
	cityName string
	key      bool
	// weight is the county's relative share of roster households: key
	// counties hold more, urban districts few.
	weight float64
}

// loadCounties parses the embedded regions.csv.
func loadCounties() ([]county, error) {
	recs, err := csv.NewReader(strings.NewReader(regionsCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading embedded regions.csv: %w", err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("reading embedded regions.csv: no counties")
	}
	out := make([]county, 0, len(recs)-1)
	for i, r := range recs[1:] {
		if len(r) != 4 || len(r[0]) != 6 || len(r[2]) != 6 {
			return nil, fmt.Errorf("reading embedded regions.csv line %d: malformed record %q", i+2, r)
		}
		c := county{code: r[0], name: r[1], city: r[2], cityName: r[3], weight: 1}
		switch {
		case slices.Contains(keyCounties, c.code):
			c.key, c.weight = true, 3
		case strings.HasSuffix(c.name, "区"):
			c.weight = 0.35
		}
		out = append(out, c)
	}
	return out, nil
}

// allocate splits total households over the counties in proportion to their
// weights, by largest remainder, so the counts add up exactly.
func allocate(counties []county, total int) []int {
	sum := 0.0
	for _, c := range counties {
		sum += c.weight
	}
	counts := make([]int, len(counties))
	rem := make([]float64, len(counties))
	given := 0
	for i, c := range counties {
		exact := float64(total) * c.weight / sum
		counts[i] = int(exact)
		rem[i] = exact - float64(counts[i])
		given += counts[i]
	}
	order := make([]int, len(counties))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for i := 0; given < total; i++ {
		counts[order[i%len(order)]]++
		given++
	}
	return counts
}

// unknownCounties are county codes absent from regions.csv (a Fujian and a
// Hunan district, and codes that exist nowhere) used for UNKNOWN_REGION rows.
var unknownCounties = []string{"350102", "430102", "360199", "361199", "369901"}
