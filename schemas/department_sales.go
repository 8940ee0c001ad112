package schemas

// salesDepartment is assistance-product sales: not joined to the roster, summed by county, channel and category into sales_month.
var salesDepartment = Department{
	Join: JoinCounty,
	Source: Source{
		Name: Sales, Title: "帮扶产品销售", PeriodColumn: "month", CountyColumn: "county_code",
		Columns: []Column{
			{Name: "month", Header: "统计年月", Aliases: []string{"统计月份"}, Kind: Month, Required: true},
			{Name: "county_code", Header: "区划代码", Kind: Text, Required: true},
			{Name: "channel", Header: "销售渠道", Kind: Enum, Required: true, Values: []string{"832平台", "预算单位采购", "社会采购", "展销活动", "电商平台", "其他"}},
			{Name: "category", Header: "产品类别", Kind: Text, Required: true},
			{Name: "amount", Header: "销售金额", Aliases: []string{"销售额"}, Kind: Money, Required: true},
			{Name: "seller", Header: "经营主体", Kind: Text},
		},
	},
}
