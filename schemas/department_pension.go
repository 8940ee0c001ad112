package schemas

// pensionDepartment is pension payments, accumulated per person by transforms/monthly (pension.go).
var pensionDepartment = Department{
	Join: JoinPersonID,
	Source: Source{
		Name: Pension, Title: "城乡居民养老保险待遇", PersonLevel: true, PeriodColumn: "pay_month",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "pay_month", Header: "发放年月", Aliases: []string{"发放月份"}, Kind: Month, Required: true},
			{Name: "amount", Header: "养老金金额", Aliases: []string{"养老金发放金额", "待遇金额"}, Kind: Money, Required: true},
		},
	},
}
