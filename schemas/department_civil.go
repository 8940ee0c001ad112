package schemas

// civilDepartment is social-assistance payments and death registrations, accumulated per person by transforms/monthly (civil.go).
var civilDepartment = Department{
	Join: JoinPersonID,
	Source: Source{
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
}
