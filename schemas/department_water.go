package schemas

// Water is the 农村饮水安全 extract of the water resources department
// (inputs.md): a snapshot at the end of the period, one row per assessed
// household (the assessment in force), joined through the household head's
// ID number.
const Water = "water"

// The water facts of household_year, read by the water rules and
// WATER_SAFE_RATE.
const (
	WaterAssessed         = "water_assessed"
	WaterAssessmentMonth  = "water_assessment_month"
	WaterSupplyMode       = "water_supply_mode"
	WaterQuantityOK       = "water_quantity_ok"
	WaterQualityOK        = "water_quality_ok"
	WaterConvenienceOK    = "water_convenience_ok"
	WaterAssuranceOK      = "water_assurance_ok"
	WaterSeasonalShortage = "water_seasonal_shortage"
)

// waterDepartment: the period's snapshot row in force becomes the
// household's water facts; nothing carries over months.
var waterDepartment = Department{
	Join: JoinHeadID, Table: "household_year", Optional: true,
	Source: Source{
		Name: Water, Title: "农村饮水安全",
		Columns: []Column{
			{Name: "head_id_number", Header: "户主身份证号", Aliases: headIDAliases, Kind: IDNumber, Required: true},
			{Name: "assessment_month", Header: "评估年月", Aliases: []string{"评估时间"}, Kind: Month, Required: true},
			{Name: "supply_mode", Header: "供水方式", Kind: Enum, Required: true, Values: []string{"集中供水", "分散供水"}},
			{Name: "quantity_ok", Header: "水量达标", Aliases: []string{"水量是否达标"}, Kind: YesNo, Required: true},
			{Name: "quality_ok", Header: "水质达标", Aliases: []string{"水质是否达标"}, Kind: YesNo, Required: true},
			{Name: "convenience_ok", Header: "用水方便", Aliases: []string{"用水方便程度达标"}, Kind: YesNo, Required: true},
			{Name: "assurance_ok", Header: "供水保证率达标", Aliases: []string{"供水保证率是否达标"}, Kind: YesNo, Required: true},
			{Name: "seasonal_shortage", Header: "季节性缺水", Aliases: []string{"是否季节性缺水"}, Kind: YesNo},
		},
	},
	Facts: []Fact{
		{Column: WaterAssessed, Kind: FactFlag, Rollup: RollAny,
			Comment: "饮水安全评估 1 = 本期饮水安全数据有该户的评估记录(按户主身份证号关联)"},
		{Column: WaterAssessmentMonth, Kind: FactMonth, Rollup: RollLatest, From: "assessment_month",
			Comment: "评估年月 first day of the assessment month (null when not assessed)"},
		{Column: WaterSupplyMode, Kind: FactText, Rollup: RollLatest, From: "supply_mode",
			Comment: "供水方式 集中供水/分散供水"},
		{Column: WaterQuantityOK, Kind: FactFlag, Rollup: RollLatest, From: "quantity_ok",
			Comment: "水量达标 1 = 达标"},
		{Column: WaterQualityOK, Kind: FactFlag, Rollup: RollLatest, From: "quality_ok",
			Comment: "水质达标 1 = 达标"},
		{Column: WaterConvenienceOK, Kind: FactFlag, Rollup: RollLatest, From: "convenience_ok",
			Comment: "用水方便 1 = 取水往返时间达标"},
		{Column: WaterAssuranceOK, Kind: FactFlag, Rollup: RollLatest, From: "assurance_ok",
			Comment: "供水保证率达标 1 = 达标"},
		{Column: WaterSeasonalShortage, Kind: FactFlag, Rollup: RollLatest, From: "seasonal_shortage",
			Comment: "季节性缺水 1 = seasonal shortage reported this period (empty = 0)"},
	},
}
