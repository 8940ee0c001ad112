package schemas

// rosterDepartment is the monitoring system's roster: every other department is joined onto it; its rows are the persons of person_month.
var rosterDepartment = Department{
	Join: JoinRoster,
	Source: Source{
		Name: Roster, Title: "帮扶对象名册", PersonLevel: true, VillageColumn: "village_code",
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "name", Header: "姓名", Aliases: []string{"人员姓名"}, Kind: Text, Required: true},
			{Name: "household_no", Header: "户编号", Aliases: []string{"户号"}, Kind: Text, Required: true},
			{Name: "relation", Header: "与户主关系", Aliases: []string{"与户主的关系"}, Kind: Enum, Required: true, Values: relations},
			{Name: "village_code", Header: "区划代码", Kind: Text, Required: true},
			{Name: "household_type", Header: "户类型", Kind: Enum, Required: true, Values: householdTypes},
			{Name: "labor_capacity", Header: "劳动能力", Kind: Enum, Required: true, Values: laborTypes},
			{Name: "is_relocated", Header: "是否易地搬迁", Kind: YesNo, Required: true},
			{Name: "household_size", Header: "家庭人口数", Aliases: []string{"家庭人口", "家庭人数"}, Kind: Integer, Required: true},
			{Name: "risk_eliminated", Header: "风险是否消除", Kind: YesNo},
		},
	},
}
