// Package schemas defines the shapes of the data on its road: the logical
// columns of every department extract (with their Chinese headers) and the
// ClickHouse tables the results are published to, side by side, so a column is
// defined once and its forms can be checked against each other in tests.
package schemas

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind says how the text of an extract column is parsed and validated.
type Kind int

// The kinds of extract columns.
const (
	// Text is kept as written (trimmed).
	Text Kind = iota
	// IDNumber is a 身份证号, normalised and validated per GB 11643-1999.
	IDNumber
	// Money is an amount in yuan with up to two decimals, kept as integer fen.
	Money
	// Month is a calendar month (2025-06, 2025/06, 202506, 2025年6月).
	Month
	// Date is a calendar day (2025-06-30, 2025/6/30, 20250630).
	Date
	// YesNo is a yes/no flag (是/否, Y/N, 1/0, true/false).
	YesNo
	// Integer is a whole number.
	Integer
	// Enum is text restricted to the column's Values.
	Enum
)

// Column is one logical column of an extract.
type Column struct {
	// Name is the logical (English) column name used in code and Arrow batches.
	Name string
	// Header is the Chinese header that names the column in files.
	Header string
	// Aliases are the other names departments deliver the column under
	// (身份证号码 for 身份证号). Headers and aliases are matched after
	// NormalizeHeader, and an amount column also with the suffix (元).
	Aliases []string
	// Kind says how the value is parsed.
	Kind Kind
	// Required columns must be present in the header and non-empty in a row.
	Required bool
	// Values lists the allowed values of an Enum column.
	Values []string
}

// Source is the input contract of one department extract (inputs.md).
type Source struct {
	// Name is the file stem in the inbox: <inbox>/<YYYY-MM>/<Name>.csv.
	Name string
	// Title is the Chinese name officials know the extract by.
	Title string
	// Columns are the logical columns, required ones first by convention.
	Columns []Column
	// PeriodColumn names the row's own month column, which must equal the
	// period of the folder (else PERIOD_MISMATCH); empty when there is none.
	PeriodColumn string
	// PersonLevel sources carry an id_number and are joined to the roster.
	PersonLevel bool
}

// Raw batch bookkeeping columns, added after the logical columns of a
// source's raw Arrow schema.
const (
	// LineColumn holds the 1-based line (or spreadsheet row) number of the row
	// in its file; the header is line 1.
	LineColumn = "_line"
	// ErrorColumn is non-empty when the row could not be read (a ragged CSV
	// row, invalid text): a RowError.Encode value, or a plain message for a
	// MALFORMED_ROW. Such a row is quarantined with the error's reason.
	ErrorColumn = "_error"
)

// The source names, as they appear as file stems in the inbox.
const (
	Roster          = "roster"
	HouseholdIncome = "household_income"
	Education       = "education"
	Medical         = "medical"
	Civil           = "civil"
	Employment      = "employment"
	Pension         = "pension"
	Sales           = "sales"
)

// Column lookup returns the named logical column.
func (s Source) Column(name string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// ColumnIndex returns the position of the named logical column, or -1.
func (s Source) ColumnIndex(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// RawSchema is the Arrow schema of the source's raw batches: one utf8 column
// per logical column (in Columns order; empty string when absent or blank),
// then LineColumn (int64) and ErrorColumn (utf8).
func (s Source) RawSchema() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(s.Columns)+2)
	for _, c := range s.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String})
	}
	fields = append(fields,
		arrow.Field{Name: LineColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: ErrorColumn, Type: arrow.BinaryTypes.String},
	)
	md := arrow.NewMetadata([]string{"source"}, []string{s.Name})
	return arrow.NewSchema(fields, &md)
}

// SourceByName returns the contract of the named source.
func SourceByName(name string) (Source, error) {
	for _, s := range Sources {
		if s.Name == name {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("looking up source %q: no such source", name)
}

// Value sets shared by several sources.
var (
	householdTypes = []string{"脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"}
	laborTypes     = []string{"普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}
	relations      = []string{"户主", "配偶", "子女", "父母", "孙子女", "其他"}
	// idAliases are the names of the 身份证号 column seen in department
	// exports (the 公民身份号码 of GB 11643 itself, and generic 证件号码).
	idAliases = []string{"身份证号码", "公民身份号码", "公民身份证号码", "身份证件号码", "证件号码"}
)

// Sources are the eight department extracts of inputs.md, in load order
// (the roster first: every person-level source is joined onto it).
var Sources = []Source{
	{
		Name: Roster, Title: "帮扶对象名册", PersonLevel: true,
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "name", Header: "姓名", Aliases: []string{"人员姓名"}, Kind: Text, Required: true},
			{Name: "household_no", Header: "户编号", Aliases: []string{"户号"}, Kind: Text, Required: true},
			{Name: "relation", Header: "与户主关系", Aliases: []string{"与户主的关系"}, Kind: Enum, Required: true, Values: relations},
			{Name: "village_code", Header: "区划代码", Kind: Text, Required: true},
			{Name: "household_type", Header: "户类型", Kind: Enum, Required: true, Values: householdTypes},
			{Name: "labor_capacity", Header: "劳动能力", Kind: Enum, Required: true, Values: laborTypes},
			{Name: "is_relocated", Header: "是否易地搬迁", Kind: YesNo, Required: true},
			{Name: "household_size", Header: "家庭人口数", Aliases: []string{"家庭人口", "家庭人数"}, Kind: Integer, Required: true},
			{Name: "risk_eliminated", Header: "风险是否消除", Kind: YesNo},
		},
	},
	{
		Name: HouseholdIncome, Title: "家庭收入信息采集",
		Columns: []Column{
			{Name: "household_no", Header: "户编号", Aliases: []string{"户号"}, Kind: Text, Required: true},
			{Name: "year", Header: "年度", Kind: Integer, Required: true},
			{Name: "business_income", Header: "生产经营性收入", Kind: Money, Required: true},
			{Name: "business_cost", Header: "生产经营性支出", Kind: Money, Required: true},
			{Name: "property_income", Header: "财产性收入", Kind: Money, Required: true},
			{Name: "transfer_other", Header: "其他转移性收入", Kind: Money, Required: true},
			{Name: "wage_self_reported", Header: "自报工资性收入", Kind: Money, Required: true},
		},
	},
	{
		Name: Education, Title: "学籍与学生资助", PersonLevel: true,
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "school", Header: "学校名称", Kind: Text, Required: true},
			{Name: "stage", Header: "学段", Kind: Enum, Required: true, Values: []string{"学前教育", "小学", "初中", "普通高中", "中职", "高职", "本科", "研究生"}},
			{Name: "enrol_month", Header: "入学年月", Kind: Month, Required: true},
			{Name: "status", Header: "学籍状态", Kind: Enum, Required: true, Values: []string{"在读", "毕业", "休学", "退学"}},
			{Name: "grad_month", Header: "毕业年月", Kind: Month},
			{Name: "destination", Header: "毕业去向", Kind: Enum, Values: []string{"就业", "升学", "待就业"}},
			{Name: "aid_item", Header: "资助项目", Kind: Enum, Values: []string{"雨露计划", "国家助学金", "免学费", "生活补助", "其他"}},
			{Name: "aid_amount", Header: "资助金额", Kind: Money, Required: true},
		},
	},
	{
		Name: Medical, Title: "医保参保与结算", PersonLevel: true,
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "insurance_year", Header: "参保年度", Kind: Integer, Required: true},
			{Name: "insurance_status", Header: "参保状态", Kind: Enum, Required: true, Values: []string{"正常参保", "未参保", "中断"}},
			{Name: "subsidy_category", Header: "资助参保类别", Kind: Enum, Required: true, Values: []string{"全额资助", "定额资助", "无"}},
			{Name: "subsidy_amount", Header: "资助金额", Kind: Money, Required: true},
			{Name: "total_cost", Header: "医疗总费用", Kind: Money, Required: true},
			{Name: "basic_reimbursement", Header: "基本医保报销", Kind: Money, Required: true},
			{Name: "critical_reimbursement", Header: "大病保险报销", Kind: Money, Required: true},
			{Name: "medical_assistance", Header: "医疗救助", Kind: Money, Required: true},
			{Name: "out_of_pocket", Header: "个人自付", Kind: Money, Required: true},
		},
	},
	{
		Name: Civil, Title: "社会救助与补贴发放", PersonLevel: true, PeriodColumn: "pay_month",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "aid_type", Header: "救助类型", Kind: Enum, Required: true, Values: []string{"城乡低保", "特困供养", "临时救助", "残疾人生活补贴", "重度残疾人护理补贴", "死亡登记"}},
			{Name: "pay_month", Header: "发放年月", Aliases: []string{"发放月份"}, Kind: Month, Required: true},
			{Name: "amount", Header: "发放金额", Kind: Money, Required: true},
			{Name: "coverage_status", Header: "保障状态", Kind: Enum, Values: []string{"在保", "停保", "新增"}},
			{Name: "death_date", Header: "死亡日期", Kind: Date},
		},
	},
	{
		Name: Employment, Title: "务工就业", PersonLevel: true, PeriodColumn: "month",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "month", Header: "就业年月", Aliases: []string{"就业月份"}, Kind: Month, Required: true},
			{Name: "status", Header: "就业状态", Kind: Enum, Required: true, Values: []string{"务工就业", "灵活就业", "未就业"}},
			{Name: "form", Header: "就业形式", Kind: Enum, Required: true, Values: []string{"企业务工", "公益性岗位", "帮扶车间", "以工代赈", "自主创业", "其他"}},
			{Name: "area", Header: "就业地域", Kind: Enum, Required: true, Values: []string{"县内", "省内县外", "省外"}},
			{Name: "wage", Header: "月工资收入", Kind: Money, Required: true},
			{Name: "travel_subsidy", Header: "一次性交通补助", Kind: Money},
			{Name: "employer", Header: "用工单位", Kind: Text},
		},
	},
	{
		Name: Pension, Title: "城乡居民养老保险待遇", PersonLevel: true, PeriodColumn: "pay_month",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "pay_month", Header: "发放年月", Aliases: []string{"发放月份"}, Kind: Month, Required: true},
			{Name: "amount", Header: "养老金金额", Aliases: []string{"养老金发放金额", "待遇金额"}, Kind: Money, Required: true},
		},
	},
	{
		Name: Sales, Title: "帮扶产品销售", PeriodColumn: "month",
		Columns: []Column{
			{Name: "month", Header: "统计年月", Aliases: []string{"统计月份"}, Kind: Month, Required: true},
			{Name: "county_code", Header: "区划代码", Kind: Text, Required: true},
			{Name: "channel", Header: "销售渠道", Kind: Enum, Required: true, Values: []string{"832平台", "预算单位采购", "社会采购", "展销活动", "电商平台", "其他"}},
			{Name: "category", Header: "产品类别", Kind: Text, Required: true},
			{Name: "amount", Header: "销售金额", Aliases: []string{"销售额"}, Kind: Money, Required: true},
			{Name: "seller", Header: "经营主体", Kind: Text},
		},
	},
}
