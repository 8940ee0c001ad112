package schemas

// employmentDepartment is employment records, accumulated per person by transforms/monthly (employment.go).
var employmentDepartment = Department{
	Join: JoinPersonID,
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
}
