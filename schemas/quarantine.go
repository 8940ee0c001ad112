package schemas

import "strings"

// Quarantine reason codes: stable upper-case words (warehouse.md). The ones
// named in the spec are used exactly as written there.
const (
	// ReasonMalformed: the row could not be read as text of its columns
	// (invalid encoding, a CSV parse error).
	ReasonMalformed = "MALFORMED_ROW"
	// ReasonFieldCount: the row has more or fewer fields than the header, so
	// its fields cannot be matched to columns; it is stored masked as a whole.
	ReasonFieldCount = "FIELD_COUNT"
	// ReasonMissingValue: a required value is empty.
	ReasonMissingValue = "MISSING_VALUE"
	// ReasonIDInvalid: the ID number cannot be repaired into a valid one.
	ReasonIDInvalid = "ID_INVALID"
	// ReasonBadValue: a value cannot be parsed or is not allowed.
	ReasonBadValue = "BAD_VALUE"
	// ReasonPeriodMismatch: the row's own month names another period.
	ReasonPeriodMismatch = "PERIOD_MISMATCH"
	// ReasonUnknownRegion: the county code is not in regions.csv.
	ReasonUnknownRegion = "UNKNOWN_REGION"
	// ReasonAmountInconsistent: 个人自付 differs from total − reimbursements.
	ReasonAmountInconsistent = "AMOUNT_INCONSISTENT"
	// ReasonDuplicateID: the ID already appeared earlier in the roster.
	ReasonDuplicateID = "DUPLICATE_ID"
	// ReasonDuplicateHousehold: a second household_income row for a household.
	ReasonDuplicateHousehold = "DUPLICATE_HOUSEHOLD"
	// ReasonHouseholdAmbiguous: a household_income row's 户编号 names roster
	// households of two or more counties (the survey carries no county).
	ReasonHouseholdAmbiguous = "HOUSEHOLD_AMBIGUOUS"
)

// Rejected is a row that failed validation, ready for the quarantine table
// once the pipeline adds the run, period, source and file.
type Rejected struct {
	// Line is the row's line in its file (header is line 1).
	Line int64
	// Reason is one of the Reason… codes.
	Reason string
	// Detail says what was wrong, naming the column and value (masked).
	Detail string
	// Row is the row as a JSON object keyed by Chinese header, with the ID
	// number and name masked.
	Row string
}

// RowError is a row-level read error as a source reports it in ErrorColumn:
// the reason code, the detail, and, for a row whose fields could not be
// matched to columns, the row already masked as a whole (the JSON the
// quarantine stores instead of one built from the columns, which the source
// left empty).
type RowError struct {
	Reason, Detail string
	// Row is the masked row JSON; "" lets normalisation build it from the
	// columns.
	Row string
}

// rowErrorSep separates the parts of an encoded RowError; a control
// character that no detail or JSON text contains unescaped.
const rowErrorSep = "\x1f"

// Encode returns the ErrorColumn value of e.
func (e RowError) Encode() string {
	return e.Reason + rowErrorSep + e.Detail + rowErrorSep + e.Row
}

// ParseRowError reads an ErrorColumn value: one written by Encode, or a plain
// message, which is a MALFORMED_ROW with that message as its detail.
func ParseRowError(s string) RowError {
	reason, rest, ok := strings.Cut(s, rowErrorSep)
	if !ok {
		return RowError{Reason: ReasonMalformed, Detail: s}
	}
	detail, row, _ := strings.Cut(rest, rowErrorSep)
	return RowError{Reason: reason, Detail: detail, Row: row}
}

// ReasonInfo is what the department that delivered a quarantined row reads
// about its reason: dim_reason's row.
type ReasonInfo struct {
	// Code is the reason_code.
	Code string
	// Name is the Chinese name.
	Name string
	// Action says what to do about such a row.
	Action string
}

// Reasons describes every Reason… code; it is the one place their Chinese
// names and what-to-do texts are written.
var Reasons = []ReasonInfo{
	{ReasonMalformed, "行格式错误", "检查该行的引号、编码和换行（常见于单元格内含换行或引号不配对），修正后重新报送"},
	{ReasonFieldCount, "字段数与表头不符", "检查该行的分隔符（常见于单元格内含未加引号的逗号，如姓名写作 李,四）或漏填的列，修正后重新报送"},
	{ReasonMissingValue, "必填项为空", "补全 detail 所列的必填列后重新报送"},
	{ReasonIDInvalid, "身份证号无效", "按户籍信息更正身份证号（校验位、出生日期、位数；勿用科学计数法保存），不做猜测"},
	{ReasonBadValue, "取值无法识别", "按接口规范填写金额、年月、日期、是否或枚举值后重新报送"},
	{ReasonPeriodMismatch, "月份与报送期不符", "把该行放入其所属月份的报送文件，或更正行内月份"},
	{ReasonUnknownRegion, "区划代码不存在", "按江西省现行县级区划代码更正村级区划代码的前 6 位"},
	{ReasonAmountInconsistent, "医疗金额不一致", "核对 个人自付 = 医疗总费用 − 基本医保报销 − 大病保险报销 − 医疗救助，更正后重新报送"},
	{ReasonDuplicateID, "名册重复登记", "核实此人实际所在户，删除名册中多余的登记（见 DUPLICATE_PERSON 发现）"},
	{ReasonDuplicateHousehold, "收入采集重复", "同一户只保留一条本期家庭收入采集记录"},
	{ReasonHouseholdAmbiguous, "户编号归属不明", "户编号在多个县重复，请在收入采集中使用唯一户编号或补充区划代码"},
}
