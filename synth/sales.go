package synth

import "math/rand/v2"

// salesFenPerHousehold is the yearly sales of assistance products per roster
// household: 1 500 000 households ≈ ¥14.5 billion a year (the 2025 level
// against the 14 billion target).
const salesFenPerHousehold = 14.5e9 / 1.5e6 * 100

// salesMonthPct is each month's share (in %) of the year's sales, heavy at
// the year end when budget units complete their procurement quotas.
var salesMonthPct = [12]float64{6, 6, 7, 7, 8, 8, 8, 8, 9, 10, 11, 12}

// Sales channels and their shares of the total.
var (
	channelNames  = []string{"832平台", "预算单位采购", "社会采购", "展销活动", "电商平台", "其他"}
	channelShares = []float64{0.25, 0.20, 0.25, 0.10, 0.15, 0.05}
)

// Products and sellers.
var (
	products     = []string{"大米", "茶叶", "油茶", "蔬菜", "禽蛋", "生猪", "水产品", "竹笋", "中药材", "食用菌", "蜂蜜", "腊味", "米粉", "柑橘"}
	specialties  = map[string]string{"3607": "脐橙", "361023": "蜜桔", "361030": "白莲", "361129": "大米", "3604": "茶叶", "3608": "井冈蜜柚"}
	sellerTails  = []string{"绿色农业专业合作社", "生态农业开发有限公司", "电商服务中心", "农产品供销有限公司"}
	salesCatHash = uint64(600)
)

// specialty is the county's signature product, if it has one.
func specialty(code string) string {
	if s, ok := specialties[code]; ok {
		return s
	}
	return specialties[code[:4]]
}

// salesRows writes the county's sales of the period: per channel one row
// per seller, more sellers in counties with more households. Amounts scale
// with the county's households.
func (g *generator) salesRows(fw *fileWriter, r, d *rand.Rand, ci int, res *fileResult) error {
	c := &g.counties[ci]
	nHH := int(g.hhRange[ci][1] - g.hhRange[ci][0])
	if nHH == 0 {
		return nil
	}
	m := fw.period
	monthly := float64(nHH) * salesFenPerHousehold * salesMonthPct[m.num()-1] / 100
	sellers := 1 + min(3, nHH/3000)
	for ch, share := range channelShares {
		for s := 0; s < sellers; s++ {
			fen := int64(monthly * share / float64(sellers) * (0.7 + 0.6*r.Float64()))
			category := products[int(hashUnit(uint64(ci), salesCatHash+uint64(ch), uint64(s))*float64(len(products)))]
			if sp := specialty(c.code); sp != "" && s == 0 {
				category = sp
			}
			fw.start(d, -1, true)
			row := &fw.row
			row.month(m)
			row.str(c.code)
			row.str(channelNames[ch])
			row.str(category)
			row.money(fen)
			row.str2(c.name, sellerTails[(s+ch)%len(sellerTails)])
			accepted, _, err := fw.finish(d)
			if err != nil {
				return err
			}
			if accepted {
				res.salesFen[ci] += fen
			}
		}
	}
	return nil
}
