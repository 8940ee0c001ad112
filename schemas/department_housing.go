package schemas

// Housing is the 农村住房安全 extract of the housing and urban-rural
// development department (inputs.md): a snapshot at the end of the period,
// one row per appraised household (the appraisal in force), joined through
// the household head's ID number.
const Housing = "housing"

// The housing facts of household_year, read by the housing rules and
// HOUSING_SAFE_RATE.
const (
	HousingAppraised        = "housing_appraised"
	HousingGrade            = "housing_grade"
	HousingAppraisalMonth   = "housing_appraisal_month"
	HousingInPlan           = "housing_in_plan"
	HousingRenovationStatus = "housing_renovation_status"
	HousingCompletionMonth  = "housing_completion_month"
	HousingDangerCause      = "housing_danger_cause"
)

// housingDepartment: the period's snapshot row in force (the last row of a
// household in file order) becomes the household's housing facts; nothing
// carries over months (a household absent from the snapshot has no
// appraisal in force).
var housingDepartment = Department{
	Join: JoinHeadID, Table: "household_year", Optional: true,
	Source: Source{
		Name: Housing, Title: "农村住房安全",
		Columns: []Column{
			{Name: "head_id_number", Header: "户主身份证号", Aliases: headIDAliases, Kind: IDNumber, Required: true},
			{Name: "safety_grade", Header: "房屋安全等级", Aliases: []string{"安全等级", "鉴定等级"}, Kind: Enum, Required: true, Values: []string{"A级", "B级", "C级", "D级"}},
			{Name: "appraisal_month", Header: "鉴定年月", Aliases: []string{"鉴定时间"}, Kind: Month, Required: true},
			{Name: "in_renovation_plan", Header: "纳入改造计划", Aliases: []string{"是否纳入改造计划"}, Kind: YesNo, Required: true},
			{Name: "renovation_status", Header: "改造状态", Kind: Enum, Values: []string{"未开工", "在建", "竣工"}},
			{Name: "completion_month", Header: "竣工年月", Aliases: []string{"竣工时间"}, Kind: Month},
			{Name: "danger_cause", Header: "致危原因", Kind: Enum, Values: []string{"自然灾害", "年久失修", "其他"}},
		},
	},
	Facts: []Fact{
		{Column: HousingAppraised, Kind: FactFlag, Rollup: RollAny,
			Comment: "住房安全鉴定 1 = 本期住房安全数据有该户的鉴定记录(按户主身份证号关联)"},
		{Column: HousingGrade, Kind: FactText, Rollup: RollLatest, From: "safety_grade",
			Comment: "房屋安全等级 A级/B级/C级/D级 of the appraisal in force (empty when not appraised)"},
		{Column: HousingAppraisalMonth, Kind: FactMonth, Rollup: RollLatest, From: "appraisal_month",
			Comment: "鉴定年月 first day of the appraisal month (null when not appraised)"},
		{Column: HousingInPlan, Kind: FactFlag, Rollup: RollLatest, From: "in_renovation_plan",
			Comment: "纳入改造计划 1 = in the 危房改造 plan of the year"},
		{Column: HousingRenovationStatus, Kind: FactText, Rollup: RollLatest, From: "renovation_status",
			Comment: "改造状态 未开工/在建/竣工 (empty when not in a plan)"},
		{Column: HousingCompletionMonth, Kind: FactMonth, Rollup: RollLatest, From: "completion_month",
			Comment: "竣工年月 first day of the month the renovation was completed (null when none)"},
		{Column: HousingDangerCause, Kind: FactText, Rollup: RollLatest, From: "danger_cause",
			Comment: "致危原因 自然灾害/年久失修/其他"},
	},
}

// headIDAliases are the names the household head's ID column is delivered
// under.
var headIDAliases = []string{"户主身份证号码", "户主公民身份号码", "户主证件号码"}
