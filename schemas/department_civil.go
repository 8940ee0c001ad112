package schemas

// The civil-affairs facts of person_month.
const (
	Dibao               = "dibao"
	Tekun               = "tekun"
	TempRelief          = "temp_relief"
	DisabilityAllowance = "disability_allowance"
	DisabilityCare      = "disability_care"
	Deceased            = "deceased"
	DeathDate           = "death_date"
)

// civilPayment is the fact of one 救助类型's payments, summed over the year.
func civilPayment(column, aidType, comment string) Fact {
	return Fact{Column: column, Kind: FactMoney, Rollup: RollSum, From: "amount",
		WhenColumn: "aid_type", WhenValues: []string{aidType}, Persist: PersistMonthSum, Comment: comment}
}

// civilDepartment is the civil-affairs department's social-assistance
// payments (summed per type over the year) and death registrations (dated
// on or before the end of the period; carried into every later month).
var civilDepartment = Department{
	Join: JoinPersonID, Table: "person_month",
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
	Facts: []Fact{
		civilPayment(Dibao, "城乡低保", "城乡低保 paid this month, yuan"),
		civilPayment(Tekun, "特困供养", "特困供养 paid this month, yuan"),
		civilPayment(TempRelief, "临时救助", "临时救助 paid this month, yuan"),
		civilPayment(DisabilityAllowance, "残疾人生活补贴", "残疾人生活补贴 paid this month, yuan"),
		civilPayment(DisabilityCare, "重度残疾人护理补贴", "重度残疾人护理补贴 paid this month, yuan"),
		{Column: Deceased, Kind: FactFlag, Rollup: RollAny, WhenColumn: "aid_type", WhenValues: []string{"死亡登记"},
			WithinColumn: "death_date", Within: WithinPeriodEnd, Persist: PersistLifetime,
			Comment: "是否死亡 1 = registered dead by the end of the period: a civil 死亡登记 (死亡日期 on or before the end of its period) arrived in this period or in any earlier published period, of any year; so 1 in every month from the registration on"},
		{Column: DeathDate, Kind: FactDate, Rollup: RollLatest, From: "death_date", WhenColumn: "aid_type", WhenValues: []string{"死亡登记"},
			WithinColumn: "death_date", Within: WithinPeriodEnd, Persist: PersistLifetime,
			Comment: "死亡日期 of the latest registration up to the period: this month, else carried from the latest earlier one; null if not deceased, or if the registration predates migration 0002"},
	},
}
