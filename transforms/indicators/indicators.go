// Package indicators computes the numbers the plan's targets are judged on
// (domain.md, indicator table) at province, city and county level and for
// the KEY_COUNTIES and RELOCATED groups. No I/O.
package indicators

import (
	"fmt"
	"slices"
	"sort"

	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/model"
)

// Region levels and group names of the indicator table.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelGroup    = "group"

	GroupKeyCounties = "KEY_COUNTIES"
	GroupRelocated   = "RELOCATED"
)

// Row is one indicator value for one region.
type Row struct {
	Code, Level, Region, RegionName string
	Value                           float64
	Target                          *float64
	Unit                            string
	Complete                        bool
	Numerator, Denominator          float64
}

// Input is what every indicator reads.
type Input struct {
	P       *model.Period
	Incomes []income.Household
}

// Definition is one indicator: how it is measured per county, how the
// numerator and denominator become the value, and its target.
type Definition struct {
	// Code is the indicator_code.
	Code string
	// Unit is the unit shown to users.
	Unit string
	// Needs lists the sources whose absence makes the value incomplete: by
	// default a source missing in any month of Y-01..P.
	Needs []string
	// CurrentOnly checks Needs against this period's deliveries only, for an
	// indicator that reads a snapshot the period's extracts restate in full
	// (the medical extract's insurance status for the year) rather than a
	// sum over Y-01..P, so an earlier gap does not change its value.
	CurrentOnly bool
	// Ratio indicators divide numerator by denominator; others report the
	// numerator.
	Ratio bool
	// Groups says whether the KEY_COUNTIES and RELOCATED groups are computed.
	Groups bool
	// Measure adds each unit's contribution to the accumulator.
	Measure func(in *Input, acc *Acc)
	// Scale turns a ratio of sums into the value (e.g. annualization); nil = 1.
	Scale func(in *Input) float64
	// Fen marks numerators summed in fen: the value is reported in yuan.
	Fen bool
	// Target returns the target at a level, or nil.
	Target func(in *Input, level string) *float64
}

// Acc sums numerators and denominators per county, split by relocation.
// Sums are exact integers (counts, fen), so the result does not depend on
// the order units are added in.
type Acc struct {
	sums map[string]*[2]part // county → [not relocated, relocated]
}

type part struct{ num, den int64 }

// Add records a contribution of a unit in county.
func (a *Acc) Add(county string, relocated bool, num, den int64) {
	s, ok := a.sums[county]
	if !ok {
		s = &[2]part{}
		a.sums[county] = s
	}
	i := 0
	if relocated {
		i = 1
	}
	s[i].num += num
	s[i].den += den
}

// Compute evaluates every registered indicator at every level.
func Compute(in *Input) []Row {
	return Rollup(in, Measure(in), nil)
}

// Partial is one indicator measured but not yet rolled up: its exact sums
// per county, split by relocation, and what the roll-up needs besides. A
// run of some cities (pipeline, per-city runs) keeps its partials so that
// the province and group rows can be computed once every city is in.
type Partial struct {
	Code string `json:"code"`
	// Complete and Scale are the same in every run of the period (they
	// depend on the deliveries and the month, not on the cities).
	Complete bool    `json:"complete"`
	Scale    float64 `json:"scale"`
	// Sums maps a county to [not relocated, relocated] × [numerator,
	// denominator], in the indicator's exact units (counts, fen).
	Sums map[string][2][2]int64 `json:"sums"`
}

// Measure measures every registered indicator per county.
func Measure(in *Input) []Partial {
	out := make([]Partial, 0, len(Registry))
	for _, d := range Registry {
		acc := &Acc{sums: map[string]*[2]part{}}
		d.Measure(in, acc)
		complete := true
		for _, s := range d.Needs {
			delivered := in.P.SourceComplete(s)
			if d.CurrentOnly {
				delivered = slices.Contains(in.P.Present, s)
			}
			if !delivered {
				complete = false
			}
		}
		scale := 1.0
		if d.Scale != nil {
			scale = d.Scale(in)
		}
		p := Partial{Code: d.Code, Complete: complete, Scale: scale, Sums: make(map[string][2][2]int64, len(acc.sums))}
		for county, s := range acc.sums {
			p.Sums[county] = [2][2]int64{{s[0].num, s[0].den}, {s[1].num, s[1].den}}
		}
		out = append(out, p)
	}
	return out
}

// MergePartials adds up the partials of runs over disjoint sets of counties
// into the partials of their union. The runs must have measured the same
// indicators with the same completeness and scale, and no county twice.
func MergePartials(sets [][]Partial) ([]Partial, error) {
	if len(sets) == 0 {
		return nil, fmt.Errorf("merging indicator partials: none given")
	}
	out := make([]Partial, len(sets[0]))
	for i, p := range sets[0] {
		out[i] = Partial{Code: p.Code, Complete: p.Complete, Scale: p.Scale, Sums: map[string][2][2]int64{}}
	}
	for n, set := range sets {
		if len(set) != len(out) {
			return nil, fmt.Errorf("merging indicator partials: part %d measured %d indicators, part 1 %d", n+1, len(set), len(out))
		}
		for i, p := range set {
			o := &out[i]
			if p.Code != o.Code || p.Complete != o.Complete || p.Scale != o.Scale {
				return nil, fmt.Errorf("merging indicator partials: part %d measured %s (complete %t, scale %g) where part 1 measured %s (complete %t, scale %g)",
					n+1, p.Code, p.Complete, p.Scale, o.Code, o.Complete, o.Scale)
			}
			for county, s := range p.Sums {
				if _, dup := o.Sums[county]; dup {
					return nil, fmt.Errorf("merging indicator partials: %s of county %s measured by two parts", p.Code, county)
				}
				o.Sums[county] = s
			}
		}
	}
	return out, nil
}

// Rollup turns the partials into the rows of every level that keep accepts
// (nil: all), then derives the indicators defined on other indicators'
// rows from the kept rows.
func Rollup(in *Input, parts []Partial, keep func(level, code string) bool) []Row {
	var rows []Row
	for _, d := range Registry {
		for _, p := range parts {
			if p.Code == d.Code {
				rows = append(rows, rollup(in, d, p, keep)...)
			}
		}
	}
	return append(rows, derived(in, rows)...)
}

func rollup(in *Input, d Definition, p Partial, keep func(level, code string) bool) []Row {
	complete, scale := p.Complete, p.Scale
	regions := in.P.Regions
	type key struct{ level, code string }
	totals := map[key]*part{}
	add := func(k key, p part) {
		t, ok := totals[k]
		if !ok {
			t = &part{}
			totals[k] = t
		}
		t.num += p.num
		t.den += p.den
	}
	for _, c := range regions.Counties() {
		// Every county gets a row, even with nothing to count.
		add(key{LevelCounty, c.Code}, part{})
		add(key{LevelCity, c.CityCode}, part{})
	}
	add(key{LevelProvince, schemas.ProvinceCode}, part{})
	if d.Groups {
		add(key{LevelGroup, GroupKeyCounties}, part{})
		add(key{LevelGroup, GroupRelocated}, part{})
	}
	for county, sums := range p.Sums {
		c, ok := regions.County(county)
		if !ok {
			continue
		}
		s := [2]part{{sums[0][0], sums[0][1]}, {sums[1][0], sums[1][1]}}
		both := part{s[0].num + s[1].num, s[0].den + s[1].den}
		add(key{LevelCounty, county}, both)
		add(key{LevelCity, c.CityCode}, both)
		add(key{LevelProvince, schemas.ProvinceCode}, both)
		if d.Groups {
			if in.P.Params.IsKeyCounty(county) {
				add(key{LevelGroup, GroupKeyCounties}, both)
			}
			add(key{LevelGroup, GroupRelocated}, s[1])
		}
	}
	rows := make([]Row, 0, len(totals))
	for k, t := range totals {
		if keep != nil && !keep(k.level, k.code) {
			continue
		}
		num := float64(t.num)
		if d.Fen {
			num /= 100
		}
		r := Row{Code: d.Code, Level: k.level, Region: k.code, RegionName: regionName(in, k.level, k.code),
			Unit: d.Unit, Complete: complete, Numerator: num, Denominator: 1, Value: num}
		if d.Ratio {
			r.Denominator = float64(t.den)
			r.Value = 0
			if t.den != 0 {
				r.Value = num / float64(t.den) * scale
			}
		}
		if d.Target != nil {
			r.Target = d.Target(in, k.level)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Level != rows[j].Level {
			return rows[i].Level < rows[j].Level
		}
		return rows[i].Region < rows[j].Region
	})
	return rows
}

func regionName(in *Input, level, code string) string {
	switch level {
	case LevelProvince:
		return schemas.ProvinceName
	case LevelCity:
		return in.P.Regions.CityName(code)
	case LevelCounty:
		c, _ := in.P.Regions.County(code)
		return c.Name
	case LevelGroup:
		if code == GroupKeyCounties {
			return "重点帮扶县脱贫人口"
		}
		return "易地搬迁脱贫人口"
	}
	return ""
}

// everyLevel is a ratio target: the same value at every level and group.
func everyLevel(v float64) func(*Input, string) *float64 {
	return func(*Input, string) *float64 {
		t := v
		return &t
	}
}

func provinceOnly(v float64) func(*Input, string) *float64 {
	return func(_ *Input, level string) *float64 {
		if level != LevelProvince {
			return nil
		}
		return &v
	}
}

// OfCities narrows partials to the counties of cities and returns the
// roll-up filter that keeps their county and city rows: what a run of
// those cities alone publishes. Its history names every county of the
// province (last months' sales, say), so the sums of counties elsewhere
// are dropped here; they are another run's.
func OfCities(regions *schemas.Regions, parts []Partial, cities []string) ([]Partial, func(level, code string) bool) {
	mine := map[string]bool{}
	for _, c := range cities {
		mine[c] = true
	}
	inCities := func(county string) bool {
		c, ok := regions.County(county)
		return ok && mine[c.CityCode]
	}
	out := make([]Partial, len(parts))
	for i, p := range parts {
		out[i] = Partial{Code: p.Code, Complete: p.Complete, Scale: p.Scale, Sums: map[string][2][2]int64{}}
		for county, s := range p.Sums {
			if inCities(county) {
				out[i].Sums[county] = s
			}
		}
	}
	return out, func(level, code string) bool {
		switch level {
		case LevelCounty:
			return inCities(code)
		case LevelCity:
			return mine[code]
		}
		return false
	}
}

// ProvinceAndGroups keeps the rows no single city holds: the province's
// and the groups'.
func ProvinceAndGroups(level, _ string) bool {
	return level == LevelProvince || level == LevelGroup
}
