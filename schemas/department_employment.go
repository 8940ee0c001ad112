package schemas

// The employment facts of person_month.
const (
	Employed       = "employed"
	EmploymentForm = "employment_form"
	EmploymentArea = "employment_area"
	Wage           = "wage"
	TravelSubsidy  = "travel_subsidy"
)

// employedStatuses are the 就业状态 of a person at work: their rows' wages
// count and make the person employed (未就业 rows count only their travel
// subsidy).
var employedStatuses = []string{"务工就业", "灵活就业"}

// employmentDepartment is the human-resources department's employment
// records, one row per person and job: wages are summed over the year,
// employment is remembered by its latest month, the form and area are the
// best-paid job's.
var employmentDepartment = Department{
	Join: JoinPersonID, Table: "person_month",
	Source: Source{
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
	Facts: []Fact{
		{Column: Employed, Kind: FactFlag, Rollup: RollAny, WhenColumn: "status", WhenValues: employedStatuses,
			Persist: PersistLastInYear,
			Comment: "是否就业 1 = employment row 务工就业/灵活就业 this month"},
		{Column: EmploymentForm, Kind: FactText, Rollup: RollMax, From: "form", By: "wage",
			WhenColumn: "status", WhenValues: employedStatuses,
			Comment: "就业形式 of the best-paid employment row this month"},
		{Column: EmploymentArea, Kind: FactText, Rollup: RollMax, From: "area", By: "wage",
			WhenColumn: "status", WhenValues: employedStatuses,
			Comment: "就业地域 县内/省内县外/省外 of that row"},
		{Column: Wage, Kind: FactMoney, Rollup: RollSum, From: "wage", WhenColumn: "status", WhenValues: employedStatuses,
			Persist: PersistMonthSum,
			Comment: "月工资收入 wages this month (rows with 就业状态 not 未就业), yuan"},
		{Column: TravelSubsidy, Kind: FactMoney, Rollup: RollSum, From: "travel_subsidy", Persist: PersistMonthSum,
			Comment: "一次性交通补助 travel subsidy paid this month, yuan"},
	},
}
