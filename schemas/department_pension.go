package schemas

// PensionPaid is the pension fact of person_month (the column is named
// pension, like the source).
const PensionPaid = "pension"

// pensionDepartment is the resident pension paid, summed over the year.
var pensionDepartment = Department{
	Join: JoinPersonID, Table: "person_month",
	Source: Source{
		Name: Pension, Title: "城乡居民养老保险待遇", PersonLevel: true, PeriodColumn: "pay_month",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "pay_month", Header: "发放年月", Aliases: []string{"发放月份"}, Kind: Month, Required: true},
			{Name: "amount", Header: "养老金金额", Aliases: []string{"养老金发放金额", "待遇金额"}, Kind: Money, Required: true},
		},
	},
	Facts: []Fact{
		{Column: PensionPaid, Kind: FactMoney, Rollup: RollSum, From: "amount", Persist: PersistMonthSum,
			Comment: "养老金 resident pension paid this month, yuan"},
	},
}
