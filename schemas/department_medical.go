package schemas

// medicalDepartment is insurance status and settlements, accumulated per person by transforms/monthly (medical.go).
var medicalDepartment = Department{
	Join: JoinPersonID,
	Source: Source{
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
}
