package tables_test

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/privacy"
	"zengshou/transforms/tables"
)

// TestPersonMonthRowsAreTheMembersOfTheHouseholdRange: PersonMonth(p, from,
// to) writes one row per roster member of households [from, to), household
// by household, members in file order.
func TestPersonMonthRowsAreTheMembersOfTheHouseholdRange(t *testing.T) {
	tests := []struct {
		name     string
		from, to int
		// want are the masked IDs of the rows, in order.
		want []string
	}{
		{"all three households", 0, 3, []string{
			"360124********1004", "360731********0039", "360731********0018", "360731********0027", "360731********0088"}},
		{"the first household", 0, 1, []string{"360124********1004"}},
		{"the last two households", 1, 3, []string{
			"360731********0039", "360731********0018", "360731********0027", "360731********0088"}},
		{"the middle household", 1, 2, []string{"360731********0039", "360731********0018", "360731********0027"}},
		{"an empty range", 2, 2, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			p := buildPeriod(t, mem, june2025, threeHouseholds()...)
			defer p.Roster.Release()

			rec, err := tables.PersonMonth(p, tc.from, tc.to, mem)
			require.NoError(t, err)
			defer rec.Release()
			require.True(t, rec.Schema().Equal(schemas.PersonMonthTable.ArrowSchema()))
			require.Equal(t, tc.want, strs(t, rec, "id_masked"))
		})
	}
}

// identity is what person_month says of who a person is.
type identity struct {
	IDMasked, NameMasked, Relation string
	County, City, Village          string
	HouseholdType                  string
	Alleviated, Monitored          bool
	Labor                          string
	HasLabor, Relocated, KeyCounty bool
	Age                            uint8
	Sex                            string
}

// TestPersonMonthIdentity: the ID keeps its first 6 and last 4 characters,
// the name its first character; household type and relocation are those of
// the household's 户主 row (not the member's own); the age is in whole
// years on the last day of the period (2025-06-30) and the sex comes from
// the 17th digit of the ID number; county and city come from the village
// code and regions.csv, the key-county flag from the parameters.
func TestPersonMonthIdentity(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	want := []identity{
		{"360124********1004", "王**", "户主", "360124", "360100", jinxianVillage, "脱贫户", true, false,
			"普通劳动力", true, false, false, 50, "女"},
		// The child's own row says 脱贫户 and not relocated: the 户主 row speaks.
		{"360731********0039", "张**", "子女", "360731", "360700", yuduVillage, "脱贫不稳定户", true, true,
			"无劳动力", false, true, true, 10, "男"},
		// Born 1992-07-01: still 32 on 2025-06-30.
		{"360731********0018", "张**", "户主", "360731", "360700", yuduVillage, "脱贫不稳定户", true, true,
			"普通劳动力", true, true, true, 32, "男"},
		// Born 1990-06-30: 35 on the period's last day (34 on its first).
		{"360731********0027", "李**", "配偶", "360731", "360700", yuduVillage, "脱贫不稳定户", true, true,
			"丧失劳动力", false, true, true, 35, "女"},
		// A two-character surname is masked after its first character too.
		{"360731********0088", "欧**", "户主", "360731", "360700", yuduVillage2, "边缘易致贫户", false, true,
			"技能劳动力", true, false, true, 70, "女"},
	}
	ids, names, relations := strs(t, rec, "id_masked"), strs(t, rec, "name_masked"), strs(t, rec, "relation")
	counties, cities, villages := strs(t, rec, "county_code"), strs(t, rec, "city_code"), strs(t, rec, "village_code")
	types, labors, sexes := strs(t, rec, "household_type"), strs(t, rec, "labor_capacity"), strs(t, rec, "sex")
	alleviated, monitored, hasLabor := flags(t, rec, "is_poverty_alleviated"), flags(t, rec, "is_monitored"), flags(t, rec, "has_labor")
	relocated, key := flags(t, rec, "is_relocated"), flags(t, rec, "is_key_county")
	ages := column(t, rec, "age").(*array.Uint8)
	got := make([]identity, rec.NumRows())
	for i := range got {
		got[i] = identity{ids[i], names[i], relations[i], counties[i], cities[i], villages[i], types[i],
			alleviated[i], monitored[i], labors[i], hasLabor[i], relocated[i], key[i], ages.Value(i), sexes[i]}
	}
	require.Equal(t, want, got)
}

// TestPersonMonthKeysAndRunColumns: the person and household keys are the
// HMACs of the ID number and of county:household number; every row carries
// the period's first day, its year, the sources delivered and the run.
func TestPersonMonthKeysAndRunColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	keyer, err := privacy.NewKeyer(testKey)
	require.NoError(t, err)
	var wantPersons, wantHouseholds []string
	for _, hh := range threeHouseholds() {
		for _, m := range hh.members {
			wantPersons = append(wantPersons, keyer.PersonKey(m.id))
			wantHouseholds = append(wantHouseholds, keyer.HouseholdKey(hh.village[:6], hh.no))
		}
	}
	require.Equal(t, wantPersons, strs(t, rec, "person_key"))
	require.Equal(t, wantHouseholds, strs(t, rec, "household_key"))

	periods := column(t, rec, "period").(*array.Date32)
	years := column(t, rec, "year").(*array.Uint16)
	present := column(t, rec, "sources_present").(*array.List)
	presentValues := present.ListValues().(*array.String)
	for i := 0; i < int(rec.NumRows()); i++ {
		require.Equal(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), periods.Value(i).ToTime(), "period is the month's first day")
		require.Equal(t, uint16(2025), years.Value(i))
		from, to := present.ValueOffsets(i)
		var got []string
		for j := from; j < to; j++ {
			got = append(got, presentValues.Value(int(j)))
		}
		require.Equal(t, []string{"civil", "employment", "roster"}, got, "row %d", i)
	}
	require.Equal(t, []string{"run-test", "run-test", "run-test", "run-test", "run-test"}, strs(t, rec, "run_id"))
}

// TestPersonMonthMoneyColumns: each department amount of the month goes to
// its own Decimal(18, 2) column, exact to the fen, on its own person's row;
// a person without a record has 0.
func TestPersonMonthMoneyColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	tests := []struct {
		column string
		row    int
		amount string
	}{
		{"wage", rowSanFeng, "4,300.50"},
		{"travel_subsidy", rowSanFeng, "500"},
		{"pension", rowOuyang, "163.01"},
		{"dibao", rowXiuYing, "650"},
		{"tekun", rowOuyang, "1,100"},
		{"temp_relief", rowWang, "1,000.10"},
		{"disability_allowance", rowXiuYing, "90"},
		{"disability_care", rowXiuYing, "110.50"},
		{"education_aid", rowXiaoMing, "2,500"},
		{"yulu_aid", rowXiaoMing, "1,500"},
		{"insurance_subsidy", rowWang, "380"},
		{"medical_total", rowXiuYing, "12,800"},
		{"medical_oop", rowXiuYing, "3,400.99"},
	}
	for _, tc := range tests {
		p.PersonFacts.SetMoney(tc.column, tc.row, yuan(t, tc.amount))
	}
	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	for _, tc := range tests {
		t.Run(tc.column, func(t *testing.T) {
			want := make([]int64, 5)
			want[tc.row] = yuan(t, tc.amount)
			require.Equal(t, want, fen(t, rec, tc.column))
		})
	}
}

// TestPersonMonthFlagAndTextFacts: the month's non-money facts land on
// their person's row; a person without a record has false and "".
func TestPersonMonthFlagAndTextFacts(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	f := p.PersonFacts
	f.SetFlag(schemas.Employed, rowSanFeng, true)
	f.SetText(schemas.EmploymentForm, rowSanFeng, "企业务工")
	f.SetText(schemas.EmploymentArea, rowSanFeng, "省外")
	f.SetText(schemas.StudentStage, rowXiaoMing, "小学")
	f.SetText(schemas.StudentStatus, rowXiaoMing, "在读")
	f.SetFlag(schemas.NewVocational, rowWang, true)
	f.SetFlag(schemas.Insured, rowXiuYing, true)
	f.SetFlag(schemas.Insured, rowOuyang, true)
	f.SetFlag(schemas.Deceased, rowOuyang, true)

	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	//                                   王芳   张小明 张三丰 李秀英 欧阳娜娜
	require.Equal(t, []bool{false, false, true, false, false}, flags(t, rec, "employed"))
	require.Equal(t, []string{"", "", "企业务工", "", ""}, strs(t, rec, "employment_form"))
	require.Equal(t, []string{"", "", "省外", "", ""}, strs(t, rec, "employment_area"))
	require.Equal(t, []string{"", "小学", "", "", ""}, strs(t, rec, "student_stage"))
	require.Equal(t, []string{"", "在读", "", "", ""}, strs(t, rec, "student_status"))
	require.Equal(t, []bool{true, false, false, false, false}, flags(t, rec, "new_vocational_enrollment"))
	require.Equal(t, []bool{false, false, false, true, true}, flags(t, rec, "insured"))
	require.Equal(t, []bool{false, false, false, false, true}, flags(t, rec, "deceased"))
}

// TestPersonMonthDeceasedIsAsOfTheEndOfThePeriod: deceased and death_date
// say whether the person is registered dead by the end of the period — this
// month's 死亡登记 or one of any earlier published period, of any year — so
// they are set in every month after the registration's, the date carried;
// this month's registration wins over an earlier one.
func TestPersonMonthDeceasedIsAsOfTheEndOfThePeriod(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	day := func(s string) arrow.Date32 {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return arrow.Date32FromTime(d)
	}
	f := p.PersonFacts
	diedNow := func(row int, date arrow.Date32) {
		f.SetFlag(schemas.Deceased, row, true)
		f.SetDate(schemas.DeathDate, row, date)
	}
	// 张三丰: registered in November of the year before.
	fixture.SetDiedBefore(p, rowSanFeng, day("2024-11-15"))
	// 李秀英: registered in March, re-registered this month with another date.
	fixture.SetDiedBefore(p, rowXiuYing, day("2025-03-02"))
	diedNow(rowXiuYing, day("2025-02-27"))
	// 欧阳娜娜: registered this month, 死亡日期 in December of the year before.
	diedNow(rowOuyang, day("2024-12-20"))
	// 王芳: registered before death dates were recorded (date unknown).
	fixture.SetDiedBefore(p, rowWang, 0)

	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	//                                   王芳   张小明 张三丰 李秀英 欧阳娜娜
	require.Equal(t, []bool{true, false, true, true, true}, flags(t, rec, "deceased"))
	dates := column(t, rec, "death_date").(*array.Date32)
	var got []string
	for i := 0; i < dates.Len(); i++ {
		if dates.IsNull(i) {
			got = append(got, "null")
			continue
		}
		got = append(got, dates.Value(i).FormattedString())
	}
	require.Equal(t, []string{"null", "null", "2024-11-15", "2025-02-27", "2024-12-20"}, got)
}

// TestPersonMonthWritesNoRawIdentity: no text column of person_month holds
// a raw ID number, its birth-date-and-sequence middle, or a full name
// (warehouse.md, privacy rules).
func TestPersonMonthWritesNoRawIdentity(t *testing.T) {
	mem := memory.NewCheckedAllocator(poisonmem.New())
	defer mem.AssertSize(t, 0)
	p := buildPeriod(t, mem, june2025, threeHouseholds()...)
	defer p.Roster.Release()

	rec, err := tables.PersonMonth(p, 0, 3, mem)
	require.NoError(t, err)
	defer rec.Release()

	var text []string
	for c, field := range rec.Schema().Fields() {
		switch a := rec.Column(c).(type) {
		case *array.String:
			for i := 0; i < a.Len(); i++ {
				text = append(text, field.Name+"="+a.Value(i))
			}
		case *array.List:
			values := a.ListValues().(*array.String)
			for i := 0; i < values.Len(); i++ {
				text = append(text, field.Name+"="+values.Value(i))
			}
		default:
			require.NotEqual(t, arrow.STRING, field.Type.ID())
		}
	}
	all := strings.Join(text, "\n")
	for _, hh := range threeHouseholds() {
		for _, m := range hh.members {
			require.NotContains(t, all, m.id)
			require.NotContains(t, all, m.id[6:14], "birth date of %s", m.name)
			require.NotContains(t, all, m.name)
		}
	}
}
