package indicators_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/indicators"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// member is one roster row: its own type and relocation flag (a household
// follows its 户主 row's) and what the departments recorded for the person.
type member struct {
	relation, typ string
	relocated     bool
	size          int64
	// labor is the 劳动能力; "" means 普通劳动力.
	labor string
	// The …Before facts come from the published months of the year, the
	// …Now facts from this period's extracts.
	employedBefore, employedNow     bool
	vocationalBefore, vocationalNow bool
	deceasedNow                     bool
	// deathBefore is the 死亡日期 of a death registered in an earlier
	// published period, of any year (History.PersonLife); "" when none.
	deathBefore string
	// inSchoolBefore: 在读 in an earlier month; studentNow: this month's
	// 学籍状态 ("" when no education row).
	inSchoolBefore bool
	studentNow     string
	// aidBefore and aidNow are 资助金额 in fen; dibao is 城乡低保 paid in
	// earlier months, in fen.
	aidBefore, aidNow, dibao int64
	// insured: 正常参保 for the year in this period's medical extract.
	insured bool
	// employedIn is the latest earlier month of the year with an employment
	// row (0 when none); it implies employedBefore.
	employedIn values.Month
	// yuluBefore: 雨露计划 aid in some published period before this one, of
	// any year (History.PersonLife); yuluNow is this month's 雨露计划 资助金额
	// in fen, paid on top of aidNow.
	yuluBefore bool
	yuluNow    int64
	// graduationBefore is the latest 毕业 record of the published months of
	// the year, graduationNow this month's (zero Month when none).
	graduationBefore, graduationNow fixture.Graduation
}

// household is one roster household and its year-to-date net income.
type household struct {
	no, village string
	members     []member
	// netIncome is the year-to-date net income in fen. build makes the
	// survey row supply what the members' department payments do not, so
	// income.Compute gives exactly this figure.
	netIncome int64
	// set writes the household's declared department facts (housing, water).
	set func(p *model.Period, h int)
}

// world is the period the indicators are computed for.
type world struct {
	period     values.Month
	households []household
	// salesBefore is sales over Y-01..P-1 by county, in fen.
	salesBefore map[string]int64
	sales       []model.SalesRow
	// present lists the sources delivered this month; missing the sources
	// missing in each earlier month (a month absent from the map was never
	// published).
	present []string
	missing map[values.Month][]string
	// prevDecember holds December of Y-1's indicator values.
	prevDecember map[model.IndicatorKey]float64
}

// build makes the model.Period of w and the income rows of its households;
// the caller releases p.Roster.
func (w world) build(t *testing.T, mem memory.Allocator) *indicators.Input {
	t.Helper()
	var persons []fixture.Person
	var members []member
	for _, hh := range w.households {
		for _, m := range hh.members {
			members = append(members, m)
			persons = append(persons, fixture.Person{
				ID:        fixture.ID(fmt.Sprintf("%s19900101%03d", hh.village[:6], len(persons))),
				Household: hh.no, Relation: m.relation, Village: hh.village,
				Type: m.typ, Labor: m.labor, Relocated: m.relocated, Size: m.size,
			})
		}
	}
	p := fixture.NewPeriod(t, mem, w.period, persons, fixture.Present(w.present...))
	require.Len(t, p.Households, len(w.households))
	p.Sales = w.sales
	p.History.PrevYearIndicators = w.prevDecember
	p.History.SalesYTD, p.History.Missing = w.salesBefore, w.missing
	for i, m := range members {
		row := int32(i)
		fixture.SetBefore(p, row, fixture.Before{
			Employed: m.employedBefore || m.employedIn != 0, NewVocational: m.vocationalBefore,
			InSchool: m.inSchoolBefore, EducationAid: m.aidBefore, Dibao: m.dibao,
			LastEmployed: m.employedIn, Graduation: m.graduationBefore,
		})
		if m.deathBefore != "" {
			fixture.SetDiedBefore(p, row, fixture.Day(m.deathBefore))
		}
		if m.yuluBefore {
			fixture.SetYuluBefore(p, row)
		}
		f := p.PersonFacts
		f.SetFlag(schemas.Employed, i, m.employedNow)
		f.SetFlag(schemas.NewVocational, i, m.vocationalNow)
		f.SetFlag(schemas.Deceased, i, m.deceasedNow)
		f.SetText(schemas.StudentStatus, i, m.studentNow)
		f.SetMoney(schemas.EducationAid, i, m.aidNow+m.yuluNow)
		f.SetMoney(schemas.YuluAid, i, m.yuluNow)
		f.SetFlag(schemas.Insured, i, m.insured)
		fixture.SetGraduationNow(p, row, m.graduationNow)
	}
	for h, hh := range p.Households {
		if set := w.households[h].set; set != nil {
			set(p, h)
		}
		net := w.households[h].netIncome
		for _, m := range hh.Members {
			net -= p.PersonMoneyYTD(schemas.EducationAid, m) + p.PersonMoneyYTD(schemas.Dibao, m)
		}
		p.Surveys[h] = &model.Survey{Period: w.period, BusinessIncome: net}
	}
	incomes := income.Compute(p)
	for h := range p.Households {
		require.Equal(t, w.households[h].netIncome, incomes[h].NetIncome, "net income of household %d", h)
	}
	return &indicators.Input{P: p, Incomes: incomes}
}

// rowKey names one indicator row.
type rowKey struct{ code, level, region string }

// byKey indexes indicator rows, failing on a repeated row.
func byKey(t *testing.T, rows []indicators.Row) map[rowKey]indicators.Row {
	t.Helper()
	out := make(map[rowKey]indicators.Row, len(rows))
	for _, r := range rows {
		k := rowKey{r.Code, r.Level, r.Region}
		_, dup := out[k]
		require.False(t, dup, "row %v written twice", k)
		out[k] = r
	}
	return out
}
