package dashboards

import "strings"

// SQL fragments shared by the panels. ${period} is the selected period as
// YYYY-MM-DD; city and county are multi-select variables whose "All"
// collapses each filter to 1=1 through the plugin's $__conditionalAll.
const (
	periodIs = "period = toDate('${period}')"
	// cityIs / countyIs filter a city_code / county_code column.
	cityIs   = "$__conditionalAll(city_code IN (${city:singlequote}), $city)"
	countyIs = "$__conditionalAll(county_code IN (${county:singlequote}), $county)"
)

// inRegion filters a county-code column by the city and county variables,
// taking a county's city from dim_county.
func inRegion(col string) string {
	return "$__conditionalAll(" + col + " IN (SELECT county_code FROM dim_county WHERE city_code IN (${city:singlequote})), $city)" +
		" AND $__conditionalAll(" + col + " IN (${county:singlequote}), $county)"
}

// cityRowIs filters indicator rows of region_level 'city' by the city variable.
const cityRowIs = "$__conditionalAll(region_code IN (${city:singlequote}), $city)"

// lines joins SQL lines with newlines, so the generated JSON stays readable.
func lines(l ...string) string { return strings.Join(l, "\n") }

// The template variables every analytic dashboard carries.
var (
	periodVariable = variable{
		name: "period", label: "统计期",
		sql:     "SELECT toString(period) AS p FROM indicator GROUP BY p ORDER BY p DESC",
		columns: []string{"p"},
	}
	cityVariable = variable{
		name: "city", label: "市", multi: true,
		sql:     "SELECT city_code, any(city_name) AS name FROM dim_county GROUP BY city_code ORDER BY city_code",
		columns: []string{"city_code", "name"},
	}
	countyVariable = variable{
		name: "county", label: "县(市、区)", multi: true,
		sql:     "SELECT county_code, county_name FROM dim_county WHERE " + cityIs + " ORDER BY county_code",
		columns: []string{"county_code", "county_name"},
	}
)

// planStart is the default start of every dashboard's time range: the
// first month of the 2023—2025 plan.
const planStart = "2023-01-01T00:00:00.000Z"
