package schemas

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

//go:embed regions.csv
var regionsCSV string

// County is one of Jiangxi's 100 county-level divisions (regions.csv).
type County struct {
	// Code is the 6-digit county code.
	Code string
	// Name is the county name.
	Name string
	// CityCode is the 6-digit code of its city (设区市).
	CityCode string
	// CityName is the city name.
	CityName string
}

// ProvinceCode is the region code of Jiangxi Province.
const ProvinceCode = "360000"

// ProvinceName is the province's name.
const ProvinceName = "江西省"

// Regions is the set of counties of regions.csv, keyed by county code.
type Regions struct {
	byCode map[string]County
	list   []County
}

// LoadRegions parses the embedded regions.csv.
func LoadRegions() (*Regions, error) {
	rows, err := csv.NewReader(strings.NewReader(regionsCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading regions.csv: %w", err)
	}
	r := &Regions{byCode: make(map[string]County, len(rows))}
	for i, row := range rows {
		if i == 0 {
			continue
		}
		if len(row) != 4 {
			return nil, fmt.Errorf("reading regions.csv line %d: want 4 fields, got %d", i+1, len(row))
		}
		c := County{Code: row[0], Name: row[1], CityCode: row[2], CityName: row[3]}
		r.byCode[c.Code] = c
		r.list = append(r.list, c)
	}
	return r, nil
}

// MustLoadRegions is LoadRegions for the embedded file, which a test keeps valid.
func MustLoadRegions() *Regions {
	r, err := LoadRegions()
	if err != nil {
		panic(err)
	}
	return r
}

// County returns the county with the given code.
func (r *Regions) County(code string) (County, bool) {
	c, ok := r.byCode[code]
	return c, ok
}

// Counties returns all counties in file order.
func (r *Regions) Counties() []County { return r.list }

// CityName returns the name of a city code, or "" if unknown.
func (r *Regions) CityName(code string) string {
	for _, c := range r.list {
		if c.CityCode == code {
			return c.CityName
		}
	}
	return ""
}
