package reports

// Reasons a household is on the 一户一策 list besides the comparison rules
// (household_year flags).
const (
	ReasonBelow10K        = "BELOW_10K"
	ReasonBelowLine       = "BELOW_MONITORING_LINE"
	ruleZeroEmployment    = "ZERO_EMPLOYMENT_HOUSEHOLD"
	severityHigh          = "high"
	severityMedium        = "medium"
	severityLow           = "low"
	householdHeadRelation = "户主"
)

// RuleText is the Chinese name of a comparison rule (or list reason) and the
// suggested measure (建议措施) printed in the 一户一策 list.
type RuleText struct {
	Name, Measure string
}

// ruleTexts covers every code of transforms/rules.Registry (a test keeps it
// complete) and the two household_year reasons.
var ruleTexts = map[string]RuleText{
	"DUPLICATE_PERSON":           {"同一人重复在册", "核实身份证号和户籍，确定唯一所属户，清理重复记录，防止重复享受政策"},
	"DECEASED_IN_ROSTER":         {"已故人员仍在册", "核实死亡登记，及时办理减员，停发各项帮扶待遇"},
	"PAID_AFTER_DEATH":           {"死亡后仍有发放", "立即停发并追回死亡后发放的资金，查明发放部门和原因"},
	"NOT_MONITORED_BELOW_LINE":   {"低于监测线未纳入监测", "按程序纳入防止返贫监测（应纳尽纳），制定针对性帮扶措施"},
	"RISK_ELIMINATED_BELOW_LINE": {"风险已消除但低于监测线", "重新评估风险消除认定，必要时恢复监测并落实帮扶"},
	"LOW_INCOME_NO_SAFETY_NET":   {"低于低保标准未兜底", "开展低保、特困供养资格认定，符合条件的及时纳入兜底保障（应保尽保）"},
	"SAFETY_NET_HIGH_INCOME":     {"兜底户收入明显偏高", "复核家庭收入和兜底资格，按规定动态调整"},
	"NOT_INSURED":                {"未参加基本医保", "动员参加城乡居民基本医疗保险，落实分类资助参保"},
	"INSURANCE_SUBSIDY_MISSING":  {"应资助参保未资助", "按监测对象、兜底人员身份落实参保资助"},
	"STUDENT_NO_AID":             {"在读学生未获资助", "落实教育资助和雨露计划补助（应助尽助）"},
	ruleZeroEmployment:           {"零就业家庭", "岗位推送、技能培训、公益性岗位托底，确保至少一人稳定就业"},
	"RELOCATED_NO_EMPLOYMENT":    {"搬迁户无人就业", "依托安置点帮扶车间和就业帮扶，确保搬迁户至少一人就业"},
	"WAGE_UNVERIFIED":            {"自报工资无部门记录", "入户核实工资收入来源和务工单位，防止“数字增收”"},
	"INCOME_SPIKE_UNBACKED":      {"收入激增无部门数据支撑", "核实收入构成和增收来源，防止“算账增收”"},
	"HIGH_MEDICAL_BURDEN":        {"医疗自付负担重", "落实基本医保、大病保险、医疗救助三重保障和临时救助，防止因病返贫"},
	"HOUSEHOLD_SIZE_MISMATCH":    {"家庭人口数不一致", "入户核实家庭人口，更正名册和采集数据"},
	"HOUSING_UNSAFE_NOT_PLANNED": {"危房未纳入改造计划", "按应改尽改纳入危房改造计划，改造完成前落实过渡安置"},
	"HOUSING_RENOVATION_STALLED": {"危房改造进度滞后", "督促施工进度，限期竣工验收"},
	"WATER_UNSAFE":               {"饮水安全不达标", "落实管网延伸、水质净化或分散供水设施改造"},
	"SEASONAL_WATER_SHORTAGE":    {"季节性缺水", "落实应急送水、备用水源等临时供水措施"},
	"COLLECTIVE_SHARE_MISSING":   {"村集体分红未惠及", "按收益分配重点倾斜要求将脱贫户、监测户纳入村集体收益分配"},
	ReasonBelow10K:               {"人均纯收入未达1万元", "因户施策：发展特色产业、稳岗就业、技能提升，落实产业和就业奖补，推动人均纯收入达到1万元以上"},
	ReasonBelowLine:              {"人均纯收入低于监测线", "纳入监测或加强帮扶，落实兜底保障和临时救助，防止返贫"},
}

// RuleName returns the Chinese name of a rule or reason code (the code
// itself when unknown).
func RuleName(code string) string {
	if t, ok := ruleTexts[code]; ok {
		return t.Name
	}
	return code
}

// Measure returns the suggested measure for a rule or reason code ("" when
// unknown).
func Measure(code string) string { return ruleTexts[code].Measure }

// severityNames are the Chinese severities.
var severityNames = map[string]string{severityHigh: "高", severityMedium: "中", severityLow: "低"}

func severityName(s string) string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return s
}
