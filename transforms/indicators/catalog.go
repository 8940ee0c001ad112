package indicators

// Info is what an analyst reads about an indicator: dim_indicator's row and
// the heading of its section in docs/indicators.md. It is the one place the
// Chinese name, unit, definition and target rule are written.
type Info struct {
	// Code is the indicator_code.
	Code string
	// Name is the Chinese name officials use.
	Name string
	// Unit is the unit of value (the Definition's, for computed ones).
	Unit string
	// Definition says what is counted, in domain.md's words.
	Definition string
	// TargetRule says which target applies at which level.
	TargetRule string
}

// Catalog describes every indicator of Codes(), in that order.
var Catalog = []Info{
	{"EMPLOYED_PERSONS", "脱贫人口和监测对象务工就业人数", "人",
		"Y-01..P 内至少有一条 就业状态 为 务工就业 或 灵活就业 的就业记录的 P 期名册人员（去重）",
		"省级 1 309 000 人（绝对目标，市、县为空）"},
	{"HELP_SALES", "帮扶产品销售总额", "元",
		"Y-01..P 帮扶产品销售记录 销售金额 之和，按产地县汇总",
		"省级 14 000 000 000 元（绝对目标，市、县为空）"},
	{"VOCATIONAL_NEW_ENROLLMENT", "中高职院校新入学人数", "人",
		"有 学段 中职 或 高职、入学年月 在 Y-01..P 的学籍记录的 P 期名册人员（去重）",
		"省级 20 000 人（绝对目标，市、县为空）"},
	{"YULU_GRADUATE_PLACEMENT", "雨露计划毕业生就业去向落实率", "比例",
		"曾领雨露计划、本年最近一条毕业记录的 毕业年月 在 Y-01..P 且学段为中职/高职的 P 期名册人员中，毕业去向 为 就业 或 升学、或在毕业年月及之后有就业记录的比例",
		"各层级 0.90"},
	{"PER_CAPITA_NET_INCOME", "脱贫人口人均纯收入(年化)", "元/人",
		"脱贫人口户（户类型 脱贫户、脱贫不稳定户）Σ net_income / Σ household_size，年化（× 12 / m）；也按 KEY_COUNTIES、RELOCATED 群组计算",
		"省级 = 当年比例目标 × 全省农村居民人均可支配收入（市、县、群组为空）"},
	{"MONITORED_PER_CAPITA_NET_INCOME", "监测对象人均纯收入(年化)", "元/人",
		"监测户（户类型 脱贫不稳定户、边缘易致贫户、突发严重困难户）Σ net_income / Σ household_size，年化（× 12 / m）",
		"无目标"},
	{"SHARE_ABOVE_10K", "有劳动力非兜底人口人均纯收入超1万元比例", "比例",
		"有劳动力（has_labor_member）且非兜底（is_safety_net = 0）的户的名册人员（按名册人数，不按家庭人口数）中，所在户年化人均纯收入 ≥ 10 000 元的比例",
		"2025 年各层级 1.0，其他年份无目标"},
	{"ZERO_EMPLOYMENT_HOUSEHOLDS", "有劳动力的零就业家庭", "户",
		"有劳动力（has_labor_member）且 Y-01..P 无成员有 务工就业 或 灵活就业 记录的 P 期名册户数",
		"省级 0 户（绝对目标，市、县为空）"},
	{"RELOCATED_EMPLOYMENT_COVERAGE", "有劳动力搬迁户至少1人就业比例", "比例",
		"有劳动力的易地搬迁户（户主行 是否易地搬迁，不限户类型）中，Y-01..P 至少一名成员就业的比例",
		"各层级 1.0"},
	{"INSURED_RATE", "基本医保参保率", "比例",
		"在世名册人员（截至期末未登记死亡，不限年度）中，本期医保数据 参保年度 Y 参保状态 正常参保 的比例",
		"各层级 1.0"},
	{"STUDENT_AID_COVERAGE", "在读学生资助覆盖率", "比例",
		"Y 年有 学籍状态 在读 记录的 P 期名册人员中，Y-01..P Σ 资助金额 > 0 的比例",
		"各层级 1.0"},
	{"HOUSING_SAFE_RATE", "农村住房安全保障率", "比例",
		"本期住房安全数据有鉴定记录的名册户中，现行鉴定不是（C级 或 D级 且 改造状态 未竣工）的户的比例",
		"各层级 1.0"},
	{"WATER_SAFE_RATE", "农村饮水安全达标率", "比例",
		"本期饮水安全数据有评估记录的名册户中，水量、水质、用水方便、供水保证率 四项均达标的户的比例",
		"各层级 1.0"},
	{"INCOME_RATIO_TO_RURAL", "相当于全省农村居民人均可支配收入", "比例",
		"PER_CAPITA_NET_INCOME / 当年全省农村居民人均可支配收入（参数）",
		"各层级当年比例目标：0.85（2023）、0.88（2024）、0.90（2025）"},
	{"PER_CAPITA_INCOME_GROWTH", "脱贫人口人均纯收入增长", "比例",
		"P 期 PER_CAPITA_NET_INCOME / 上年 12 月的 PER_CAPITA_NET_INCOME − 1；上年 12 月无值或为 0、或本期无脱贫人口户的区域不写行；也按群组计算",
		"关系目标：KEY_COUNTIES 增速高于全省、RELOCATED 增速不低于全省（群组行 target 为全省增速）；省级为当年全国农村居民收入增速（已配置时）；市、县为空"},
}

// Describe returns the catalog entry of an indicator code.
func Describe(code string) (Info, bool) {
	for _, i := range Catalog {
		if i.Code == code {
			return i, true
		}
	}
	return Info{}, false
}
