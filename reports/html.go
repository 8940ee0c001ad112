package reports

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// echartsJS is Apache ECharts (npm package echarts, version in
// assets/ECHARTS-VERSION, refreshed by `make echarts`), inlined into every
// HTML report so that it needs no network.
//
//go:embed assets/echarts.min.js
var echartsJS string

//go:embed assets/report.html.tmpl
var reportTemplate string

// chartColors: blue for values, grey for the comparison, red for lagging.
const (
	colorValue   = "#1f5fa8"
	colorCompare = "#9aa5b1"
	colorLagging = "#c0392b"
	colorTarget  = "#e67e22"
)

// ratioColors are the colours of the ratio trend lines and their targets.
var ratioColors = []string{"#1f5fa8", "#2e8b57", "#8e44ad"}

type htmlPage struct {
	R           *Report
	Generated   string
	ECharts     template.JS
	Charts      template.JS
	Linear      string
	Counties    []RankRow
	RuleTotal   uint64
	PrevTotal   uint64
	QuarantineN uint64
	LedgerN     int
	ActionsN    int
}

var funcs = template.FuncMap{
	"value": FormatValue,
	"pct":   pct,
	"gap":   formatGap,
	"opt": func(p *float64, unit string) string {
		if p == nil {
			return "—"
		}
		return FormatValue(*p, unit)
	},
	"severity": severityName,
	"yuan":     func(d decimal.Decimal) string { return d.StringFixed(0) },
	"sharePct": func(s StructureRow, d decimal.Decimal) string { return fmt.Sprintf("%.1f%%", s.Share(d)*100) },
	"growth":   func(v float64) string { return fmt.Sprintf("%+.1f%%", v*100) },
	"count":    func(v float64) string { return fmt.Sprintf("%.0f", v) },
	"delta": func(cur, prev uint64) string {
		d := int64(cur) - int64(prev)
		switch {
		case d > 0:
			return fmt.Sprintf("+%d", d)
		case d < 0:
			return fmt.Sprintf("−%d", -d)
		}
		return "0"
	},
	"rankMove": func(r RankRow) string {
		if r.PrevRank == 0 {
			return "—"
		}
		d := r.PrevRank - r.Rank
		switch {
		case d > 0:
			return fmt.Sprintf("↑%d", d)
		case d < 0:
			return fmt.Sprintf("↓%d", -d)
		}
		return "→"
	},
	"month": func(m interface {
		Year() int
		Number() int
	}) string {
		return fmt.Sprintf("%d年%d月", m.Year(), m.Number())
	},
	"sourceName": sourceName,
	"reasonName": reasonName,
	"deref":      func(b *bool) bool { return b != nil && *b },
	"deref64":    func(f *float64) float64 { return *f },
}

// renderHTML renders the self-contained HTML report.
func renderHTML(r *Report, generated time.Time) ([]byte, error) {
	tmpl, err := template.New("report").Funcs(funcs).Parse(reportTemplate)
	if err != nil {
		return nil, fmt.Errorf("parsing the report template: %w", err)
	}
	charts, err := json.Marshal(chartOptions(r))
	if err != nil {
		return nil, fmt.Errorf("encoding the report charts: %w", err)
	}
	page := htmlPage{R: r, Generated: generated.In(shanghai).Format("2006-01-02 15:04"), ECharts: template.JS(echartsJS),
		Charts: template.JS(charts), Linear: fmt.Sprintf("%.1f%%", r.linearShare()*100), LedgerN: len(r.Ledger), ActionsN: len(r.Actions)}
	for _, rc := range r.Rules {
		page.RuleTotal += rc.Count
		page.PrevTotal += rc.Prev
	}
	for _, q := range r.Completeness.Quarantine {
		page.QuarantineN += q.Count
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("rendering the report of %s: %w", r.Period, err)
	}
	return buf.Bytes(), nil
}

// shanghai is China Standard Time (UTC+8, no daylight saving).
var shanghai = time.FixedZone("CST", 8*3600)

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// percentOf returns v as a percentage rounded to 0.1, nil for nil.
func percentOf(p *float64) any {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return round1(*p * 100)
}

type obj = map[string]any

// chartOptions returns the ECharts option of every chart, by chart id.
func chartOptions(r *Report) map[string]obj {
	base := func() obj {
		return obj{
			"animation": false,
			"textStyle": obj{"fontFamily": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"},
			"grid":      obj{"left": 60, "right": 30, "top": 56, "bottom": 40, "containLabel": true},
			"tooltip":   obj{"trigger": "axis"},
		}
	}
	out := map[string]obj{}

	// Progress of the six plan targets against the linear path / target.
	var names []string
	var prog, ref []any
	for _, code := range planTargets {
		t, ok := r.target(code)
		if !ok || t.Target == nil {
			continue
		}
		names = append(names, shortRatio(code))
		color := colorValue
		if t.Lagging {
			color = colorLagging
		}
		prog = append(prog, obj{"value": percentOf(t.Progress), "itemStyle": obj{"color": color}})
		if t.Cumulative {
			ref = append(ref, round1(r.linearShare()*100))
		} else {
			ref = append(ref, 100.0)
		}
	}
	p := base()
	p["legend"] = obj{"data": []string{"完成进度", "序时进度/目标"}, "top": 0}
	p["xAxis"] = obj{"type": "category", "data": names, "axisLabel": obj{"interval": 0}}
	p["yAxis"] = obj{"type": "value", "name": "%", "axisLabel": obj{"formatter": "{value}%"}}
	p["series"] = []obj{
		{"name": "完成进度", "type": "bar", "data": prog, "barMaxWidth": 36, "itemStyle": obj{"color": colorValue},
			"label": obj{"show": true, "position": "top", "formatter": "{c}%"}},
		{"name": "序时进度/目标", "type": "scatter", "data": ref, "symbol": "rect", "symbolSize": []int{44, 3},
			"itemStyle": obj{"color": colorTarget}},
	}
	out["progress"] = p

	months := make([]string, len(r.Months))
	linear := make([]any, len(r.Months))
	for i, m := range r.Months {
		months[i] = fmt.Sprintf("%d月", m.Number())
		linear[i] = round1(float64(m.Number()) / monthsInAYear * 100)
	}
	// Cumulative targets as a share of the annual target, month by month.
	cum := base()
	series := []obj{}
	legend := []string{}
	for _, code := range []string{codeEmployed, codeSales, codeVocational} {
		t, ok := r.target(code)
		if !ok || t.Target == nil || *t.Target == 0 {
			continue
		}
		data := make([]any, len(r.Months))
		for i, v := range r.Trend[code] {
			if v != nil {
				data[i] = round1(*v / *t.Target * 100)
			}
		}
		legend = append(legend, shortTitle(code))
		series = append(series, obj{"name": shortTitle(code), "type": "line", "data": data, "symbolSize": 6})
	}
	legend = append(legend, "序时进度")
	series = append(series, obj{"name": "序时进度", "type": "line", "data": linear, "lineStyle": obj{"type": "dashed", "color": colorTarget},
		"itemStyle": obj{"color": colorTarget}, "symbol": "none"})
	cum["legend"] = obj{"data": legend, "top": 0}
	cum["xAxis"] = obj{"type": "category", "data": months}
	cum["yAxis"] = obj{"type": "value", "name": "占年度目标 %", "axisLabel": obj{"formatter": "{value}%"}}
	cum["series"] = series
	out["trendCumulative"] = cum

	// Ratio targets month by month, one dashed line per distinct target.
	rt := base()
	series, legend = []obj{}, []string{}
	var targetValues []any
	targetNames := map[any][]string{}
	for _, code := range []string{codeRatio, codeShare10K, codePlacement} {
		t, ok := r.target(code)
		if !ok {
			continue
		}
		data := make([]any, len(r.Months))
		for i, v := range r.Trend[code] {
			data[i] = percentOf(v)
		}
		color := ratioColors[len(series)%len(ratioColors)]
		legend = append(legend, shortRatio(code))
		series = append(series, obj{"name": shortRatio(code), "type": "line", "data": data, "symbolSize": 6,
			"itemStyle": obj{"color": color}, "lineStyle": obj{"color": color}})
		if tv := percentOf(t.Target); tv != nil {
			if targetNames[tv] == nil {
				targetValues = append(targetValues, tv)
			}
			targetNames[tv] = append(targetNames[tv], shortRatio(code))
		}
	}
	if len(series) > 0 && len(targetValues) > 0 {
		var lines []obj
		for _, tv := range targetValues {
			lines = append(lines, obj{"yAxis": tv, "label": obj{"formatter": strings.Join(targetNames[tv], "、") + "目标 {c}%",
				"position": "insideStartTop", "color": colorTarget}})
		}
		series[0]["markLine"] = obj{"silent": true, "symbol": "none", "lineStyle": obj{"type": "dashed", "color": colorTarget}, "data": lines}
	}
	rt["legend"] = obj{"data": legend, "top": 0}
	rt["xAxis"] = obj{"type": "category", "data": months}
	rt["yAxis"] = obj{"type": "value", "name": "%", "axisLabel": obj{"formatter": "{value}%"}, "scale": true, "max": 100}
	rt["series"] = series
	out["trendRatio"] = rt

	// City ranking by income ratio.
	ct := base()
	var cityNames []string
	var cityData []any
	var target any
	for i := len(r.Cities) - 1; i >= 0; i-- {
		c := r.Cities[i]
		cityNames = append(cityNames, c.Name)
		color := colorValue
		if c.Lagging() {
			color = colorLagging
		}
		cityData = append(cityData, obj{"value": percentOf(c.IncomeRatio), "itemStyle": obj{"color": color}})
		if c.Target != nil {
			target = percentOf(c.Target)
		}
	}
	citySeries := obj{"name": "收入比", "type": "bar", "data": cityData, "barMaxWidth": 18,
		"label": obj{"show": true, "position": "right", "formatter": "{c}%"}}
	if target != nil {
		citySeries["markLine"] = obj{"silent": true, "symbol": "none", "lineStyle": obj{"color": colorTarget, "type": "dashed"},
			"label": obj{"formatter": "目标 {c}%"}, "data": []obj{{"xAxis": target}}}
	}
	ct["grid"] = obj{"left": 10, "right": 60, "top": 20, "bottom": 20, "containLabel": true}
	// Axis bounds in Go (ECharts takes functions, not JSON, for data-relative
	// bounds) so that the target line is always on the chart.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range r.Cities {
		for _, p := range []*float64{c.IncomeRatio, c.Target} {
			if p != nil {
				lo, hi = math.Min(lo, *p*100), math.Max(hi, *p*100)
			}
		}
	}
	xAxis := obj{"type": "value", "axisLabel": obj{"formatter": "{value}%"}}
	if lo <= hi {
		step := 10.0
		if hi-lo > 50 {
			step = 20
		}
		xAxis["min"], xAxis["max"] = math.Max(0, math.Floor(lo/step)*step-step), math.Ceil(hi/step)*step+step
		xAxis["interval"] = step
	}
	ct["xAxis"] = xAxis
	ct["yAxis"] = obj{"type": "category", "data": cityNames}
	ct["series"] = []obj{citySeries}
	out["cities"] = ct

	// Income structure, per capita annualized.
	st := base()
	var groups []string
	parts := [4][]any{}
	for i := len(r.Structure) - 1; i >= 0; i-- {
		s := r.Structure[i]
		if s.Group == levelCounty {
			continue
		}
		groups = append(groups, s.Name)
		for j, d := range []interface{ Float64() (float64, bool) }{s.Wage, s.Business, s.Property, s.Transfer} {
			f, _ := d.Float64()
			parts[j] = append(parts[j], math.Round(f))
		}
	}
	partNames := []string{"工资性收入", "经营净收入", "财产性收入", "转移性收入"}
	series = []obj{}
	for j, n := range partNames {
		series = append(series, obj{"name": n, "type": "bar", "stack": "income", "data": parts[j], "barMaxWidth": 16})
	}
	st["legend"] = obj{"data": partNames, "top": 0}
	st["grid"] = obj{"left": 10, "right": 30, "top": 30, "bottom": 20, "containLabel": true}
	st["tooltip"] = obj{"trigger": "axis", "axisPointer": obj{"type": "shadow"}}
	st["xAxis"] = obj{"type": "value"}
	st["yAxis"] = obj{"type": "category", "data": groups}
	st["series"] = series
	out["structure"] = st

	// Findings by rule: this period against the previous one.
	fd := base()
	var ruleNames []string
	var cur, prev []any
	for i := len(r.Rules) - 1; i >= 0; i-- {
		rc := r.Rules[i]
		ruleNames = append(ruleNames, rc.Name)
		cur = append(cur, rc.Count)
		prev = append(prev, rc.Prev)
	}
	fdSeries := []obj{{"name": "本期", "type": "bar", "data": cur, "itemStyle": obj{"color": colorValue}, "barMaxWidth": 12}}
	fdLegend := []string{"本期"}
	if r.HasPrev {
		fdSeries = append(fdSeries, obj{"name": r.PrevLabel, "type": "bar", "data": prev, "itemStyle": obj{"color": colorCompare}, "barMaxWidth": 12})
		fdLegend = append(fdLegend, r.PrevLabel)
	}
	fd["legend"] = obj{"data": fdLegend, "top": 0}
	fd["grid"] = obj{"left": 10, "right": 30, "top": 30, "bottom": 20, "containLabel": true}
	fd["tooltip"] = obj{"trigger": "axis", "axisPointer": obj{"type": "shadow"}}
	fd["xAxis"] = obj{"type": "value", "minInterval": 1}
	fd["yAxis"] = obj{"type": "category", "data": ruleNames}
	fd["series"] = fdSeries
	out["findings"] = fd
	return out
}

func shortRatio(code string) string {
	switch code {
	case codeRatio:
		return "收入比"
	case codeShare10K:
		return "超1万元比例"
	case codePlacement:
		return "雨露计划落实率"
	}
	return shortTitle(code)
}

// sourceNames are the Chinese names of the extracts.
var sourceNames = map[string]string{
	"roster": "防止返贫监测系统名册", "household_income": "家庭收入采集", "education": "教育部门",
	"medical": "医保部门", "civil": "民政部门", "employment": "人社部门就业", "pension": "人社部门养老金", "sales": "帮扶产品销售",
	"housing": "住建部门住房安全", "water": "水利部门饮水安全", "collective": "农业农村部门村集体收益分配",
}

func sourceName(s string) string {
	if n, ok := sourceNames[s]; ok {
		return n + "（" + s + "）"
	}
	return s
}

// reasonNames are the Chinese names of the quarantine reasons.
var reasonNames = map[string]string{
	"MALFORMED_ROW": "行格式错误", "MISSING_VALUE": "必填项为空", "ID_INVALID": "身份证号无效", "BAD_VALUE": "值无法解析",
	"PERIOD_MISMATCH": "统计期不符", "UNKNOWN_REGION": "区划代码未知", "AMOUNT_INCONSISTENT": "金额不一致",
	"DUPLICATE_ID": "身份证号重复", "DUPLICATE_HOUSEHOLD": "家庭收入重复采集",
}

func reasonName(s string) string {
	if n, ok := reasonNames[s]; ok {
		return n
	}
	return s
}
