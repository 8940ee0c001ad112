package reports

import (
	"fmt"
	"math"
	"strings"
)

// FormatValue formats an indicator value in its unit the way the report
// prints it: 比例 as a percentage, 元 in 万元/亿元, counts whole.
func FormatValue(v float64, unit string) string {
	switch unit {
	case "比例":
		return fmt.Sprintf("%.1f%%", v*100)
	case "元":
		if math.Abs(v) >= 1e8 {
			return fmt.Sprintf("%.2f亿元", v/1e8)
		}
		return fmt.Sprintf("%.2f万元", v/1e4)
	case "元/人":
		return fmt.Sprintf("%.0f元", v)
	case "人":
		if math.Abs(v) >= 1e4 {
			return fmt.Sprintf("%.2f万人", v/1e4)
		}
		return fmt.Sprintf("%.0f人", v)
	default:
		return fmt.Sprintf("%.0f%s", v, unit)
	}
}

// formatGap formats a gap: percentage points for a ratio, the unit otherwise.
func formatGap(t TargetRow) string {
	if t.Gap == nil {
		return "—"
	}
	g := *t.Gap
	sign := "+"
	if g < 0 {
		sign = "−"
		g = -g
	}
	if t.Unit == "比例" {
		return fmt.Sprintf("%s%.1f个百分点", sign, g*100)
	}
	return sign + FormatValue(g, t.Unit)
}

func pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

func (r *Report) target(code string) (TargetRow, bool) {
	for _, t := range r.Targets {
		if t.Code == code {
			return t, true
		}
	}
	return TargetRow{}, false
}

// linearShare is the linear path through the year at the report's month.
func (r *Report) linearShare() float64 { return float64(r.Period.Number()) / monthsInAYear }

// summarize writes the few lines for a message to leaders.
func summarize(r *Report) []string {
	kindName := "月报"
	if r.Kind == Quarterly {
		kindName = "季报"
	}
	lines := []string{fmt.Sprintf("【增收监测%s】%s（数据截至%d年%d月，年初至今累计）", kindName, r.Label, r.Period.Year(), r.Period.Number())}
	var parts []string
	for _, code := range []string{codeEmployed, codeSales, codeVocational} {
		t, ok := r.target(code)
		if !ok || t.Target == nil {
			continue
		}
		state := "达到序时进度"
		if t.Lagging {
			state = fmt.Sprintf("落后序时进度%.1f个百分点", (r.linearShare()-*t.Progress)*100)
		}
		parts = append(parts, fmt.Sprintf("%s%s，完成年度目标%s的%s，%s", shortTitle(code), FormatValue(t.Value, t.Unit),
			FormatValue(*t.Target, t.Unit), pct(t.Progress), state))
	}
	if r.Kind == Quarterly {
		parts = append(parts, "本季度帮扶产品销售"+FormatValue(r.QuarterTotal.Sales, "元"))
	}
	if len(parts) > 0 {
		lines = append(lines, "一、"+strings.Join(parts, "；")+"。")
	}
	var income []string
	if t, ok := r.target(codePerCapita); ok {
		income = append(income, "脱贫人口人均纯收入（年化）"+FormatValue(t.Value, t.Unit))
	}
	if t, ok := r.target(codeRatio); ok && t.Target != nil {
		income = append(income, fmt.Sprintf("相当于全省农村居民人均可支配收入的%s（目标%s）", pct(&t.Value), pct(t.Target)))
	}
	if t, ok := r.target(codeShare10K); ok && !t.NoBase {
		income = append(income, "有劳动力非兜底人口人均纯收入超1万元比例"+pct(&t.Value))
	}
	if t, ok := r.target(codePlacement); ok {
		if t.NoBase {
			income = append(income, "雨露计划毕业生本年尚无毕业")
		} else {
			income = append(income, "雨露计划毕业生就业去向落实率"+pct(&t.Value)+"（目标≥90%）")
		}
	}
	if len(income) > 0 {
		lines = append(lines, "二、"+strings.Join(income, "，")+"。")
	}
	var lagCities []string
	for _, c := range r.Cities {
		if c.Lagging() {
			lagCities = append(lagCities, c.Name)
		}
	}
	lagCounties := 0
	for _, c := range r.Counties {
		if c.Lagging() {
			lagCounties++
		}
	}
	if len(r.Cities) > 0 {
		lines = append(lines, fmt.Sprintf("三、收入比排名落后或未达标的设区市%d个（%s），县（市、区）%d个，名单见报告。",
			len(lagCities), orNone(strings.Join(lagCities, "、")), lagCounties))
	}
	var total, high, prev uint64
	for _, rc := range r.Rules {
		total += rc.Count
		prev += rc.Prev
		if rc.Severity == severityHigh {
			high += rc.Count
		}
	}
	change := ""
	if r.HasPrev {
		change = fmt.Sprintf("，较%s%s", r.PrevLabel, signed(int64(total)-int64(prev)))
	}
	lines = append(lines, fmt.Sprintf("四、数据比对发现%d条（高风险%d条）%s；一户一策清单%d户，请各地逐户核实整改。", total, high, change, len(r.Actions)))
	if c := r.Completeness; len(c.Missing) > 0 || len(c.Incomplete) > 0 || len(c.Unpublished) > 0 {
		lines = append(lines, fmt.Sprintf("五、数据完整性：%d个月份有缺失数据源，%d项指标数据不完整，%d个月份未发布，解读时请注意。",
			len(c.Missing), len(c.Incomplete), len(c.Unpublished)))
	}
	return lines
}

func shortTitle(code string) string {
	switch code {
	case codeEmployed:
		return "务工就业"
	case codeSales:
		return "帮扶产品销售"
	case codeVocational:
		return "中高职新入学"
	}
	return headlineTitle(code)
}

func orNone(s string) string {
	if s == "" {
		return "无"
	}
	return s
}

func signed(n int64) string {
	switch {
	case n > 0:
		return fmt.Sprintf("增加%d条", n)
	case n < 0:
		return fmt.Sprintf("减少%d条", -n)
	}
	return "持平"
}
