package synth

// Employment statuses, forms and areas (就业状态, 就业形式, 就业地域), as
// indices into the name lists.
const (
	empMigrant  uint8 = iota // 务工就业
	empFlexible              // 灵活就业
	empNone                  // 未就业
)

const (
	formEnterprise uint8 = iota
	formPublicPost
	formWorkshop
	formWorkRelief
	formSelfEmployed
	formOther
)

const (
	areaCounty uint8 = iota
	areaProvince
	areaOutside
)

var (
	empStatusNames = []string{"务工就业", "灵活就业", "未就业"}
	empFormNames   = []string{"企业务工", "公益性岗位", "帮扶车间", "以工代赈", "自主创业", "其他"}
	empAreaNames   = []string{"县内", "省内县外", "省外"}
)

// Employers by area. Employers inside the county are the county's name
// followed by one of countyEmployers (per form).
var (
	outsideEmployers  = []string{"广东东莞长安电子厂", "浙江义乌小商品制造有限公司", "福建晋江鞋业有限公司", "深圳宝安精密制造有限公司", "上海浦东物流有限公司", "江苏昆山电子科技有限公司", "广州白云服装厂"}
	provinceEmployers = []string{"南昌小蓝经开区汽车零部件有限公司", "赣州经开区新能源科技有限公司", "九江经开区石化配套服务公司", "吉安井开区电子信息有限公司", "新余高新区光伏材料有限公司", "上饶经开区光学仪器有限公司"}
	countyEmployers   = [][]string{
		formEnterprise:   {"工业园纺织有限公司", "工业园电子有限公司", "农业开发有限公司", "建筑工程有限公司"},
		formPublicPost:   {"乡镇护林员岗位", "村级保洁员岗位", "农村公路管护岗位"},
		formWorkshop:     {"乡村振兴帮扶车间"},
		formWorkRelief:   {"以工代赈项目部"},
		formSelfEmployed: {""},
		formOther:        {"零工市场", ""},
	}
)

// employerName returns the employer as a prefix and a tail (the prefix is
// the county name for local employers, empty otherwise).
func (p *person) employerName(countyName string) (string, string) {
	switch p.empArea {
	case areaOutside:
		return "", outsideEmployers[int(p.employer)%len(outsideEmployers)]
	case areaProvince:
		return "", provinceEmployers[int(p.employer)%len(provinceEmployers)]
	}
	tails := countyEmployers[p.empForm]
	tail := tails[int(p.employer)%len(tails)]
	if tail == "" {
		return "", ""
	}
	return countyName, tail
}

// planWork decides who in a household has monthly employment records, from
// when, and in what job. Employment is planned per household, as the
// assistance offices do (至少一人就业): the main earner, the most capable
// working-age member (16-64 with labour), works in 96 % of households
// (88 % of monitored ones, which also have fewer second earners); other
// working-age members with labour in 20-65 % of cases, more in large
// households; in households whose only labour is aged 65 or more, a
// public-welfare post (公益性岗位) goes to one of them in 85 % of cases. A
// few start during the months. Graduates who find work during the
// generated months start then. Outside the roster, the head works.
func (g *countyBuilder) planWork(members []person, monitored, phantom bool) {
	r := g.r
	main, elder := -1, -1
	for i := range members {
		p := &members[i]
		switch age := p.ageAt(g.from); {
		case phantom || !hasLabor(p.labor):
		case age >= 16 && age <= 64:
			if main < 0 || earnerRank(p, g.from) < earnerRank(&members[main], g.from) {
				main = i
			}
		case age > 64 && elder < 0:
			elder = i
		}
	}
	for i := range members {
		p := &members[i]
		age := p.ageAt(g.from)
		start := g.from
		employed, post := false, false
		switch {
		case phantom:
			employed = p.relation == relHead
		case i == main:
			share := 0.96
			if monitored {
				share = 0.88
			}
			employed = r.Float64() < share
		case age >= 16 && age <= 64 && hasLabor(p.labor):
			// The more mouths to feed, the likelier a second earner.
			share := 0.26 + 0.05*float64(len(members))
			if monitored {
				share -= 0.1
			}
			switch p.labor {
			case laborSkilled:
				share += 0.07
			case laborWeak:
				share -= 0.15
			}
			employed = r.Float64() < share
		case i == elder && main < 0:
			employed, post = r.Float64() < 0.85, true
		default:
			if ws, ok := p.graduateWorkStart(); ok && ws > g.from && ws <= g.to {
				employed, start = true, ws
			}
		}
		if !employed {
			continue
		}
		if !phantom && start == g.from && g.to > g.from && r.Float64() < 0.08 {
			start = g.from + 1 + month(r.IntN(int(g.to-g.from)))
		}
		g.planJob(p, start, phantom, post || p.labor == laborWeak || age >= 58)
	}
}

// earnerRank orders the working-age members of a household as main
// earners: skilled labour first, then ordinary, then weak labour, and
// among equals the one nearest to 35.
func earnerRank(p *person, m month) int {
	rank := 0
	switch p.labor {
	case laborNormal:
		rank = 100
	case laborWeak:
		rank = 200
	}
	d := p.ageAt(m) - 35
	return rank + max(d, -d)
}

// planJob sets the job of an employed person from start: its form, area,
// employer and base monthly wage. Weak or older workers mostly hold local
// jobs: public-welfare posts, assistance workshops (帮扶车间), work-relief
// projects; the others work in enterprises in the county, the province or
// outside it, or are self-employed. A few jobs end during the months.
func (g *countyBuilder) planJob(p *person, start month, phantom, local bool) {
	r := g.r
	p.empFrom, p.empTo = start, g.to
	if !phantom && start < g.to && r.Float64() < 0.05 {
		p.empTo = start + month(r.IntN(int(g.to-start)))
	}
	if local {
		p.empStatus = empMigrant
		p.empForm = []uint8{formPublicPost, formWorkshop, formWorkRelief, formEnterprise, formOther}[pick(r, []float64{0.40, 0.25, 0.10, 0.15, 0.10})]
		if p.empForm == formOther {
			p.empStatus = empFlexible
		}
	} else if r.Float64() < 0.78 {
		p.empStatus = empMigrant
		p.empForm = []uint8{formEnterprise, formPublicPost, formWorkshop, formWorkRelief, formOther}[pick(r, []float64{0.80, 0.04, 0.08, 0.04, 0.04})]
	} else {
		p.empStatus = empFlexible
		p.empForm = []uint8{formSelfEmployed, formOther}[pick(r, []float64{0.4, 0.6})]
	}
	p.empArea = areaCounty
	if !local && (p.empForm == formEnterprise || p.empForm == formOther || p.empForm == formSelfEmployed) {
		p.empArea = uint8(pick(r, []float64{0.42, 0.26, 0.32}))
	}
	p.employer = uint8(r.IntN(256))
	var lo, hi int
	switch {
	case p.empArea == areaOutside:
		lo, hi = 3300, 5900
	case p.empArea == areaProvince:
		lo, hi = 2800, 4700
	case p.empForm == formPublicPost:
		lo, hi = 1500, 2000
	case p.empForm == formWorkshop:
		lo, hi = 1800, 2800
	case p.empForm == formSelfEmployed:
		lo, hi = 1900, 4500
	default:
		lo, hi = 1800, 3400
	}
	if p.labor == laborSkilled {
		lo, hi = lo*115/100, hi*115/100
	}
	p.wage = int32(between(r, lo*100, hi*100))
}

// wageGrowthPct is the yearly rise of wages after the first generated year.
const wageGrowthPct = 6

// baseWage is the person's usual monthly wage (fen) in a year: the wage
// planned for the first generated year, raised by wageGrowthPct a year.
func (g *generator) baseWage(p *person, year int) int64 {
	return int64(p.wage) * int64(100+wageGrowthPct*(year-g.from.year())) / 100
}
