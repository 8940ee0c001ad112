package income_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"zengshou/config"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// yuan is an amount written in yuan in case.yaml ("1,234.50", 1000.01),
// held as exact fen; it is parsed as text, never as a float.
type yuan int64

func (y *yuan) UnmarshalYAML(n *yaml.Node) error {
	fen, err := values.ParseMoney(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*y = yuan(fen)
	return nil
}

// month is a month written as 2025-06 in case.yaml.
type month values.Month

func (m *month) UnmarshalYAML(n *yaml.Node) error {
	v, err := values.ParseMonth(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*m = month(v)
	return nil
}

// caseFile is a golden case's input: the roster of the period with each
// member's department facts, the survey, and the published history.
type caseFile struct {
	Period month `yaml:"period"`
	// Params pins the year's reference parameters the case depends on, so
	// that replacing a placeholder in params.yaml does not change the case.
	Params struct {
		MonitoringLine     int64 `yaml:"monitoring_line"`
		PerCapitaFloorYuan int64 `yaml:"per_capita_floor_yuan"`
	} `yaml:"params"`
	Households []caseHousehold `yaml:"households"`
}

type caseHousehold struct {
	No        string `yaml:"no"`
	Village   string `yaml:"village"`
	Type      string `yaml:"type"`
	Relocated bool   `yaml:"relocated"`
	// PrevYearPerCapita is the household's final per-capita net income of
	// the previous year, if the warehouse has one.
	PrevYearPerCapita *yuan `yaml:"prev_year_per_capita"`
	// Survey is the latest household_income row of the year: from this
	// period's extract when its period is the case's, else from the warehouse.
	Survey  *caseSurvey  `yaml:"survey"`
	Members []caseMember `yaml:"members"`
}

type caseSurvey struct {
	Period           month `yaml:"period"`
	BusinessIncome   yuan  `yaml:"business_income"`
	BusinessCost     yuan  `yaml:"business_cost"`
	PropertyIncome   yuan  `yaml:"property_income"`
	TransferOther    yuan  `yaml:"transfer_other"`
	WageSelfReported yuan  `yaml:"wage_self_reported"`
}

type caseMember struct {
	Relation string `yaml:"relation"`
	Labor    string `yaml:"labor"`
	// Size is the member's 家庭人口数.
	Size int64 `yaml:"size"`
	// Before sums the published months of the year before the period.
	Before facts `yaml:"before"`
	// Month is what the departments reported this period.
	Month facts `yaml:"month"`
}

// facts are a person's department amounts over some months.
type facts struct {
	Wage           yuan `yaml:"wage"`
	TravelSubsidy  yuan `yaml:"travel_subsidy"`
	Pension        yuan `yaml:"pension"`
	Dibao          yuan `yaml:"dibao"`
	Tekun          yuan `yaml:"tekun"`
	TempRelief     yuan `yaml:"temp_relief"`
	Disability     yuan `yaml:"disability"`
	DisabilityCare yuan `yaml:"disability_care"`
	EducationAid   yuan `yaml:"education_aid"`
	YuluAid        yuan `yaml:"yulu_aid"`
	MedicalOOP     yuan `yaml:"medical_oop"`
}

// decodeYAML reads a YAML file strictly: an unknown key is an error, so a
// misspelt field cannot silently read as zero.
func decodeYAML(t *testing.T, path string, out any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(out), path)
}

// loadCase reads testdata/<name>/case.yaml and builds the model.Period it
// describes: the roster through fixture.NewPeriod, this month's facts in
// monthly.Facts, the earlier months in History. The caller releases
// p.Roster.
func loadCase(t *testing.T, mem memory.Allocator, dir string) *model.Period {
	t.Helper()
	var c caseFile
	decodeYAML(t, filepath.Join(dir, "case.yaml"), &c)
	require.NotZero(t, c.Params.MonitoringLine, "case.yaml must pin params.monitoring_line")
	require.NotZero(t, c.Params.PerCapitaFloorYuan, "case.yaml must pin params.per_capita_floor_yuan")
	period := values.Month(c.Period)

	var persons []fixture.Person
	for _, hh := range c.Households {
		for _, m := range hh.Members {
			persons = append(persons, fixture.Person{
				ID:        fixture.ID(fmt.Sprintf("%s19800101%03d", hh.Village[:6], len(persons))),
				Household: hh.No, Relation: m.Relation, Village: hh.Village,
				Type: hh.Type, Labor: m.Labor, Relocated: hh.Relocated, Size: m.Size,
			})
		}
	}
	p := fixture.NewPeriod(t, mem, period, persons,
		fixture.Params(func(params *config.Params, yp *config.YearParams) {
			yp.MonitoringLine = c.Params.MonitoringLine
			params.Targets.PerCapitaFloorYuan = c.Params.PerCapitaFloorYuan
		}),
		fixture.Present(schemas.Roster, schemas.HouseholdIncome, schemas.Employment, schemas.Civil, schemas.Pension, schemas.Education, schemas.Medical),
	)
	require.Len(t, p.Households, len(c.Households), "households of case.yaml must have distinct numbers")
	p.History.Missing = fixture.Published(period)
	row := int32(0)
	for h, hh := range c.Households {
		require.Equal(t, hh.No, p.Households[h].No, "household order")
		key := p.HouseholdKeys[h]
		if hh.PrevYearPerCapita != nil {
			p.History.PrevYearPerCapita[key] = int64(*hh.PrevYearPerCapita)
		}
		if s := hh.Survey; s != nil {
			sv := model.Survey{
				Period: values.Month(s.Period), BusinessIncome: int64(s.BusinessIncome), BusinessCost: int64(s.BusinessCost),
				PropertyIncome: int64(s.PropertyIncome), TransferOther: int64(s.TransferOther), WageSelfReported: int64(s.WageSelfReported),
			}
			switch {
			case sv.Period == period:
				p.Surveys[h] = &sv
			case sv.Period < period && sv.Period.Year() == period.Year():
				p.History.Surveys[key] = sv
			default:
				t.Fatalf("household %s: survey period %s outside %d-01..%s", hh.No, sv.Period, period.Year(), period)
			}
		}
		for _, m := range hh.Members {
			fixture.SetBefore(p, row, before(m.Before))
			thisMonth(p, row, m.Month)
			row++
		}
	}
	return p
}

// before turns the published months' amounts into warehouse history.
func before(f facts) fixture.Before {
	return fixture.Before{
		Wage: int64(f.Wage), TravelSubsidy: int64(f.TravelSubsidy), Pension: int64(f.Pension),
		Dibao: int64(f.Dibao), Tekun: int64(f.Tekun), TempRelief: int64(f.TempRelief),
		Disability: int64(f.Disability), DisabilityCare: int64(f.DisabilityCare),
		EducationAid: int64(f.EducationAid), YuluAid: int64(f.YuluAid), MedicalOutOfPocket: int64(f.MedicalOOP),
		Employed: f.Wage > 0,
	}
}

// thisMonth writes a person's amounts of the period into the facts.
func thisMonth(p *model.Period, row int32, f facts) {
	pf, i := p.PersonFacts, int(row)
	for col, v := range map[string]int64{
		schemas.Wage: int64(f.Wage), schemas.TravelSubsidy: int64(f.TravelSubsidy), schemas.PensionPaid: int64(f.Pension),
		schemas.Dibao: int64(f.Dibao), schemas.Tekun: int64(f.Tekun), schemas.TempRelief: int64(f.TempRelief),
		schemas.DisabilityAllowance: int64(f.Disability), schemas.DisabilityCare: int64(f.DisabilityCare),
		schemas.EducationAid: int64(f.EducationAid), schemas.YuluAid: int64(f.YuluAid), schemas.MedicalOOP: int64(f.MedicalOOP),
	} {
		pf.SetMoney(col, i, v)
	}
	pf.SetFlag(schemas.Employed, i, f.Wage > 0)
}
