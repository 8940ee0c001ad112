package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/rules"
	"zengshou/transforms/values"
)

// The year parameters every case is judged against, pinned so that replacing
// a placeholder in params.yaml does not change the cases.
const (
	monitoringLine  = 7900
	dibaoStandard   = 7680
	medicalOOPLimit = 5000
)

// june2025 is the period of the cases: m = 6, so for a household of two the
// annualized per-capita income equals the year-to-date net income.
var june2025 = values.NewMonth(2025, 6)

// names are the roster's 姓名, checked never to appear in a detail.
var names = []string{"王秀英", "李建国", "张桂兰", "刘志强", "陈玉梅", "杨德明"}

// month is what the departments reported for a person this period.
type month struct {
	wage, dibao, tekun, tempRelief, educationAid, medicalOOP int64
	pension, disability, disabilityCare, travelSubsidy       int64
	employed, insured, deceased                              bool
	// subsidyCategory is 资助参保类别 of the 正常参保 row (with insured).
	subsidyCategory, studentStage, studentStatus string
	// deathDay is the 死亡日期 of a death registration, 2025-06-03.
	deathDay string
}

// person is one roster row.
type person struct {
	// relation defaults to 户主 for the first member, 子女 for the others;
	// labor to 无劳动力; size (家庭人口数) to the number of members.
	relation, labor string
	size            int64
	// before sums the published months of the year before the period.
	before fixture.Before
	// deathBefore is the latest death date registered in a published period
	// before this one, of any year (History.PersonLife), 2025-03-15.
	deathBefore string
	now         month
}

// house is one roster household: its 户主 row's type and flags (every
// member carries them), its survey row and last year's December figures.
type house struct {
	// no is the 户编号, also the test's name for the household.
	no string
	// typ defaults to 脱贫户; village to 360731100001 (于都县).
	typ, village   string
	relocated      bool
	riskEliminated *bool
	// survey is this period's household_income row (its Period is set).
	survey *model.Survey
	// prevPerCapita and prevVerified are December of Y-1's per-capita net
	// and department-verified income, in fen.
	prevPerCapita, prevVerified *int64
	members                     []person
	// set writes the household's declared department facts (housing,
	// water, collective) and their history.
	set func(p *model.Period, h int)
}

// world is one period's roster, facts and history.
type world struct {
	households []house
	// present lists the sources delivered this period; nil means all.
	present []string
	// medicalThreshold overrides MedicalOOPThreshold when non-nil.
	medicalThreshold *int64
}

// built is a world made into rules.Input, with what the checks need.
type built struct {
	in    *rules.Input
	ids   []string
	names []string
}

func ptr[T any](v T) *T { return &v }

// business is a survey row holding only 生产经营性收入: the simplest way to
// give a household a net income.
func business(fen int64) *model.Survey { return &model.Survey{BusinessIncome: fen} }

// pair is a household of two with no department facts.
func pair(no, typ string, s *model.Survey) house {
	return house{no: no, typ: typ, survey: s, members: []person{{}, {}}}
}

// personKey is the test's person key: household number and member index.
func personKey(no string, i int) string { return fmt.Sprintf("%s/%d", no, i) }

// build makes the model.Period of w through fixture.NewPeriod, which runs
// join.NewRosterBuilder and join.Households like the pipeline, and its income
// rows through income.Compute. The caller releases in.P.Roster.
func (w world) build(t *testing.T, mem memory.Allocator) built {
	t.Helper()
	var out built
	var persons []fixture.Person
	var keys []string
	for _, hh := range w.households {
		village := hh.village
		if village == "" {
			village = "360731100001"
		}
		for i, m := range hh.members {
			relation := m.relation
			if relation == "" {
				relation = "子女"
				if i == 0 {
					relation = "户主"
				}
			}
			labor := m.labor
			if labor == "" {
				labor = "无劳动力"
			}
			size := m.size
			if size == 0 {
				size = int64(len(hh.members))
			}
			id := fixture.ID(fmt.Sprintf("%s19800101%03d", village[:6], len(persons)))
			name := names[len(persons)%len(names)]
			out.ids, out.names = append(out.ids, id), append(out.names, name)
			keys = append(keys, personKey(hh.no, i))
			persons = append(persons, fixture.Person{
				ID: id, Name: name, Household: hh.no, Relation: relation, Village: village,
				Type: hh.typ, Labor: labor, Relocated: hh.relocated, Size: size,
				RiskEliminated: hh.riskEliminated,
			})
		}
	}
	opts := []fixture.Option{
		fixture.PersonKey(func(row int, _ fixture.Person) string { return keys[row] }),
		fixture.HouseholdKey(func(h join.Household) string { return h.No }),
		fixture.Params(func(_ *config.Params, yp *config.YearParams) {
			yp.MonitoringLine, yp.DibaoStandard, yp.MedicalOOPThreshold = monitoringLine, dibaoStandard, medicalOOPLimit
			if w.medicalThreshold != nil {
				yp.MedicalOOPThreshold = *w.medicalThreshold
			}
		}),
	}
	if w.present != nil {
		opts = append(opts, fixture.Present(w.present...))
	}
	p := fixture.NewPeriod(t, mem, june2025, persons, opts...)
	require.Len(t, p.Households, len(w.households), "households of a world must have distinct numbers")
	row := int32(0)
	for h, hh := range w.households {
		if hh.survey != nil {
			s := *hh.survey
			s.Period = june2025
			p.Surveys[h] = &s
		}
		if hh.prevPerCapita != nil {
			p.History.PrevYearPerCapita[hh.no] = *hh.prevPerCapita
		}
		if hh.prevVerified != nil {
			p.History.PrevYearVerifiedPerCapita[hh.no] = *hh.prevVerified
		}
		if hh.set != nil {
			hh.set(p, h)
		}
		for _, m := range hh.members {
			fixture.SetBefore(p, row, m.before)
			if m.deathBefore != "" {
				fixture.SetDiedBefore(p, row, fixture.Day(m.deathBefore))
			}
			setMonth(t, p, row, m.now)
			row++
		}
	}
	out.in = &rules.Input{
		P: p, Incomes: income.Compute(p),
		HouseholdKey: func(county, no string) string { return no },
		PersonKey:    func(id string) string { return "person:" + id },
	}
	return out
}

// setMonth writes a person's facts of the period.
func setMonth(t *testing.T, p *model.Period, row int32, m month) {
	t.Helper()
	f, i := p.PersonFacts, int(row)
	for col, v := range map[string]int64{
		schemas.Wage: m.wage, schemas.TravelSubsidy: m.travelSubsidy,
		schemas.Dibao: m.dibao, schemas.Tekun: m.tekun, schemas.TempRelief: m.tempRelief,
		schemas.PensionPaid: m.pension, schemas.DisabilityAllowance: m.disability, schemas.DisabilityCare: m.disabilityCare,
		schemas.EducationAid: m.educationAid, schemas.MedicalOOP: m.medicalOOP,
	} {
		f.SetMoney(col, i, v)
	}
	f.SetFlag(schemas.Employed, i, m.employed || m.wage > 0)
	f.SetFlag(schemas.Insured, i, m.insured)
	f.SetText(schemas.InsuranceSubsidyCategory, i, m.subsidyCategory)
	f.SetText(schemas.StudentStage, i, m.studentStage)
	f.SetText(schemas.StudentStatus, i, m.studentStatus)
	if m.deathDay != "" {
		d, err := time.Parse(time.DateOnly, m.deathDay)
		require.NoError(t, err)
		f.SetFlag(schemas.Deceased, i, true)
		f.SetDate(schemas.DeathDate, i, arrow.Date32FromTime(d))
	}
	if m.deceased {
		f.SetFlag(schemas.Deceased, i, true)
	}
}

// ruleCase is one world evaluated by one rule: the households or persons
// (personKey) it fires for and, for some, the exact detail.
type ruleCase struct {
	name    string
	world   world
	fires   []string
	details map[string]string
}

// runRule evaluates one rule over each case, as rules.Evaluate does, and
// checks what fired, the details given, and the invariants every finding
// keeps: one per household (or person), the household's county, a person
// key exactly for person-level rules, and no ID number or name in the text.
func runRule(t *testing.T, rule rules.Rule, personLevel bool, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			b := c.world.build(t, mem)
			defer b.in.P.Roster.Release()
			p := b.in.P

			got := map[string]rules.Finding{}
			var order []string
			rule.Eval(b.in, func(f rules.Finding) {
				key := f.HouseholdKey
				if personLevel {
					require.NotEmpty(t, f.PersonKey, "person-level finding without a person")
					require.True(t, strings.HasPrefix(f.PersonKey, f.HouseholdKey+"/"), "person %s outside household %s", f.PersonKey, f.HouseholdKey)
					key = f.PersonKey
				} else {
					require.Empty(t, f.PersonKey, "household-level finding names a person")
				}
				_, dup := got[key]
				require.False(t, dup, "%s fired twice for %s", rule.Code, key)
				got[key] = f
				order = append(order, key)
				h := indexOf(t, p.HouseholdKeys, f.HouseholdKey)
				require.Equal(t, p.Households[h].County, f.County)
				checkDetail(t, b, f.Detail)
			})
			want := c.fires
			if want == nil {
				want = []string{}
			}
			if order == nil {
				order = []string{}
			}
			require.ElementsMatch(t, want, order)
			for key, detail := range c.details {
				require.Equal(t, detail, got[key].Detail, key)
			}
		})
	}
}

// checkDetail: a detail is a Chinese sentence with no ID number or name.
func checkDetail(t *testing.T, b built, detail string) {
	t.Helper()
	require.NotEmpty(t, detail)
	for i, id := range b.ids {
		require.NotContains(t, detail, id)
		require.NotContains(t, detail, id[:14], "detail carries part of an ID number")
		require.NotContains(t, detail, b.names[i])
	}
}

func indexOf(t *testing.T, list []string, s string) int {
	t.Helper()
	for i, v := range list {
		if v == s {
			return i
		}
	}
	t.Fatalf("%q not among %v", s, list)
	return -1
}
