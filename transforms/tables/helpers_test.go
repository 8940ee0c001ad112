package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
	"zengshou/transforms/privacy"
	"zengshou/transforms/values"
)

// june2025 is the reporting period of the tests; it ends on 2025-06-30.
var june2025 = values.NewMonth(2025, 6)

// testKey is the HMAC key the tests pseudonymise with.
var testKey = []byte("tables-test-key-0123456789")

// member is one roster row: the person and what the roster says of them.
// Type and relocated are the row's own; the household follows its 户主 row.
type member struct {
	id, name, relation, typ, labor string
	relocated                      bool
	size                           int64
	// risk is 风险是否消除 (nil: not filled in).
	risk *bool
}

// household is one roster household: its number, village and members in
// file order.
type household struct {
	no, village string
	members     []member
}

// buildPeriod makes the model.Period of households for month through
// fixture.NewPeriod, the way the pipeline does, with keys by a privacy.Keyer,
// empty facts and history, and the civil, employment and roster extracts
// present. The caller releases p.Roster.
func buildPeriod(t *testing.T, mem memory.Allocator, month values.Month, households ...household) *model.Period {
	t.Helper()
	var persons []fixture.Person
	for _, hh := range households {
		for _, m := range hh.members {
			norm, err := idnum.Normalize(m.id)
			require.NoError(t, err, "test ID %s", m.id)
			require.Equal(t, m.id, norm, "test IDs are written normalised")
			persons = append(persons, fixture.Person{
				ID: m.id, Name: m.name, Household: hh.no, Relation: m.relation, Village: hh.village,
				Type: m.typ, Labor: m.labor, Relocated: m.relocated, Size: m.size, RiskEliminated: m.risk,
			})
		}
	}
	keyer, err := privacy.NewKeyer(testKey)
	require.NoError(t, err)
	p := fixture.NewPeriod(t, mem, month, persons,
		fixture.RunID("run-test"),
		fixture.Present(schemas.Civil, schemas.Employment, schemas.Roster),
		fixture.PersonKey(func(_ int, p fixture.Person) string { return keyer.PersonKey(p.ID) }),
		fixture.HouseholdKey(func(h join.Household) string { return keyer.HouseholdKey(h.County, h.No) }),
	)
	require.Len(t, p.Households, len(households), "test households have distinct numbers")
	return p
}

// column returns the named column of a batch.
func column(t *testing.T, rec arrow.RecordBatch, name string) arrow.Array {
	t.Helper()
	idx := rec.Schema().FieldIndices(name)
	require.Len(t, idx, 1, "column %s", name)
	return rec.Column(idx[0])
}

// strs returns a String column's values.
func strs(t *testing.T, rec arrow.RecordBatch, name string) []string {
	t.Helper()
	a := column(t, rec, name).(*array.String)
	out := make([]string, a.Len())
	for i := range out {
		out[i] = a.Value(i)
	}
	return out
}

// flags returns a UInt8 flag column's values as bools.
func flags(t *testing.T, rec arrow.RecordBatch, name string) []bool {
	t.Helper()
	a := column(t, rec, name).(*array.Uint8)
	out := make([]bool, a.Len())
	for i := range out {
		require.True(t, a.IsValid(i), "%s row %d is null", name, i)
		v := a.Value(i)
		require.LessOrEqual(t, v, uint8(1), "%s row %d is a flag", name, i)
		out[i] = v == 1
	}
	return out
}

// fen returns a Decimal(18, 2) money column's values in fen.
func fen(t *testing.T, rec arrow.RecordBatch, name string) []int64 {
	t.Helper()
	a := column(t, rec, name).(*array.Decimal128)
	require.True(t, arrow.TypeEqual(schemas.MoneyType, a.DataType()), "%s is %s", name, a.DataType())
	out := make([]int64, a.Len())
	for i := range out {
		require.True(t, a.IsValid(i), "%s row %d is null", name, i)
		v := a.Value(i)
		require.True(t, v.BigInt().IsInt64(), "%s row %d", name, i)
		out[i] = v.BigInt().Int64()
	}
	return out
}

// yuan is an amount written as in an extract ("4,300.50"), in fen.
func yuan(t *testing.T, s string) int64 {
	t.Helper()
	v, err := values.ParseMoney(s)
	require.NoError(t, err)
	return v
}

// Villages of 进贤县 (360124, 南昌市; not a key county) and 于都县 (360731,
// 赣州市; a key county).
const (
	jinxianVillage = "360124200301"
	yuduVillage    = "360731100201"
	yuduVillage2   = "360731100202"
)

// Roster rows of threeHouseholds, in file order.
const (
	rowWang     = iota // H001 户主
	rowXiaoMing        // H002 子女, listed before the 户主
	rowSanFeng         // H002 户主
	rowXiuYing         // H002 配偶
	rowOuyang          // H003 户主
)

// threeHouseholds is the roster of the table tests:
//
//   - H001 in 进贤县: 王芳 alone, 脱贫户.
//   - H002 in 于都县: the child 张小明 is listed first, with a stale 户类型
//     脱贫户 and no relocation flag; the 户主 张三丰 (born 1992-07-01, one
//     day after the period ends) and his wife 李秀英 (born 1990-06-30, the
//     period's last day) say 脱贫不稳定户, relocated.
//   - H003 in 于都县: 欧阳娜娜 alone, 边缘易致贫户, 家庭人口数 2.
func threeHouseholds() []household {
	return []household{
		{no: "H001", village: jinxianVillage, members: []member{
			{id: "360124197503151004", name: "王芳", relation: "户主", typ: "脱贫户", labor: "普通劳动力", size: 1},
		}},
		{no: "H002", village: yuduVillage, members: []member{
			{id: "360731201503010039", name: "张小明", relation: "子女", typ: "脱贫户", labor: "无劳动力", size: 3},
			{id: "360731199207010018", name: "张三丰", relation: "户主", typ: "脱贫不稳定户", labor: "普通劳动力", relocated: true, size: 3},
			{id: "360731199006300027", name: "李秀英", relation: "配偶", typ: "脱贫不稳定户", labor: "丧失劳动力", relocated: true, size: 3},
		}},
		{no: "H003", village: yuduVillage2, members: []member{
			{id: "360731195501010088", name: "欧阳娜娜", relation: "户主", typ: "边缘易致贫户", labor: "技能劳动力", size: 2},
		}},
	}
}
