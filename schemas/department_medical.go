package schemas

// The medical-insurance facts of person_month.
const (
	Insured                  = "insured"
	InsuranceSubsidy         = "insurance_subsidy"
	InsuranceSubsidyCategory = "insurance_subsidy_category"
	MedicalTotal             = "medical_total"
	MedicalOOP               = "medical_oop"
)

// insuredRow is the record of a person insured for the period: 正常参保 in
// the 参保年度 of the period.
func insuredRow(f Fact) Fact {
	f.WhenColumn, f.WhenValues = "insurance_status", []string{"正常参保"}
	f.WithinColumn, f.Within = "insurance_year", WithinPeriodYear
	return f
}

// medicalDepartment is the medical-insurance department's insurance status
// and settlements: insured and the subsidy category are the period's own,
// out-of-pocket costs are summed over the year.
var medicalDepartment = Department{
	Join: JoinPersonID, Table: "person_month",
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
	Facts: []Fact{
		insuredRow(Fact{Column: Insured, Kind: FactFlag, Rollup: RollAny,
			Comment: "是否参保 1 = 正常参保 for the insurance year of the period"}),
		{Column: InsuranceSubsidy, Kind: FactMoney, Rollup: RollSum, From: "subsidy_amount",
			Comment: "参保资助金额 premium subsidy, yuan"},
		insuredRow(Fact{Column: InsuranceSubsidyCategory, Kind: FactText, Rollup: RollLatest, From: "subsidy_category",
			Comment: "资助参保类别 全额资助/定额资助/无 of the insured row (empty if none)"}),
		{Column: MedicalTotal, Kind: FactMoney, Rollup: RollSum, From: "total_cost",
			Comment: "医疗总费用 medical cost settled this month, yuan"},
		{Column: MedicalOOP, Kind: FactMoney, Rollup: RollSum, From: "out_of_pocket", Persist: PersistMonthSum,
			Comment: "个人自付 out-of-pocket medical cost this month, yuan"},
	},
}
