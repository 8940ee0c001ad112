package income_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/income"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// TestCollectiveDistributionsInTheIncomeStructure, worked by hand (June
// 2025, one-person households, amounts in yuan):
//
//	H1 按劳分配 300 now + 1 200 before, survey 自报工资 1 000:
//	   wage_verified 1 500, reported-only max(0, 1 000 − 1 500) = 0
//	H2 兜底救助 400 now: transfer_dept 400
//	H3 按股分红 200 now + 300 before = property_verified 500, survey 财产性
//	   800: property_income 500 + max(0, 800 − 500) = 800
//	H4 按股分红 500, survey 财产性 200: property_income 500 + 0 = 500
//	H5 no collective row, survey 财产性 −50 (a loss): stands, −50
func TestCollectiveDistributionsInTheIncomeStructure(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	var persons []fixture.Person
	for i, no := range []string{"H1", "H2", "H3", "H4", "H5"} {
		persons = append(persons, fixture.Person{
			ID: fixture.ID("3607311980010100" + string(rune('1'+i))), Household: no, Relation: "户主",
			Village: "360731100001", Type: "脱贫户", Labor: "普通劳动力", Size: 1,
		})
	}
	p := fixture.NewPeriod(t, mem, values.NewMonth(2025, 6), persons,
		fixture.HouseholdKey(func(h join.Household) string { return h.No }))
	defer p.Roster.Release()
	y := fixture.Yuan
	f := p.HouseholdFacts
	f.SetMoney(schemas.CollectiveLabor, 0, y("300"))
	p.History.HouseholdFacts.SetInt(schemas.CollectiveLabor, "H1", y("1200"))
	f.SetMoney(schemas.CollectiveRelief, 1, y("400"))
	f.SetMoney(schemas.CollectiveDividend, 2, y("200"))
	p.History.HouseholdFacts.SetInt(schemas.CollectiveDividend, "H3", y("300"))
	f.SetMoney(schemas.CollectiveDividend, 3, y("500"))
	june := values.NewMonth(2025, 6)
	p.Surveys[0] = &model.Survey{Period: june, WageSelfReported: y("1000")}
	p.Surveys[2] = &model.Survey{Period: june, PropertyIncome: y("800")}
	p.Surveys[3] = &model.Survey{Period: june, PropertyIncome: y("200")}
	p.Surveys[4] = &model.Survey{Period: june, PropertyIncome: y("-50")}

	got := income.Compute(p)
	type structure struct{ wageVerified, reportedOnly, transferDept, propertyVerified, property, net int64 }
	want := []structure{
		{y("1500"), 0, 0, 0, 0, y("1500")},
		{0, 0, y("400"), 0, 0, y("400")},
		{0, 0, 0, y("500"), y("800"), y("800")},
		{0, 0, 0, y("500"), y("500"), y("500")},
		{0, 0, 0, 0, y("-50"), y("-50")},
	}
	for h, w := range want {
		g := got[h]
		require.Equal(t, w, structure{g.WageVerified, g.WageReportedOnly, g.TransferDept, g.PropertyVerified, g.PropertyIncome, g.NetIncome}, p.Households[h].No)
	}
}
