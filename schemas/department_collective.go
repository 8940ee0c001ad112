package schemas

// Collective is the 村集体经济收益分配 extract of the agriculture and rural
// affairs department (inputs.md): one row per household per distribution
// paid in the period, identified by village code and 户编号.
const Collective = "collective"

// The collective facts of household_year: year-to-date amounts by 分配方式
// (they enter the income structure, domain.md: 按劳分配 in wage_verified,
// 兜底救助 in transfer_dept, 按股分红 as property_verified), whether the
// household received any distribution this year, and whether its village
// paid dividends this year (COLLECTIVE_SHARE_MISSING).
const (
	CollectiveLabor        = "collective_labor"
	CollectiveRelief       = "collective_relief"
	CollectiveDividend     = "collective_dividend"
	CollectiveReceived     = "collective_received"
	CollectiveVillagePaid  = "collective_village_dividend"
	distributionDividend   = "按股分红"
	distributionLabor      = "按劳分配"
	distributionSafetyNets = "兜底救助"
)

// collectiveDepartment: amounts are summed by 分配方式 and carried over the
// year; the village flag is rolled up over every row of the village, on the
// roster or not (most of a village's households are not).
var collectiveDepartment = Department{
	Join: JoinVillageHousehold, Table: "household_year", Optional: true, Irregular: true,
	Source: Source{
		Name: Collective, Title: "村集体经济收益分配", PeriodColumn: "pay_month", VillageColumn: "village_code",
		Columns: []Column{
			{Name: "village_code", Header: "区划代码", Kind: Text, Required: true},
			{Name: "household_no", Header: "户编号", Aliases: []string{"户号"}, Kind: Text, Required: true},
			{Name: "pay_month", Header: "分配年月", Aliases: []string{"分配月份"}, Kind: Month, Required: true},
			{Name: "distribution", Header: "分配方式", Kind: Enum, Required: true, Values: []string{distributionLabor, distributionSafetyNets, distributionDividend}},
			{Name: "amount", Header: "分配金额", Kind: Money, Required: true},
		},
	},
	Facts: []Fact{
		{Column: CollectiveLabor, Kind: FactMoney, Rollup: RollSum, From: "amount", Persist: PersistYearSum,
			WhenColumn: "distribution", WhenValues: []string{distributionLabor},
			Comment: "村集体按劳分配 Y-01..period (yuan); counted in wage_verified"},
		{Column: CollectiveRelief, Kind: FactMoney, Rollup: RollSum, From: "amount", Persist: PersistYearSum,
			WhenColumn: "distribution", WhenValues: []string{distributionSafetyNets},
			Comment: "村集体兜底救助 Y-01..period (yuan); counted in transfer_dept"},
		{Column: CollectiveDividend, Kind: FactMoney, Rollup: RollSum, From: "amount", Persist: PersistYearSum,
			WhenColumn: "distribution", WhenValues: []string{distributionDividend},
			Comment: "村集体按股分红 Y-01..period (yuan); = property_verified"},
		{Column: CollectiveReceived, Kind: FactFlag, Rollup: RollAny, Persist: PersistEverInYear,
			Comment: "收到村集体收益分配 1 = some distribution row for the household in Y-01..period"},
		{Column: CollectiveVillagePaid, Kind: FactFlag, Rollup: RollAny, Persist: PersistEverInYear, Village: true,
			WhenColumn: "distribution", WhenValues: []string{distributionDividend},
			Comment: "本村已按股分红 1 = the village of the household paid 按股分红 to some household in Y-01..period"},
	},
}
