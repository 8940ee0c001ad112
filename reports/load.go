package reports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/shopspring/decimal"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// ErrNotPublished is returned when the report's last month has no published
// indicators.
var ErrNotPublished = errors.New("统计期尚未发布 (no published indicators)")

// Province and group region codes of the indicator table.
const (
	provinceCode   = "360000"
	groupKey       = "KEY_COUNTIES"
	groupRelocated = "RELOCATED"
	groupMonitored = "MONITORED"
	levelProvince  = "province"
	levelCity      = "city"
	levelCounty    = "county"
	levelGroup     = "group"
	codeRatio      = "INCOME_RATIO_TO_RURAL"
	codePerCapita  = "PER_CAPITA_NET_INCOME"
	codeShare10K   = "SHARE_ABOVE_10K"
	codeEmployed   = "EMPLOYED_PERSONS"
	codeSales      = "HELP_SALES"
	codeVocational = "VOCATIONAL_NEW_ENROLLMENT"
	codePlacement  = "YULU_GRADUATE_PLACEMENT"
	codeZeroEmploy = "ZERO_EMPLOYMENT_HOUSEHOLDS"
	codeGrowth     = "PER_CAPITA_INCOME_GROWTH"
	bottomShare    = 0.2 // the bottom fifth of a ranking is marked 后进
	monthsInAYear  = 12
)

// planTargets are the plan's six headline targets, in the order shown.
var planTargets = []string{codeEmployed, codeSales, codeVocational, codeRatio, codeShare10K, codePlacement}

// cumulative indicators are judged against the linear path through the year.
var cumulative = map[string]bool{codeEmployed: true, codeSales: true, codeVocational: true}

// indicatorRow is one row of the indicator table.
type indicatorRow struct {
	period                    values.Month
	code, level, region, name string
	unit                      string
	value                     float64
	target                    *float64
	complete                  bool
	numerator, denominator    float64
	runID                     string
}

// loader reads one report's data; q runs queries.
type loader struct {
	conn driver.Conn
	r    *Report
	// ind[period][level/region][code]
	ind      map[values.Month]map[string]map[string]indicatorRow
	counties map[string]county
	// rulesOf lists the rules that fired for each household in the period.
	rulesOf map[string][]string
}

type county struct {
	name, cityCode, cityName string
	key                      bool
}

// countyLocal ends a query whose IN-subquery reads another county-sharded
// table (person_month, household_year, discrepancy). On a cluster those
// tables are Distributed, and ClickHouse refuses such a subquery unless
// distributed_product_mode says how to run it (18.16 and current answer
// "Double-distributed IN/JOIN subqueries is denied"). 'local' runs the
// subquery on each shard against its own _local table: complete, because a
// county's households, persons and findings are all on one shard
// (docs/scale-out.md), and nothing crosses the network. On a single node the
// setting changes nothing. A SETTINGS clause, not the user's profile, so that
// an analyst profile without it still gets the reports' figures. The
// subqueries name their table with an alias (discrepancy AS finding):
// current releases running the old analyzer (enable_analyzer = 0) refuse
// 'local' on a Distributed table without one.
const countyLocal = "\nSETTINGS distributed_product_mode = 'local'"

func dateOf(m values.Month) string { return "toDate('" + m.String() + "-01')" }

func monthList(ms []values.Month) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = dateOf(m)
	}
	return strings.Join(s, ", ")
}

// load reads the report of kind ending in period from the warehouse.
func load(ctx context.Context, conn driver.Conn, kind Kind, period values.Month) (*Report, error) {
	r := &Report{Kind: kind, Period: period, First: period}
	span := 1
	if kind == Quarterly {
		span = 3
		r.First = period.Add(-2)
		r.Label = fmt.Sprintf("%d年第%d季度", period.Year(), (period.Number()+2)/3)
		r.Title = "脱贫人口和防止返贫监测对象增收监测季报"
	} else {
		r.Label = fmt.Sprintf("%d年%d月", period.Year(), period.Number())
		r.Title = "脱贫人口和防止返贫监测对象增收监测月报"
	}
	r.Prev, r.PrevYear = period.Add(-span), period.Add(-monthsInAYear)
	l := &loader{conn: conn, r: r}
	steps := []func(context.Context) error{
		l.loadCounties, l.loadIndicators, l.buildTargets, l.buildRanking,
		l.loadStructure, l.buildGrowth, l.loadFindings, l.loadLedger, l.loadActions, l.loadCompleteness, l.loadQuarter,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	r.Summary = summarize(r)
	return r, nil
}

func (l *loader) periodLabel(m values.Month) string {
	if l.r.Kind == Quarterly {
		return fmt.Sprintf("%d年第%d季度", m.Year(), (m.Number()+2)/3)
	}
	return fmt.Sprintf("%d年%d月", m.Year(), m.Number())
}

func (l *loader) loadCounties(ctx context.Context) error {
	rows, err := l.conn.Query(ctx, `SELECT county_code, county_name, city_code, city_name, is_key_county FROM dim_county`)
	if err != nil {
		return fmt.Errorf("reading dim_county: %w", err)
	}
	defer rows.Close()
	l.counties = map[string]county{}
	for rows.Next() {
		var code string
		var c county
		var key uint8
		if err := rows.Scan(&code, &c.name, &c.cityCode, &c.cityName, &key); err != nil {
			return fmt.Errorf("reading dim_county: %w", err)
		}
		c.key = key == 1
		l.counties[code] = c
	}
	return rows.Err()
}

// loadIndicators reads the province and group rows of every month of the
// year up to the period and of the comparison periods, and the city and
// county rows of the period and the previous period.
func (l *loader) loadIndicators(ctx context.Context) error {
	r := l.r
	var months []values.Month
	for m := values.NewMonth(r.Period.Year(), 1); m <= r.Period; m++ {
		months = append(months, m)
	}
	all := append(append([]values.Month{}, months...), r.Prev, r.PrevYear)
	q := fmt.Sprintf(`SELECT period, indicator_code, region_level, region_code, region_name, unit, value, target, complete,
numerator, denominator, run_id FROM indicator
WHERE (period IN (%s) AND region_level IN ('province', 'group'))
   OR (period IN (%s) AND region_level IN ('city', 'county'))`,
		monthList(all), monthList([]values.Month{r.Period, r.Prev}))
	rows, err := l.conn.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("reading indicators of %s: %w", r.Period, err)
	}
	defer rows.Close()
	l.ind = map[values.Month]map[string]map[string]indicatorRow{}
	runs := map[values.Month]string{}
	for rows.Next() {
		var x indicatorRow
		var p time.Time
		var complete uint8
		if err := rows.Scan(&p, &x.code, &x.level, &x.region, &x.name, &x.unit, &x.value, &x.target, &complete,
			&x.numerator, &x.denominator, &x.runID); err != nil {
			return fmt.Errorf("reading indicators of %s: %w", r.Period, err)
		}
		x.period, x.complete = values.MonthOf(p), complete == 1
		byRegion := l.ind[x.period]
		if byRegion == nil {
			byRegion = map[string]map[string]indicatorRow{}
			l.ind[x.period] = byRegion
		}
		key := x.level + "/" + x.region
		if byRegion[key] == nil {
			byRegion[key] = map[string]indicatorRow{}
		}
		byRegion[key][x.code] = x
		runs[x.period] = x.runID
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading indicators of %s: %w", r.Period, err)
	}
	if l.ind[r.Period] == nil {
		return fmt.Errorf("building the report of %s: %w", r.Period, ErrNotPublished)
	}
	for _, m := range months {
		if l.ind[m] == nil {
			r.Completeness.Unpublished = append(r.Completeness.Unpublished, m)
			continue
		}
		r.Months = append(r.Months, m)
		r.SourceRuns = append(r.SourceRuns, runs[m])
	}
	if l.ind[r.Prev] != nil {
		r.HasPrev, r.PrevLabel = true, l.periodLabel(r.Prev)
	}
	if l.ind[r.PrevYear] != nil {
		r.HasPrevYear, r.PrevYearLabel = true, l.periodLabel(r.PrevYear)
	}
	return nil
}

// get returns an indicator row of a period and region.
func (l *loader) get(m values.Month, level, region, code string) (indicatorRow, bool) {
	x, ok := l.ind[m][level+"/"+region][code]
	return x, ok
}

// value returns an indicator value, nil when the row is missing or a
// ratio has nobody to count (denominator 0: a county without 脱贫人口, a
// year without 雨露计划 graduates yet).
func (l *loader) value(m values.Month, level, region, code string) *float64 {
	if x, ok := l.get(m, level, region, code); ok {
		return x.valueOrNil()
	}
	return nil
}

func (x indicatorRow) valueOrNil() *float64 {
	if x.denominator == 0 {
		return nil
	}
	v := x.value
	return &v
}

func (l *loader) buildTargets(context.Context) error {
	r := l.r
	seen := map[string]bool{}
	var codes []string
	for _, c := range planTargets {
		codes, seen[c] = append(codes, c), true
	}
	for _, h := range headlineTitles {
		if !seen[h.code] {
			codes = append(codes, h.code)
		}
	}
	r.Trend = map[string][]*float64{}
	months := float64(r.Period.Number())
	for _, code := range codes {
		x, ok := l.get(r.Period, levelProvince, provinceCode, code)
		if !ok || (optionalHeadline(code) && x.denominator == 0) {
			continue // an optional department's rate counts nobody: not delivered
		}
		t := TargetRow{Code: code, Title: headlineTitle(code), Unit: x.unit, Value: x.value, Target: x.target,
			Complete: x.complete, Cumulative: cumulative[code], NoBase: x.denominator == 0,
			Prev: l.value(r.Prev, levelProvince, provinceCode, code), PrevYear: l.value(r.PrevYear, levelProvince, provinceCode, code)}
		if t.Target != nil && !t.NoBase {
			tg := *t.Target
			if tg != 0 {
				p := t.Value / tg
				t.Progress = &p
			}
			if t.Cumulative {
				lin := tg * months / monthsInAYear
				gap := t.Value - lin
				t.Linear, t.Gap = &lin, &gap
				t.Lagging = gap < 0
			} else {
				gap := t.Value - tg
				t.Gap = &gap
				if code == codeZeroEmploy {
					t.Lagging = t.Value > tg
				} else {
					t.Lagging = gap < 0
				}
			}
		}
		if !t.Complete {
			r.Completeness.Incomplete = append(r.Completeness.Incomplete, t.Title)
		}
		r.Targets = append(r.Targets, t)
		series := make([]*float64, len(r.Months))
		for i, m := range r.Months {
			series[i] = l.value(m, levelProvince, provinceCode, code)
		}
		r.Trend[code] = series
	}
	return nil
}

func headlineTitle(code string) string {
	for _, h := range headlineTitles {
		if h.code == code {
			return h.title
		}
	}
	return code
}

// buildRanking ranks the cities and counties by the income ratio (then the
// share above ¥10 000); regions below the ratio target are 未达标, the
// bottom fifth 后进.
func (l *loader) buildRanking(context.Context) error {
	r := l.r
	r.Cities = l.rank(r.Period, levelCity)
	r.Counties = l.rank(r.Period, levelCounty)
	if r.HasPrev {
		prevRank := map[string]int{}
		for _, x := range l.rank(r.Prev, levelCity) {
			prevRank["c"+x.Code] = x.Rank
		}
		for _, x := range l.rank(r.Prev, levelCounty) {
			prevRank["x"+x.Code] = x.Rank
		}
		for i := range r.Cities {
			r.Cities[i].PrevRank = prevRank["c"+r.Cities[i].Code]
		}
		for i := range r.Counties {
			r.Counties[i].PrevRank = prevRank["x"+r.Counties[i].Code]
		}
	}
	return nil
}

func (l *loader) rank(m values.Month, level string) []RankRow {
	var out []RankRow
	for key, codes := range l.ind[m] {
		lv, region, _ := strings.Cut(key, "/")
		if lv != level {
			continue
		}
		row := RankRow{Code: region}
		if x, ok := codes[codeRatio]; ok {
			row.IncomeRatio, row.Target, row.Name = x.valueOrNil(), x.target, x.name
		}
		for code, x := range codes {
			row.Name = x.name
			v := x.value
			switch code {
			case codePerCapita:
				row.PerCapita = x.valueOrNil()
			case codeShare10K:
				row.ShareAbove = x.valueOrNil()
			case codeEmployed:
				row.Employed = v
			case codeZeroEmploy:
				row.ZeroEmployed = v
			case codeSales:
				row.Sales = v
			}
		}
		if level == levelCounty {
			c := l.counties[region]
			row.CityName, row.KeyCounty = c.cityName, c.key
		}
		out = append(out, row)
	}
	val := func(p *float64) float64 {
		if p == nil || math.IsNaN(*p) {
			return math.Inf(-1)
		}
		return *p
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if val(a.IncomeRatio) != val(b.IncomeRatio) {
			return val(a.IncomeRatio) > val(b.IncomeRatio)
		}
		if val(a.ShareAbove) != val(b.ShareAbove) {
			return val(a.ShareAbove) > val(b.ShareAbove)
		}
		return a.Code < b.Code
	})
	bottom := len(out) - int(math.Ceil(float64(len(out))*bottomShare))
	for i := range out {
		out[i].Rank = i + 1
		x := out[i]
		out[i].BelowTarget = x.IncomeRatio != nil && x.Target != nil && *x.IncomeRatio < *x.Target
		out[i].Bottom = i >= bottom && x.IncomeRatio != nil
	}
	return out
}

// structureSums are the year-to-date sums of one population.
type structureSums struct {
	households, persons                     uint64
	wage, business, property, transfer, net decimal.Decimal
}

func (s *structureSums) add(o structureSums) {
	s.households += o.households
	s.persons += o.persons
	s.wage = s.wage.Add(o.wage)
	s.business = s.business.Add(o.business)
	s.property = s.property.Add(o.property)
	s.transfer = s.transfer.Add(o.transfer)
	s.net = s.net.Add(o.net)
}

func (s structureSums) row(group, name string, months uint8) StructureRow {
	row := StructureRow{Group: group, Name: name, Households: s.households, Persons: s.persons}
	if s.persons == 0 || months == 0 {
		return row
	}
	per := func(d decimal.Decimal) decimal.Decimal {
		return d.Mul(decimal.NewFromInt(monthsInAYear)).Div(decimal.NewFromInt(int64(s.persons) * int64(months))).Round(2)
	}
	row.Wage, row.Business, row.Property, row.Transfer, row.Net = per(s.wage), per(s.business), per(s.property), per(s.transfer), per(s.net)
	return row
}

// loadStructure sums household_year of the period by county and population
// and forms the structure of the province's 脱贫人口, the key counties', the
// relocated, the monitored, each city's and each key county's.
func (l *loader) loadStructure(ctx context.Context) error {
	r := l.r
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT county_code, is_poverty_alleviated, is_monitored, is_relocated, max(months_elapsed),
count(), sum(household_size), sum(wage_income), sum(business_net), sum(property_income), sum(transfer_income), sum(net_income)
FROM household_year WHERE period = %s
GROUP BY county_code, is_poverty_alleviated, is_monitored, is_relocated`, dateOf(r.Period)))
	if err != nil {
		return fmt.Errorf("reading income structure of %s: %w", r.Period, err)
	}
	defer rows.Close()
	var province, key, relocated, monitored structureSums
	cities, counties := map[string]*structureSums{}, map[string]*structureSums{}
	var months uint8
	for rows.Next() {
		var code string
		var pa, mon, rel, m uint8
		var s structureSums
		if err := rows.Scan(&code, &pa, &mon, &rel, &m, &s.households, &s.persons, &s.wage, &s.business, &s.property, &s.transfer, &s.net); err != nil {
			return fmt.Errorf("reading income structure of %s: %w", r.Period, err)
		}
		months = max(months, m)
		if mon == 1 {
			monitored.add(s)
		}
		if pa != 1 {
			continue
		}
		province.add(s)
		c := l.counties[code]
		if rel == 1 {
			relocated.add(s)
		}
		if c.key {
			key.add(s)
			if counties[code] == nil {
				counties[code] = &structureSums{}
			}
			counties[code].add(s)
		}
		if cities[c.cityCode] == nil {
			cities[c.cityCode] = &structureSums{}
		}
		cities[c.cityCode].add(s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading income structure of %s: %w", r.Period, err)
	}
	r.Structure = append(r.Structure,
		province.row(levelProvince, "全省脱贫人口", months),
		key.row(groupKey, "重点帮扶县脱贫人口", months),
		relocated.row(groupRelocated, "易地搬迁脱贫人口", months),
		monitored.row(groupMonitored, "防止返贫监测对象", months))
	cityNames := map[string]string{}
	for _, c := range l.counties {
		cityNames[c.cityCode] = c.cityName
	}
	for _, code := range sortedKeys(cities) {
		r.Structure = append(r.Structure, cities[code].row(levelCity, cityNames[code], months))
	}
	for _, code := range sortedKeys(counties) {
		r.Structure = append(r.Structure, counties[code].row(levelCounty, l.counties[code].name+"（重点帮扶县）", months))
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (l *loader) buildGrowth(context.Context) error {
	r := l.r
	prov := l.value(r.Period, levelProvince, provinceCode, codeGrowth)
	if prov == nil {
		return nil
	}
	r.Growth = append(r.Growth, GrowthRow{Code: provinceCode, Name: "全省脱贫人口", Growth: *prov})
	for _, g := range []struct{ code, rule string }{{groupKey, "增速高于全省"}, {groupRelocated, "增速不低于全省"}} {
		x, ok := l.get(r.Period, levelGroup, g.code, codeGrowth)
		if !ok {
			continue
		}
		meets := x.value >= *prov
		if g.code == groupKey {
			meets = x.value > *prov
		}
		r.Growth = append(r.Growth, GrowthRow{Code: g.code, Name: x.name, Growth: x.value, Province: prov, Meets: &meets, Rule: g.rule})
	}
	return nil
}

// loadFindings counts the findings of the period and the comparison
// periods by rule and county.
func (l *loader) loadFindings(ctx context.Context) error {
	r := l.r
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT period, rule_code, severity, county_code, count() FROM discrepancy
WHERE period IN (%s) GROUP BY period, rule_code, severity, county_code`, monthList([]values.Month{r.Period, r.Prev, r.PrevYear})))
	if err != nil {
		return fmt.Errorf("counting findings of %s: %w", r.Period, err)
	}
	defer rows.Close()
	rules := map[string]*RuleCount{}
	cities := map[string]*CityCount{}
	highs := map[string]uint64{}
	for rows.Next() {
		var p time.Time
		var rule, sev, code string
		var n uint64
		if err := rows.Scan(&p, &rule, &sev, &code, &n); err != nil {
			return fmt.Errorf("counting findings of %s: %w", r.Period, err)
		}
		rc := rules[rule]
		if rc == nil {
			rc = &RuleCount{Code: rule, Name: RuleName(rule), Severity: sev}
			rules[rule] = rc
		}
		c := l.counties[code]
		cc := cities[c.cityCode]
		if cc == nil {
			cc = &CityCount{Code: c.cityCode, Name: c.cityName}
			cities[c.cityCode] = cc
		}
		switch values.MonthOf(p) {
		case r.Period:
			rc.Count += n
			if sev == severityHigh {
				highs[code] += n
			}
			switch sev {
			case severityHigh:
				cc.High += n
			case severityMedium:
				cc.Medium += n
			default:
				cc.Low += n
			}
		case r.Prev:
			rc.Prev += n
			cc.Prev += n
		case r.PrevYear:
			rc.PrevYear += n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("counting findings of %s: %w", r.Period, err)
	}
	for _, rc := range rules {
		r.Rules = append(r.Rules, *rc)
	}
	rank := map[string]int{severityHigh: 0, severityMedium: 1, severityLow: 2}
	sort.Slice(r.Rules, func(i, j int) bool {
		a, b := r.Rules[i], r.Rules[j]
		if rank[a.Severity] != rank[b.Severity] {
			return rank[a.Severity] < rank[b.Severity]
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Code < b.Code
	})
	for _, code := range sortedKeys(cities) {
		r.CityFindings = append(r.CityFindings, *cities[code])
	}
	for i := range r.Counties {
		r.Counties[i].HighFindings = highs[r.Counties[i].Code]
	}
	cityHigh := map[string]uint64{}
	for code, n := range highs {
		cityHigh[l.counties[code].cityCode] += n
	}
	for i := range r.Cities {
		r.Cities[i].HighFindings = cityHigh[r.Cities[i].Code]
	}
	return nil
}

// people reads the masked identity of persons and household heads of the
// period: persons by person_key, households by their 户主 row (the first
// member by person_key when the household has none). The keys are given as
// IN-subqueries so that nothing is joined in ClickHouse; on a cluster each
// shard answers them from its own counties (countyLocal).
func (l *loader) people(ctx context.Context, personSub, householdSub string) (map[string]Person, map[string]Person, error) {
	p := dateOf(l.r.Period)
	persons, households := map[string]Person{}, map[string]Person{}
	if personSub != "" {
		rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT person_key, any(village_code), any(id_masked), any(name_masked)
FROM person_month WHERE period = %s AND person_key IN (%s) GROUP BY person_key`+countyLocal, p, personSub))
		if err != nil {
			return nil, nil, fmt.Errorf("reading masked persons of %s: %w", l.r.Period, err)
		}
		for rows.Next() {
			var k string
			var x Person
			if err := rows.Scan(&k, &x.Village, &x.IDMasked, &x.NameMasked); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("reading masked persons of %s: %w", l.r.Period, err)
			}
			persons[k] = x
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("reading masked persons of %s: %w", l.r.Period, err)
		}
	}
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT household_key,
argMin(village_code, concat(if(relation = '%[3]s', '0', '1'), person_key)),
argMin(id_masked, concat(if(relation = '%[3]s', '0', '1'), person_key)),
argMin(name_masked, concat(if(relation = '%[3]s', '0', '1'), person_key))
FROM person_month WHERE period = %[1]s AND household_key IN (%[2]s) GROUP BY household_key`+countyLocal, p, householdSub, householdHeadRelation))
	if err != nil {
		return nil, nil, fmt.Errorf("reading masked household heads of %s: %w", l.r.Period, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var x Person
		if err := rows.Scan(&k, &x.Village, &x.IDMasked, &x.NameMasked); err != nil {
			return nil, nil, fmt.Errorf("reading masked household heads of %s: %w", l.r.Period, err)
		}
		households[k] = x
	}
	return persons, households, rows.Err()
}

// loadLedger reads every finding of the period with the masked identity of
// its person (person-level rules) or household head.
func (l *loader) loadLedger(ctx context.Context) error {
	r := l.r
	p := dateOf(r.Period)
	persons, households, err := l.people(ctx,
		fmt.Sprintf("SELECT person_key FROM discrepancy AS finding WHERE period = %s AND person_key != ''", p),
		fmt.Sprintf("SELECT household_key FROM discrepancy AS finding WHERE period = %s", p))
	if err != nil {
		return err
	}
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT county_code, household_key, person_key, rule_code, severity, detail
FROM discrepancy WHERE period = %s ORDER BY county_code, rule_code, household_key, person_key, detail`, p))
	if err != nil {
		return fmt.Errorf("reading findings of %s: %w", r.Period, err)
	}
	defer rows.Close()
	for rows.Next() {
		var x LedgerRow
		var hh, pk string
		if err := rows.Scan(&x.CountyCode, &hh, &pk, &x.Rule, &x.Severity, &x.Detail); err != nil {
			return fmt.Errorf("reading findings of %s: %w", r.Period, err)
		}
		c := l.counties[x.CountyCode]
		x.County, x.CityName, x.RuleName = c.name, c.cityName, RuleName(x.Rule)
		if who, ok := persons[pk]; ok && pk != "" {
			x.Person = who
		} else {
			x.Person = households[hh]
		}
		r.Ledger = append(r.Ledger, x)
		l.householdRules(hh, x.Rule)
	}
	return rows.Err()
}

// householdRules collects the rules that fired for each household.
func (l *loader) householdRules(hh, rule string) {
	if l.rulesOf == nil {
		l.rulesOf = map[string][]string{}
	}
	for _, have := range l.rulesOf[hh] {
		if have == rule {
			return
		}
	}
	l.rulesOf[hh] = append(l.rulesOf[hh], rule)
}

// loadActions reads the households below ¥10 000, below the monitoring
// line or without employment (一户一策).
func (l *loader) loadActions(ctx context.Context) error {
	r := l.r
	p := dateOf(r.Period)
	cond := fmt.Sprintf(`period = %[1]s AND (below_10k_target = 1 OR below_monitoring_line = 1
  OR household_key IN (SELECT household_key FROM discrepancy AS finding WHERE period = %[1]s AND rule_code = '%[2]s'))`, p, ruleZeroEmployment)
	sub := "SELECT household_key FROM household_year AS action WHERE " + cond
	_, heads, err := l.people(ctx, "", sub)
	if err != nil {
		return err
	}
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT household_key, county_code, household_type, household_size,
per_capita_net_income_annualized, wage_income, business_net, property_income, transfer_income, below_10k_target, below_monitoring_line
FROM household_year WHERE %s
ORDER BY county_code, per_capita_net_income_annualized, household_key`+countyLocal, cond))
	if err != nil {
		return fmt.Errorf("reading households for action of %s: %w", r.Period, err)
	}
	defer rows.Close()
	for rows.Next() {
		var x ActionRow
		var hh string
		var b10, bl uint8
		if err := rows.Scan(&hh, &x.CountyCode, &x.HouseholdType, &x.HouseholdSize, &x.PerCapita, &x.Wage, &x.Business,
			&x.Property, &x.Transfer, &b10, &bl); err != nil {
			return fmt.Errorf("reading households for action of %s: %w", r.Period, err)
		}
		x.County, x.Person = l.counties[x.CountyCode].name, heads[hh]
		x.Below10K, x.BelowLine = b10 == 1, bl == 1
		if x.BelowLine {
			x.Rules = append(x.Rules, ReasonBelowLine)
		}
		if x.Below10K {
			x.Rules = append(x.Rules, ReasonBelow10K)
		}
		for _, rule := range l.rulesOf[hh] {
			if rule == ruleZeroEmployment {
				x.ZeroEmployment = true
			}
			x.Rules = append(x.Rules, rule)
		}
		for _, code := range x.Rules {
			if m := Measure(code); m != "" {
				x.Measures = append(x.Measures, m)
			}
		}
		r.Actions = append(r.Actions, x)
	}
	return rows.Err()
}

// loadCompleteness reads the missing sources of each published month of
// the year (from the runs that published them) and the quarantined rows of
// the report's months.
func (l *loader) loadCompleteness(ctx context.Context) error {
	r := l.r
	c := &r.Completeness
	if len(r.SourceRuns) > 0 {
		quoted := make([]string, len(r.SourceRuns))
		for i, id := range r.SourceRuns {
			quoted[i] = "'" + strings.ReplaceAll(id, "'", "") + "'"
		}
		rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT period, missing_sources, rows_in FROM etl_run FINAL
WHERE run_id IN (%s) ORDER BY period`, strings.Join(quoted, ", ")))
		if err != nil {
			return fmt.Errorf("reading runs of %s: %w", r.Period, err)
		}
		defer rows.Close()
		var months []MissingMonth
		everDelivered := map[string]bool{}
		for rows.Next() {
			var p time.Time
			var missing []string
			var in []uint64
			if err := rows.Scan(&p, &missing, &in); err != nil {
				return fmt.Errorf("reading runs of %s: %w", r.Period, err)
			}
			m := values.MonthOf(p)
			months = append(months, MissingMonth{Month: m, Sources: missing})
			for _, d := range schemas.Departments {
				if d.Optional && !slices.Contains(missing, d.Name) {
					everDelivered[d.Name] = true
				}
			}
			if m >= r.First {
				for _, n := range in {
					c.RowsIn += n
				}
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading runs of %s: %w", r.Period, err)
		}
		// An optional department (housing, water, collective) that no month
		// of the year delivered is not received here at all: not a gap.
		for _, mm := range months {
			mm.Sources = slices.DeleteFunc(mm.Sources, func(s string) bool {
				d, err := schemas.DepartmentByName(s)
				return err == nil && d.Optional && !everDelivered[s]
			})
			if len(mm.Sources) > 0 {
				c.Missing = append(c.Missing, mm)
			}
		}
	}
	rows, err := l.conn.Query(ctx, fmt.Sprintf(`SELECT source, reason_code, count() AS n FROM quarantine
WHERE period >= %s AND period <= %s GROUP BY source, reason_code ORDER BY n DESC, source, reason_code`, dateOf(r.First), dateOf(r.Period)))
	if err != nil {
		return fmt.Errorf("counting quarantined rows of %s: %w", r.Period, err)
	}
	defer rows.Close()
	for rows.Next() {
		var q QuarantineCount
		if err := rows.Scan(&q.Source, &q.Reason, &q.Count); err != nil {
			return fmt.Errorf("counting quarantined rows of %s: %w", r.Period, err)
		}
		c.Quarantine = append(c.Quarantine, q)
	}
	return rows.Err()
}

// loadQuarter breaks a quarterly report's three months down: each month's
// own sales (difference of the year-to-date HELP_SALES), employment to
// date, findings, quarantined rows and missing sources.
func (l *loader) loadQuarter(ctx context.Context) error {
	r := l.r
	if r.Kind != Quarterly {
		return nil
	}
	byMonth := map[values.Month]*QuarterMonth{}
	for m := r.First; m <= r.Period; m++ {
		q := &QuarterMonth{Month: m, Published: l.ind[m] != nil}
		if q.Published {
			sales := func(m values.Month) float64 {
				if x, ok := l.get(m, levelProvince, provinceCode, codeSales); ok {
					return x.value
				}
				return 0
			}
			q.Sales = sales(m)
			if m.Number() > 1 {
				q.Sales -= sales(m.Add(-1))
			}
			if x, ok := l.get(m, levelProvince, provinceCode, codeEmployed); ok {
				q.Employed = x.value
			}
			if x, ok := l.get(m, levelProvince, provinceCode, codeVocational); ok {
				q.Vocational = x.value
			}
		}
		for _, mm := range r.Completeness.Missing {
			if mm.Month == m {
				q.Missing = mm.Sources
			}
		}
		byMonth[m] = q
	}
	counts := []struct {
		q    string
		what string
		set  func(*QuarterMonth, uint64, uint64)
	}{
		{`SELECT period, count(), countIf(severity = 'high') FROM discrepancy WHERE period >= %s AND period <= %s GROUP BY period`,
			"counting findings", func(q *QuarterMonth, n, high uint64) { q.Findings, q.High = n, high }},
		{`SELECT period, count(), toUInt64(0) FROM quarantine WHERE period >= %s AND period <= %s GROUP BY period`,
			"counting quarantined rows", func(q *QuarterMonth, n, _ uint64) { q.Quarantined = n }},
	}
	for _, c := range counts {
		rows, err := l.conn.Query(ctx, fmt.Sprintf(c.q, dateOf(r.First), dateOf(r.Period)))
		if err != nil {
			return fmt.Errorf("%s of %s: %w", c.what, r.Label, err)
		}
		for rows.Next() {
			var p time.Time
			var n, high uint64
			if err := rows.Scan(&p, &n, &high); err != nil {
				rows.Close()
				return fmt.Errorf("%s of %s: %w", c.what, r.Label, err)
			}
			if q := byMonth[values.MonthOf(p)]; q != nil {
				c.set(q, n, high)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s of %s: %w", c.what, r.Label, err)
		}
	}
	total := QuarterMonth{Month: r.Period, Published: true}
	for m := r.First; m <= r.Period; m++ {
		q := byMonth[m]
		r.Quarter = append(r.Quarter, *q)
		total.Sales += q.Sales
		total.Findings += q.Findings
		total.High += q.High
		total.Quarantined += q.Quarantined
		total.Missing = append(total.Missing, q.Missing...)
		if q.Published {
			total.Employed, total.Vocational = q.Employed, q.Vocational
		}
	}
	r.QuarterTotal = total
	return nil
}
