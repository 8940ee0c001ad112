// Package indicators computes the numbers the plan's targets are judged on
// (domain.md, indicator table) at province, city and county level and for
// the KEY_COUNTIES and RELOCATED groups. No I/O.
package indicators

import (
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

// Compute evaluates every registered indicator.
func Compute(in *Input) []Row {
	var rows []Row
	for _, d := range Registry {
		rows = append(rows, evaluate(in, d)...)
	}
	rows = append(rows, derived(in, rows)...)
	return rows
}

func evaluate(in *Input, d Definition) []Row {
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
	for county, s := range acc.sums {
		c, ok := regions.County(county)
		if !ok {
			continue
		}
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
