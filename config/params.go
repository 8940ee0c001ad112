// Package config holds the settings of zengshou: the reference parameters the
// indicators and comparison rules are judged against (per year, each with its
// source) and the program configuration read from flags, environment and YAML.
package config

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

//go:embed params.yaml
var defaultParams []byte

// YearParams are the reference parameters of one calendar year. Amounts are
// whole yuan per person per year.
type YearParams struct {
	// RuralIncome is the provincial rural per-capita disposable income.
	RuralIncome int64 `yaml:"rural_income"`
	// IncomeRatioTarget is the target of PER_CAPITA_NET_INCOME / RuralIncome.
	IncomeRatioTarget float64 `yaml:"income_ratio_target"`
	// MonitoringLine is the anti-return-to-poverty monitoring line.
	MonitoringLine int64 `yaml:"monitoring_line"`
	// DibaoStandard is the rural 低保 standard.
	DibaoStandard int64 `yaml:"dibao_standard"`
	// NationalRuralGrowth is the national rural income growth (NBS), if known.
	NationalRuralGrowth *float64 `yaml:"national_rural_growth"`
	// MedicalOOPThreshold is the household out-of-pocket sum that flags a
	// high medical burden.
	MedicalOOPThreshold int64 `yaml:"medical_oop_threshold"`
	// Source says where the figures come from.
	Source string `yaml:"source"`
}

// Targets are the plan's headline targets (province level).
type Targets struct {
	// EmployedPersons is the employment scale target (persons).
	EmployedPersons float64 `yaml:"employed_persons"`
	// HelpSalesYuan is the yearly sales target of assistance products.
	HelpSalesYuan float64 `yaml:"help_sales_yuan"`
	// VocationalEnrollment is the yearly vocational enrolment target.
	VocationalEnrollment float64 `yaml:"vocational_enrollment"`
	// YuluPlacement is the placement share target of 雨露计划 graduates.
	YuluPlacement float64 `yaml:"yulu_placement"`
	// PerCapitaFloorYuan is the per-capita income every household with labour
	// and without safety-net support must exceed by 2025.
	PerCapitaFloorYuan int64 `yaml:"per_capita_floor_yuan"`
}

// Params are the reference parameters: the key-assistance counties, the
// targets and the figures of each year.
type Params struct {
	// KeyCounties are the 6-digit codes of the key-assistance counties.
	KeyCounties []string `yaml:"key_counties"`
	// Targets are the plan's headline targets.
	Targets Targets `yaml:"targets"`
	// Years holds the parameters of each calendar year.
	Years map[int]YearParams `yaml:"years"`
}

// DefaultParams returns the embedded reference parameters of domain.md.
func DefaultParams() Params {
	p, err := decodeParams(defaultParams)
	if err != nil {
		panic(fmt.Sprintf("config: embedded params.yaml: %v", err))
	}
	return p
}

// LoadParams reads reference parameters from a YAML file; unknown keys are an
// error.
func LoadParams(path string) (Params, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Params{}, fmt.Errorf("reading parameters %s: %w", path, err)
	}
	p, err := decodeParams(b)
	if err != nil {
		return Params{}, fmt.Errorf("reading parameters %s: %w", path, err)
	}
	return p, nil
}

func decodeParams(b []byte) (Params, error) {
	var p Params
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return Params{}, err
	}
	return p, p.Validate()
}

// Validate checks the parameters without I/O.
func (p Params) Validate() error {
	for _, c := range p.KeyCounties {
		if len(c) != 6 {
			return fmt.Errorf("params key_counties: %q is not a 6-digit county code", c)
		}
	}
	for y, yp := range p.Years {
		if yp.RuralIncome <= 0 {
			return fmt.Errorf("params years.%d.rural_income: %d must be positive", y, yp.RuralIncome)
		}
		if yp.MonitoringLine <= 0 {
			return fmt.Errorf("params years.%d.monitoring_line: %d must be positive", y, yp.MonitoringLine)
		}
		if yp.DibaoStandard <= 0 {
			return fmt.Errorf("params years.%d.dibao_standard: %d must be positive", y, yp.DibaoStandard)
		}
	}
	return nil
}

// Year returns the parameters of year y, or an error naming the year when
// the configuration has none.
func (p Params) Year(y int) (YearParams, error) {
	yp, ok := p.Years[y]
	if !ok {
		return YearParams{}, fmt.Errorf("looking up reference parameters: params.years has no year %d", y)
	}
	return yp, nil
}

// IsKeyCounty reports whether the county is on the key-assistance list.
func (p Params) IsKeyCounty(county string) bool {
	for _, c := range p.KeyCounties {
		if c == county {
			return true
		}
	}
	return false
}
