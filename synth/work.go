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

// planWork decides who of the working-age labour has monthly employment
// records (about 45 %), from when, and in what job. Graduates who find work
// during the generated months start then.
func (g *countyBuilder) planWork(p *person, phantom bool) {
	r := g.r
	age := p.ageAt(g.from)
	start := g.from
	employed := false
	switch {
	case phantom:
		employed = p.relation == relHead
	case age >= 16 && age <= 64 && hasLabor(p.labor):
		share := 0.52
		switch p.labor {
		case laborSkilled:
			share = 0.64
		case laborWeak:
			share = 0.30
		}
		employed = r.Float64() < share
		if employed && g.to > g.from && r.Float64() < 0.12 {
			start = g.from + 1 + month(r.IntN(int(g.to-g.from)))
		}
	default:
		if ws, ok := p.graduateWorkStart(); ok && ws > g.from && ws <= g.to {
			employed, start = true, ws
		}
	}
	if !employed {
		return
	}
	p.empFrom, p.empTo = start, g.to
	if !phantom && start < g.to && r.Float64() < 0.06 {
		p.empTo = start + month(r.IntN(int(g.to-start)))
	}
	if r.Float64() < 0.75 {
		p.empStatus = empMigrant
		p.empForm = []uint8{formEnterprise, formPublicPost, formWorkshop, formWorkRelief, formOther}[pick(r, []float64{0.70, 0.12, 0.10, 0.05, 0.03})]
	} else {
		p.empStatus = empFlexible
		p.empForm = []uint8{formSelfEmployed, formOther}[pick(r, []float64{0.4, 0.6})]
	}
	p.empArea = areaCounty
	if p.empForm == formEnterprise || p.empForm == formOther || p.empForm == formSelfEmployed {
		p.empArea = uint8(pick(r, []float64{0.40, 0.25, 0.35}))
	}
	p.employer = uint8(r.IntN(256))
	var lo, hi int
	switch {
	case p.empArea == areaOutside:
		lo, hi = 4500, 8000
	case p.empArea == areaProvince:
		lo, hi = 3500, 6500
	case p.empForm == formPublicPost:
		lo, hi = 1500, 2000
	case p.empForm == formWorkshop:
		lo, hi = 1800, 3000
	case p.empForm == formSelfEmployed:
		lo, hi = 2000, 6000
	default:
		lo, hi = 1800, 4500
	}
	p.wage = int32(between(r, lo*100, hi*100))
}
