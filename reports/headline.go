// Package reports builds what officials read from the warehouse: the
// headline figures against the plan's targets and (later) the monthly and
// quarterly reports.
package reports

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"zengshou/transforms/values"
)

// Headline is one province-level indicator of a period with its target.
type Headline struct {
	Code, Title, Unit string
	Value             float64
	Target            *float64
	Complete          bool
	// Stale: an earlier period was re-published after this one was
	// computed (indicator.stale); the figure is built on superseded data.
	Stale bool
}

// headlineTitles are the indicators shown first, with their Chinese titles;
// an optional one (of a department not delivered everywhere: housing,
// water) is shown only when some household counts in it.
var headlineTitles = []struct {
	code, title string
	optional    bool
}{
	{"EMPLOYED_PERSONS", "脱贫人口和监测对象务工就业人数", false},
	{"HELP_SALES", "帮扶产品销售总额", false},
	{"VOCATIONAL_NEW_ENROLLMENT", "中高职院校新入学人数", false},
	{"YULU_GRADUATE_PLACEMENT", "雨露计划毕业生就业去向落实率", false},
	{"PER_CAPITA_NET_INCOME", "脱贫人口人均纯收入(年化)", false},
	{"INCOME_RATIO_TO_RURAL", "相当于全省农村居民人均可支配收入", false},
	{"MONITORED_PER_CAPITA_NET_INCOME", "监测对象人均纯收入(年化)", false},
	{"PER_CAPITA_INCOME_GROWTH", "脱贫人口人均纯收入增长", false},
	{"SHARE_ABOVE_10K", "有劳动力非兜底人口人均纯收入超1万元比例", false},
	{"ZERO_EMPLOYMENT_HOUSEHOLDS", "有劳动力的零就业家庭", false},
	{"RELOCATED_EMPLOYMENT_COVERAGE", "有劳动力搬迁户至少1人就业比例", false},
	{"INSURED_RATE", "基本医保参保率", false},
	{"STUDENT_AID_COVERAGE", "在读学生资助覆盖率", false},
	{"HOUSING_SAFE_RATE", "农村住房安全保障率", true},
	{"WATER_SAFE_RATE", "农村饮水安全达标率", true},
}

// optionalHeadline reports whether code is an optional headline indicator.
func optionalHeadline(code string) bool {
	for _, t := range headlineTitles {
		if t.code == code {
			return t.optional
		}
	}
	return false
}

// Headlines reads the province-level headline indicators of a period.
func Headlines(ctx context.Context, conn driver.Conn, period values.Month) ([]Headline, error) {
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT indicator_code, unit, value, target, complete, stale, denominator
FROM indicator WHERE period = toDate('%s-01') AND region_level = 'province'`, period))
	if err != nil {
		return nil, fmt.Errorf("reading headline indicators of %s: %w", period, err)
	}
	defer rows.Close()
	byCode := map[string]Headline{}
	counted := map[string]bool{}
	for rows.Next() {
		var h Headline
		var complete, stale uint8
		var denominator float64
		if err := rows.Scan(&h.Code, &h.Unit, &h.Value, &h.Target, &complete, &stale, &denominator); err != nil {
			return nil, fmt.Errorf("reading headline indicators of %s: %w", period, err)
		}
		h.Complete, h.Stale = complete == 1, stale == 1
		byCode[h.Code], counted[h.Code] = h, denominator != 0
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading headline indicators of %s: %w", period, err)
	}
	var out []Headline
	for _, t := range headlineTitles {
		if h, ok := byCode[t.code]; ok && (!t.optional || counted[t.code]) {
			h.Title = t.title
			out = append(out, h)
		}
	}
	return out, nil
}
