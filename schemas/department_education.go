package schemas

// The education facts of person_month.
const (
	EducationAid          = "education_aid"
	YuluAid               = "yulu_aid"
	StudentStage          = "student_stage"
	StudentStatus         = "student_status"
	GraduationMonth       = "graduation_month"
	GraduationStage       = "graduation_stage"
	GraduationDestination = "graduation_destination"
	NewVocational         = "new_vocational_enrollment"
)

// InSchool is the 学籍状态 of a student at school: a student is 在读 in the
// year when some month's record says so, and an 在读 record wins over the
// month's others.
const InSchool = "在读"

// graduationRecord is a fact of the person's latest 毕业 record: its
// 毕业年月 orders the rows of the month (ties to the last) and the months of
// the year (ties to the latest period).
func graduationRecord(column string, kind FactKind, from, comment string) Fact {
	return Fact{Column: column, Kind: kind, Rollup: RollMax, From: from, By: "grad_month", TiesToLast: true,
		WhenColumn: "status", WhenValues: []string{"毕业"}, Persist: PersistLatestInYear, LatestBy: GraduationMonth,
		Comment: comment}
}

// educationDepartment is the education department's student status and
// aid records, one row per student and aid item.
var educationDepartment = Department{
	Join: JoinPersonID, Table: "person_month",
	Source: Source{
		Name: Education, Title: "学籍与学生资助", PersonLevel: true,
		Columns: []Column{
			{Name: "id_number", Header: "身份证号", Aliases: idAliases, Kind: IDNumber, Required: true},
			{Name: "school", Header: "学校名称", Kind: Text, Required: true},
			{Name: "stage", Header: "学段", Kind: Enum, Required: true, Values: []string{"学前教育", "小学", "初中", "普通高中", "中职", "高职", "本科", "研究生"}},
			{Name: "enrol_month", Header: "入学年月", Kind: Month, Required: true},
			{Name: "status", Header: "学籍状态", Kind: Enum, Required: true, Values: []string{"在读", "毕业", "休学", "退学"}},
			{Name: "grad_month", Header: "毕业年月", Kind: Month},
			{Name: "destination", Header: "毕业去向", Kind: Enum, Values: []string{"就业", "升学", "待就业"}},
			{Name: "aid_item", Header: "资助项目", Kind: Enum, Values: []string{"雨露计划", "国家助学金", "免学费", "生活补助", "其他"}},
			{Name: "aid_amount", Header: "资助金额", Kind: Money, Required: true},
		},
	},
	Facts: []Fact{
		{Column: EducationAid, Kind: FactMoney, Rollup: RollSum, From: "aid_amount", Persist: PersistMonthSum,
			Comment: "学生资助 all aid items paid this month, yuan"},
		{Column: YuluAid, Kind: FactMoney, Rollup: RollSum, From: "aid_amount", WhenColumn: "aid_item", WhenValues: []string{"雨露计划"},
			Persist: PersistMonthSum, Ever: true,
			Comment: "雨露计划 aid paid this month, yuan"},
		{Column: StudentStage, Kind: FactText, Rollup: RollFirst, From: "stage", PreferColumn: "status", PreferValue: InSchool,
			Comment: "学段 of the education record this month (empty if none)"},
		{Column: StudentStatus, Kind: FactText, Rollup: RollFirst, From: "status", PreferColumn: "status", PreferValue: InSchool,
			Persist: PersistEverValueInYear, EverValue: InSchool,
			Comment: "学籍状态 of the education record this month (empty if none)"},
		graduationRecord(GraduationMonth, FactMonth, "grad_month",
			"毕业年月 graduation month (first day) of the latest 毕业 education record; null if none"),
		graduationRecord(GraduationStage, FactText, "stage", "毕业学段 stage of that 毕业 record (empty if none)"),
		graduationRecord(GraduationDestination, FactText, "destination", "毕业去向 就业/升学/待就业 of that record (empty if none)"),
		{Column: NewVocational, Kind: FactFlag, Rollup: RollAny, WhenColumn: "stage", WhenValues: []string{"中职", "高职"},
			WithinColumn: "enrol_month", Within: WithinYearToDate, Persist: PersistEverInYear,
			Comment: "中高职新生 1 = 中职/高职 row with 入学年月 in this year up to the period"},
	},
}
