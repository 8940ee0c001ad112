package rules

// Info is what an analyst and a county official read about a rule:
// dim_rule's row and the heading of its section in docs/indicators.md. It
// is the one place the Chinese name, definition and suggested measure
// (帮扶措施建议) are written; the severity is the Registry's.
type Info struct {
	// Code is the rule_code.
	Code string
	// Name is the Chinese name.
	Name string
	// Level is person or household: one finding per person or household.
	Level string
	// Definition says when the rule fires, in domain.md's words.
	Definition string
	// Measure is the suggested follow-up (帮扶措施建议).
	Measure string
}

// Finding levels.
const (
	LevelPerson    = "person"
	LevelHousehold = "household"
)

// Catalog describes every rule of the Registry, in its order.
var Catalog = []Info{
	{"DUPLICATE_PERSON", "同一人登记在多个户", LevelPerson,
		"同一身份证号出现在两个或更多名册户（县级区划代码 + 户编号）中；文件中第一行为准，后出现的行以 DUPLICATE_ID 隔离，每个号一条发现",
		"核实此人实际所在户，删除重复登记，确保一人一户"},
	{"DECEASED_IN_ROSTER", "已死亡人员仍在名册", LevelPerson,
		"截至期末已登记死亡（本期或此前任一已发布期、不限年度的民政 死亡登记，死亡日期 ≤ 其期末）的人仍在名册中",
		"核实死亡信息，按程序办理减员并调整家庭人口数"},
	{"PAID_AFTER_DEATH", "死亡后仍有发放", LevelPerson,
		"登记死亡月份之后的月份仍有发放（民政、养老金、学生资助、工资、一次性交通补助）；每人每个有此类发放的期一条",
		"立即核实发放对象，停发并追回死亡后发放的资金"},
	{"NOT_MONITORED_BELOW_LINE", "脱贫户收入低于监测线未纳入监测", LevelHousehold,
		"户类型 脱贫户（未纳入监测）的户年化人均纯收入低于当年监测线（应纳尽纳）",
		"入户核实收入，符合条件的按程序纳入防止返贫监测并落实帮扶措施"},
	{"RISK_ELIMINATED_BELOW_LINE", "风险已消除但收入低于监测线", LevelHousehold,
		"风险是否消除 为 是 的监测户年化人均纯收入低于当年监测线",
		"重新评估风险消除是否属实，必要时恢复监测并继续帮扶"},
	{"LOW_INCOME_NO_SAFETY_NET", "收入低于低保标准未享受兜底", LevelHousehold,
		"年化人均纯收入低于当年农村低保标准且本年无成员领取城乡低保或特困供养（应保尽保）",
		"协调民政部门核查，符合条件的及时纳入低保或特困供养"},
	{"SAFETY_NET_HIGH_INCOME", "兜底户扣除兜底后收入偏高", LevelHousehold,
		"兜底户扣除低保、特困供养后的年化人均纯收入超过当年农村低保标准的 2 倍",
		"协调民政部门复核低保、特困供养资格，按规定动态调整"},
	{"NOT_INSURED", "未参加基本医疗保险", LevelPerson,
		"在世名册人员（截至期末未登记死亡，不限年度）本期医保数据中本年无 正常参保 记录（本期有医保数据时）",
		"动员参保并落实分类资助参保政策"},
	{"INSURANCE_SUBSIDY_MISSING", "应资助参保未资助", LevelPerson,
		"监测户或兜底户成员已参保，但 资助参保类别 为 无",
		"协调医保部门按监测对象、低保特困人员资助政策落实参保资助"},
	{"STUDENT_NO_AID", "在读学生未获资助", LevelPerson,
		"本年有 学籍状态 在读 记录的名册人员 Y-01..P Σ 资助金额 ≤ 0（应助尽助）",
		"协调教育部门核实学籍，落实学生资助（含雨露计划）"},
	{"ZERO_EMPLOYMENT_HOUSEHOLD", "零就业家庭", LevelHousehold,
		"有劳动力（has_labor_member）且 Y-01..P 无成员有 务工就业 或 灵活就业 记录的户（同指标 ZERO_EMPLOYMENT_HOUSEHOLDS）",
		"开展就业帮扶：岗位推荐、技能培训、公益性岗位或帮扶车间安置，确保至少一人就业"},
	{"RELOCATED_NO_EMPLOYMENT", "搬迁户有劳动力无人就业", LevelHousehold,
		"易地搬迁户（户主行 是否易地搬迁）有劳动力且 Y-01..P 无成员就业",
		"落实搬迁后续扶持就业帮扶，优先安排安置区就近就业"},
	{"WAGE_UNVERIFIED", "自报工资缺少部门记录", LevelHousehold,
		"自报工资性收入 > 0，wage_reported_only ≥ 1 000 元且超过自报工资的 50%（数字增收风险）",
		"入户核实务工情况，补录就业信息或更正收入采集数据"},
	{"INCOME_SPIKE_UNBACKED", "收入大幅增长缺少部门数据支撑", LevelHousehold,
		"年化人均纯收入 ≥ 上年终值的 1.5 倍，而部门核实人均收入（(wage_verified + transfer_dept) / household_size，年化）的增幅不到人均纯收入增幅的一半（算账增收风险）",
		"入户核实收入构成，防止算账增收、数字增收"},
	{"HIGH_MEDICAL_BURDEN", "医疗支出负担重", LevelHousehold,
		"户 Y-01..P 成员 Σ 个人自付 ≥ 当年阈值（参数，默认 5 000 元）（支出型风险）",
		"评估是否纳入监测，落实医疗救助和防止因病返贫措施"},
	{"HOUSEHOLD_SIZE_MISMATCH", "家庭人口数不一致", LevelHousehold,
		"户内成员登记的 家庭人口数 不一致，或小于名册人数",
		"核实家庭成员，统一并更正家庭人口数"},
	{"HOUSING_UNSAFE_NOT_PLANNED", "危房未纳入改造计划", LevelHousehold,
		"本期住房安全数据中该户现行鉴定为 C级 或 D级、改造状态 不是 竣工，且 纳入改造计划 为 否（应改尽改）",
		"按应改尽改要求纳入当年危房改造计划，改造完成前落实过渡安置"},
	{"HOUSING_RENOVATION_STALLED", "危房改造进度滞后", LevelHousehold,
		"C级/D级、已纳入改造计划、未竣工，且 鉴定年月 早于本期超过 12 个月",
		"督促施工进度，查明滞后原因，限期竣工验收"},
	{"WATER_UNSAFE", "饮水安全不达标", LevelHousehold,
		"本期饮水安全数据中该户现行评估的 水量、水质、用水方便、供水保证率 任一不达标",
		"落实管网延伸、水质净化或分散供水设施改造，确保饮水安全"},
	{"SEASONAL_WATER_SHORTAGE", "季节性缺水", LevelHousehold,
		"本期饮水安全数据中该户 季节性缺水 为 是",
		"落实应急送水、备用水源等临时供水措施"},
	{"COLLECTIVE_SHARE_MISSING", "村集体分红未惠及", LevelHousehold,
		"该户所在村 Y-01..P 已向某户（不论是否在名册）按股分红，而该脱贫户或监测户 Y-01..P 未获任何村集体收益分配（收益分配重点倾斜）",
		"核实村集体收益分配方案，按重点倾斜要求将脱贫户、监测户纳入分配"},
}

// Describe returns the catalog entry of a rule code.
func Describe(code string) (Info, bool) {
	for _, i := range Catalog {
		if i.Code == code {
			return i, true
		}
	}
	return Info{}, false
}
