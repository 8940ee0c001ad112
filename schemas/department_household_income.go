package schemas

// householdIncomeDepartment is the household survey: cumulative amounts for the year, matched on 户编号 alone (it carries no county), typed into model.Survey.
var householdIncomeDepartment = Department{
	Join: JoinHouseholdNo,
	Source: Source{
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
}
