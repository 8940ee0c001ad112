package schemas

// educationDepartment is student status and aid, accumulated per person by transforms/monthly (education.go).
var educationDepartment = Department{
	Join: JoinPersonID,
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
}
