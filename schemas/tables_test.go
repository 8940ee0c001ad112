package schemas

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/require"
)

// clickHouseTypeOf is the inverse of ArrowType for the types the warehouse
// uses; the tests check that ArrowType round-trips through it.
func clickHouseTypeOf(t arrow.DataType, nullable bool) (string, error) {
	var name string
	switch t := t.(type) {
	case *arrow.StringType:
		name = "String"
	case *arrow.Date32Type:
		name = "Date"
	case *arrow.TimestampType:
		if t.Unit != arrow.Second || t.TimeZone != "UTC" {
			return "", fmt.Errorf("timestamp %s has no ClickHouse twin", t)
		}
		name = "DateTime"
	case *arrow.Uint8Type:
		name = "UInt8"
	case *arrow.Uint16Type:
		name = "UInt16"
	case *arrow.Uint32Type:
		name = "UInt32"
	case *arrow.Uint64Type:
		name = "UInt64"
	case *arrow.Float64Type:
		name = "Float64"
	case *arrow.Decimal128Type:
		name = fmt.Sprintf("Decimal(%d, %d)", t.Precision, t.Scale)
	case *arrow.ListType:
		inner, err := clickHouseTypeOf(t.Elem(), false)
		if err != nil {
			return "", err
		}
		name = "Array(" + inner + ")"
	default:
		return "", fmt.Errorf("%s has no ClickHouse twin", t)
	}
	if nullable {
		name = "Nullable(" + name + ")"
	}
	return name, nil
}

// TestArrowTypeMapsEveryWarehouseType pins the ClickHouse → Arrow mapping
// the sink's column conversion relies on.
func TestArrowTypeMapsEveryWarehouseType(t *testing.T) {
	cases := []struct {
		ch       string
		arrow    arrow.DataType
		nullable bool
	}{
		{"String", arrow.BinaryTypes.String, false},
		{"Date", arrow.FixedWidthTypes.Date32, false},
		{"DateTime", &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, false},
		{"UInt8", arrow.PrimitiveTypes.Uint8, false},
		{"UInt16", arrow.PrimitiveTypes.Uint16, false},
		{"UInt32", arrow.PrimitiveTypes.Uint32, false},
		{"UInt64", arrow.PrimitiveTypes.Uint64, false},
		{"Float64", arrow.PrimitiveTypes.Float64, false},
		{"Decimal(18, 2)", MoneyType, false},
		{"Nullable(UInt8)", arrow.PrimitiveTypes.Uint8, true},
		{"Nullable(Float64)", arrow.PrimitiveTypes.Float64, true},
		{"Nullable(DateTime)", &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}, true},
		{"Nullable(Decimal(18, 2))", MoneyType, true},
		{"Array(String)", arrow.ListOf(arrow.BinaryTypes.String), false},
		{"Array(UInt64)", arrow.ListOf(arrow.PrimitiveTypes.Uint64), false},
	}
	for _, c := range cases {
		t.Run(c.ch, func(t *testing.T) {
			typ, nullable, err := ArrowType(c.ch)
			require.NoError(t, err)
			require.True(t, arrow.TypeEqual(c.arrow, typ), "ArrowType(%q) = %s, want %s", c.ch, typ, c.arrow)
			require.Equal(t, c.nullable, nullable)
			back, err := clickHouseTypeOf(typ, nullable)
			require.NoError(t, err)
			require.Equal(t, c.ch, back, "round trip")
		})
	}
}

// TestArrowTypeRejectsTypesOutsideTheWarehouse: types the warehouse does not
// use (or that ClickHouse 18.16 lacks) are an error, not a silent guess.
func TestArrowTypeRejectsTypesOutsideTheWarehouse(t *testing.T) {
	for _, ch := range []string{
		"Int32", "Float32", "Decimal(38, 2)", "Decimal(18,2)", "DateTime64(3)",
		"LowCardinality(String)", "Map(String, String)", "Nullable(Int8)", "Array(Int32)", "",
	} {
		t.Run(ch, func(t *testing.T) {
			_, _, err := ArrowType(ch)
			require.Error(t, err)
		})
	}
}

// TestTablesArrowSchemas checks that every warehouse table's Arrow schema
// builds, has its columns in order, and that each column's Arrow type
// round-trips to its ClickHouse type.
func TestTablesArrowSchemas(t *testing.T) {
	for _, table := range Tables {
		t.Run(table.Name, func(t *testing.T) {
			var schema *arrow.Schema
			require.NotPanics(t, func() { schema = table.ArrowSchema() })
			require.Equal(t, len(table.Columns), schema.NumFields())
			require.Equal(t, table.Names(), fieldNames(schema))
			for i, c := range table.Columns {
				f := schema.Field(i)
				typ, nullable, err := ArrowType(c.Type)
				require.NoError(t, err, "column %s", c.Name)
				require.True(t, arrow.TypeEqual(typ, f.Type), "column %s: %s vs %s", c.Name, typ, f.Type)
				require.Equal(t, strings.HasPrefix(c.Type, "Nullable("), f.Nullable, "column %s nullability", c.Name)
				require.Equal(t, nullable, f.Nullable, "column %s nullability", c.Name)
				back, err := clickHouseTypeOf(f.Type, f.Nullable)
				require.NoError(t, err, "column %s", c.Name)
				require.Equal(t, c.Type, back, "column %s: Arrow type does not round-trip", c.Name)
			}
		})
	}
}

func fieldNames(s *arrow.Schema) []string {
	out := make([]string, s.NumFields())
	for i := range out {
		out[i] = s.Field(i).Name
	}
	return out
}

// TestTablesShape pins the invariants the sink relies on: unique table and
// column names; a published table carries the period it is partitioned by
// and the run_id that published each row; a table is not both published
// and a dimension.
func TestTablesShape(t *testing.T) {
	seen := map[string]bool{}
	for _, table := range Tables {
		t.Run(table.Name, func(t *testing.T) {
			require.NotEmpty(t, table.Name)
			require.False(t, seen[table.Name], "table %s listed twice", table.Name)
			seen[table.Name] = true
			require.False(t, strings.HasPrefix(table.Name, "stage_"), "stage_ names are reserved for staging twins")
			require.NotEmpty(t, table.Columns)
			cols := map[string]string{}
			for _, c := range table.Columns {
				require.Regexp(t, `^[a-z][a-z0-9_]*$`, c.Name)
				_, dup := cols[c.Name]
				require.False(t, dup, "column %s twice", c.Name)
				cols[c.Name] = c.Type
			}
			if table.Published {
				require.False(t, table.Dimension, "published and dimension")
				require.Equal(t, "Date", cols["period"], "a published table is partitioned by its Date column period")
				require.Equal(t, "String", cols["run_id"], "a published table records the run that published each row")
			}
		})
	}
}

// createStatement matches a CREATE TABLE statement: name, body, engine part.
var createStatement = regexp.MustCompile(`(?s)^CREATE TABLE (?:IF NOT EXISTS )?([A-Za-z0-9_]+)\s*\((.*)\)\s*ENGINE\s*=\s*(.*)$`)

// dropStatement matches a DROP TABLE statement: name.
var dropStatement = regexp.MustCompile(`(?s)^DROP TABLE (?:IF EXISTS )?([A-Za-z0-9_]+)\s*$`)

// TestMigrationsCreateTheTables checks the DDL against Tables without a
// server: the migrations create exactly the tables of Tables; published
// tables are partitioned by toYYYYMM(period), dimensions by tuple(); and
// replaying CREATE TABLE and ADD/DROP COLUMN gives each table's columns
// and types in order. (The integration test in pipeline/sink/clickhouse
// checks the same against a migrated server.)
func TestMigrationsCreateTheTables(t *testing.T) {
	migrations, err := Migrations()
	require.NoError(t, err)
	columns := map[string][]TableColumn{}
	engines := map[string]string{}
	replayable := true
	for _, m := range migrations {
		for _, stmt := range m.Statements {
			if dm := dropStatement.FindStringSubmatch(stmt); dm != nil {
				delete(columns, dm[1]) // a table recreated with another engine (0007)
				delete(engines, dm[1])
				continue
			}
			if cm := createStatement.FindStringSubmatch(stmt); cm != nil {
				_, dup := columns[cm[1]]
				require.False(t, dup, "%s creates %s again", m.Name, cm[1])
				engines[cm[1]] = cm[3]
				columns[cm[1]] = []TableColumn{}
				for _, d := range declaredColumns(t, "CREATE TABLE "+cm[1]+" (\n"+cm[2]+"\n)") {
					columns[cm[1]] = append(columns[cm[1]], TableColumn{Name: d.name, Type: d.typ})
				}
				continue
			}
			if !replayColumnChange(t, columns, engines, stmt) {
				replayable = false
			}
		}
	}
	var want []string
	for _, table := range Tables {
		want = append(want, table.Name)
	}
	var got []string
	for name := range columns {
		got = append(got, name)
	}
	require.ElementsMatch(t, want, got, "the migrations must create exactly the tables of schemas.Tables")

	for _, table := range Tables {
		t.Run(table.Name, func(t *testing.T) {
			engine := engines[table.Name]
			switch {
			case table.Published:
				require.Contains(t, engine, "PARTITION BY toYYYYMM(period)")
			case table.Dimension:
				require.Contains(t, engine, "PARTITION BY tuple()")
			}
			if !replayable {
				t.Skip("a migration changes columns in a way this test does not replay; the integration test checks the migrated warehouse")
			}
			require.Equal(t, table.Columns, columns[table.Name], "DDL columns of %s vs schemas.Tables", table.Name)
		})
	}
}

// replayColumnChange applies an ALTER TABLE … ADD COLUMN / DROP COLUMN, a
// DROP TABLE or a RENAME TABLE to columns (and engines); it reports false for
// a statement it cannot replay. An INSERT changes no columns.
func replayColumnChange(t *testing.T, columns map[string][]TableColumn, engines map[string]string, stmt string) bool {
	t.Helper()
	stmt = strings.TrimSpace(stmt)
	if regexp.MustCompile(`(?is)^ALTER TABLE [A-Za-z0-9_]+\s+COMMENT COLUMN\s`).MatchString(stmt) ||
		regexp.MustCompile(`(?is)^INSERT INTO\s`).MatchString(stmt) {
		return true // comments and rows do not change the columns
	}
	if m := regexp.MustCompile(`(?is)^DROP TABLE (IF EXISTS )?([A-Za-z0-9_]+)$`).FindStringSubmatch(stmt); m != nil {
		_, ok := columns[m[2]]
		require.True(t, ok || m[1] != "", "DROP TABLE %s: no such table", m[2])
		delete(columns, m[2])
		delete(engines, m[2])
		return true
	}
	if m := regexp.MustCompile(`(?is)^RENAME TABLE (.*)$`).FindStringSubmatch(stmt); m != nil {
		for _, pair := range strings.Split(m[1], ",") {
			from, to, ok := strings.Cut(strings.TrimSpace(pair), " TO ")
			require.True(t, ok, "RENAME TABLE: cannot read %q", pair)
			cols, exists := columns[from]
			require.True(t, exists, "RENAME TABLE %s: no such table", from)
			_, taken := columns[to]
			require.False(t, taken, "RENAME TABLE %s TO %s: %s exists", from, to, to)
			columns[to], engines[to] = cols, engines[from]
			delete(columns, from)
			delete(engines, from)
		}
		return true
	}
	alter := regexp.MustCompile(`(?is)^ALTER TABLE ([A-Za-z0-9_]+)\s+(ADD|DROP) COLUMN\s+(.*)$`)
	m := alter.FindStringSubmatch(strings.TrimSpace(stmt))
	if m == nil || strings.Contains(m[3], "\n") {
		return false
	}
	table := m[1]
	if strings.EqualFold(m[2], "DROP") {
		name := strings.TrimSpace(m[3])
		cols := columns[table][:0]
		for _, c := range columns[table] {
			if c.Name != name {
				cols = append(cols, c)
			}
		}
		columns[table] = cols
		return true
	}
	after := regexp.MustCompile(`(?i)\s+AFTER\s+([A-Za-z0-9_]+)\s*$`).FindStringSubmatch(m[3])
	d := parseColumnLine(t, table, m[3], 0)
	col := TableColumn{Name: d.name, Type: d.typ}
	if after == nil {
		columns[table] = append(columns[table], col)
		return true
	}
	for i, c := range columns[table] {
		if c.Name == after[1] {
			columns[table] = append(columns[table][:i+1], append([]TableColumn{col}, columns[table][i+1:]...)...)
			return true
		}
	}
	return false
}

// TestMigrationsAreOrdered checks the embedded migrations: versions start
// at 1 and increase without repeats, file names carry the version, and
// every statement is non-empty SQL without comments or a trailing semicolon.
func TestMigrationsAreOrdered(t *testing.T) {
	migrations, err := Migrations()
	require.NoError(t, err)
	require.NotEmpty(t, migrations)
	require.Equal(t, uint32(1), migrations[0].Version)
	for i, m := range migrations {
		if i > 0 {
			require.Greater(t, m.Version, migrations[i-1].Version, "%s after %s", m.Name, migrations[i-1].Name)
		}
		require.True(t, strings.HasPrefix(m.Name, fmt.Sprintf("%04d_", m.Version)), "%s: name must start with its 4-digit version", m.Name)
		require.True(t, strings.HasSuffix(m.Name, ".sql"), m.Name)
		require.NotEmpty(t, m.Statements, "%s has no statements", m.Name)
		for j, stmt := range m.Statements {
			require.NotEmpty(t, strings.TrimSpace(stmt), "%s statement %d is empty", m.Name, j+1)
			require.False(t, strings.HasSuffix(strings.TrimSpace(stmt), ";"), "%s statement %d keeps its semicolon", m.Name, j+1)
			for _, line := range strings.Split(stmt, "\n") {
				require.False(t, strings.HasPrefix(strings.TrimSpace(line), "--"), "%s statement %d keeps a comment line", m.Name, j+1)
			}
		}
	}
}

// TestSplitStatements pins how a migration file is cut into statements.
func TestSplitStatements(t *testing.T) {
	cases := []struct {
		name string
		sql  string
		want []string
	}{
		{"empty", "", nil},
		{"comments only", "-- a\n  -- b\n\n", nil},
		{"one statement", "CREATE TABLE a (x UInt8) ENGINE = Memory;\n", []string{"CREATE TABLE a (x UInt8) ENGINE = Memory"}},
		{"comment and blank lines dropped", "-- head\nCREATE TABLE a (\n\n  -- note\n  x UInt8\n) ENGINE = Memory;\n",
			[]string{"CREATE TABLE a (\n  x UInt8\n) ENGINE = Memory"}},
		{"two statements", "SELECT 1;\nSELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"semicolon inside a line does not split", "SELECT ';' AS s, 1;\n", []string{"SELECT ';' AS s, 1"}},
		{"last statement without semicolon", "SELECT 1;\nSELECT 2\n", []string{"SELECT 1", "SELECT 2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, splitStatements(c.sql))
		})
	}
}

// requiredHeaders are the columns inputs.md marks with * (required) and
// without (optional), per source.
var requiredHeaders = map[string]struct{ required, optional []string }{
	Roster: {
		required: []string{"身份证号", "姓名", "户编号", "与户主关系", "区划代码", "户类型", "劳动能力", "是否易地搬迁", "家庭人口数"},
		optional: []string{"风险是否消除"},
	},
	HouseholdIncome: {
		required: []string{"户编号", "年度", "生产经营性收入", "生产经营性支出", "财产性收入", "其他转移性收入", "自报工资性收入"},
	},
	Education: {
		required: []string{"身份证号", "学校名称", "学段", "入学年月", "学籍状态", "资助金额"},
		optional: []string{"毕业年月", "毕业去向", "资助项目"},
	},
	Medical: {
		required: []string{"身份证号", "参保年度", "参保状态", "资助参保类别", "资助金额", "医疗总费用", "基本医保报销", "大病保险报销", "医疗救助", "个人自付"},
	},
	Civil: {
		required: []string{"身份证号", "救助类型", "发放年月", "发放金额"},
		optional: []string{"保障状态", "死亡日期"},
	},
	Employment: {
		required: []string{"身份证号", "就业年月", "就业状态", "就业形式", "就业地域", "月工资收入"},
		optional: []string{"一次性交通补助", "用工单位"},
	},
	Pension: {
		required: []string{"身份证号", "发放年月", "养老金金额"},
	},
	Sales: {
		required: []string{"统计年月", "区划代码", "销售渠道", "产品类别", "销售金额"},
		optional: []string{"经营主体"},
	},
	Housing: {
		required: []string{"户主身份证号", "房屋安全等级", "鉴定年月", "纳入改造计划"},
		optional: []string{"改造状态", "竣工年月", "致危原因"},
	},
	Water: {
		required: []string{"户主身份证号", "评估年月", "供水方式", "水量达标", "水质达标", "用水方便", "供水保证率达标"},
		optional: []string{"季节性缺水"},
	},
	Collective: {
		required: []string{"区划代码", "户编号", "分配年月", "分配方式", "分配金额"},
	},
}

// TestSourcesMatchTheInputContract checks every extract contract against
// inputs.md and against itself.
func TestSourcesMatchTheInputContract(t *testing.T) {
	require.Equal(t, Roster, Sources[0].Name, "the roster is read first: every person-level source joins onto it")
	names := map[string]bool{}
	for _, s := range Sources {
		require.False(t, names[s.Name], "source %s twice", s.Name)
		names[s.Name] = true
	}
	var wantNames []string
	for name := range requiredHeaders {
		wantNames = append(wantNames, name)
	}
	require.ElementsMatch(t, wantNames, keys(names), "the sources of inputs.md")

	for _, s := range Sources {
		t.Run(s.Name, func(t *testing.T) {
			require.True(t, hasHan(s.Title), "title %q must be the Chinese name", s.Title)
			colNames, headers := map[string]bool{}, map[string]bool{}
			var required, optional []string
			for _, c := range s.Columns {
				require.Regexp(t, `^[a-z][a-z0-9_]*$`, c.Name)
				require.NotEqual(t, LineColumn, c.Name)
				require.NotEqual(t, ErrorColumn, c.Name)
				require.False(t, colNames[c.Name], "column name %s twice", c.Name)
				colNames[c.Name] = true
				require.Equal(t, strings.TrimSpace(c.Header), c.Header, "header %q has spaces", c.Header)
				require.True(t, hasHan(c.Header), "column %s: header %q must be Chinese", c.Name, c.Header)
				require.False(t, headers[c.Header], "header %s twice", c.Header)
				headers[c.Header] = true
				if c.Required {
					required = append(required, c.Header)
				} else {
					optional = append(optional, c.Header)
				}
				if c.Kind == Enum {
					require.NotEmpty(t, c.Values, "enum column %s has no values", c.Name)
					require.Len(t, keys(setOf(c.Values)), len(c.Values), "enum column %s repeats a value", c.Name)
				} else {
					require.Empty(t, c.Values, "column %s lists values but is not an Enum", c.Name)
				}
				got, ok := s.Column(c.Name)
				require.True(t, ok)
				require.Equal(t, c.Header, got.Header)
			}
			want := requiredHeaders[s.Name]
			require.ElementsMatch(t, want.required, required, "required columns (inputs.md *)")
			require.ElementsMatch(t, want.optional, optional, "optional columns")

			if s.PersonLevel {
				id, ok := s.Column("id_number")
				require.True(t, ok, "a person-level source carries id_number")
				require.Equal(t, IDNumber, id.Kind)
				require.True(t, id.Required)
			} else {
				_, ok := s.Column("id_number")
				require.False(t, ok, "only person-level sources carry an ID number")
			}
			if s.PeriodColumn != "" {
				pc, ok := s.Column(s.PeriodColumn)
				require.True(t, ok, "period column %s is not a column", s.PeriodColumn)
				require.Equal(t, Month, pc.Kind, "period column %s", s.PeriodColumn)
				require.True(t, pc.Required, "period column %s", s.PeriodColumn)
			}
			require.Equal(t, -1, s.ColumnIndex("no_such_column"))
			_, ok := s.Column("no_such_column")
			require.False(t, ok)

			byName, err := SourceByName(s.Name)
			require.NoError(t, err)
			require.Equal(t, s.Name, byName.Name)
		})
	}
	_, err := SourceByName("no_such_source")
	require.Error(t, err)
}

// TestSourceSchemas checks the raw and typed Arrow schemas of every source.
func TestSourceSchemas(t *testing.T) {
	kindTypes := map[Kind]arrow.DataType{
		Text: arrow.BinaryTypes.String, IDNumber: arrow.BinaryTypes.String, Enum: arrow.BinaryTypes.String,
		Money: arrow.PrimitiveTypes.Int64, Integer: arrow.PrimitiveTypes.Int64, Month: arrow.PrimitiveTypes.Int32,
		Date: arrow.FixedWidthTypes.Date32, YesNo: arrow.FixedWidthTypes.Boolean,
	}
	for _, s := range Sources {
		t.Run(s.Name, func(t *testing.T) {
			n := len(s.Columns)

			raw := s.RawSchema()
			require.Equal(t, n+2, raw.NumFields(), "one utf8 field per column, then _line and _error")
			for i, c := range s.Columns {
				f := raw.Field(i)
				require.Equal(t, c.Name, f.Name)
				require.True(t, arrow.TypeEqual(arrow.BinaryTypes.String, f.Type), "raw %s", c.Name)
				require.Equal(t, i, s.ColumnIndex(c.Name))
			}
			require.Equal(t, LineColumn, raw.Field(n).Name)
			require.True(t, arrow.TypeEqual(arrow.PrimitiveTypes.Int64, raw.Field(n).Type))
			require.Equal(t, ErrorColumn, raw.Field(n+1).Name)
			require.True(t, arrow.TypeEqual(arrow.BinaryTypes.String, raw.Field(n+1).Type))
			md := raw.Metadata()
			require.Equal(t, s.Name, md.Values()[md.FindKey("source")])

			typed := s.TypedSchema()
			require.Equal(t, n+1, typed.NumFields(), "one typed field per column, then _line")
			for i, c := range s.Columns {
				f := typed.Field(i)
				require.Equal(t, c.Name, f.Name)
				want, ok := kindTypes[c.Kind]
				require.True(t, ok, "column %s has an unknown kind %d", c.Name, c.Kind)
				require.True(t, arrow.TypeEqual(want, f.Type), "typed %s: %s, want %s", c.Name, f.Type, want)
				require.True(t, arrow.TypeEqual(c.Kind.ArrowType(), f.Type))
				require.Equal(t, !c.Required, f.Nullable, "typed %s: optional columns are nullable", c.Name)
			}
			require.Equal(t, LineColumn, typed.Field(n).Name)
			require.True(t, arrow.TypeEqual(arrow.PrimitiveTypes.Int64, typed.Field(n).Type))
			md = typed.Metadata()
			require.Equal(t, s.Name, md.Values()[md.FindKey("source")])
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func setOf(vs []string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
