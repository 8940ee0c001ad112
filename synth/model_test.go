package synth

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// province is a clean year of a mid-sized province, read back once for the
// realism tests.
type province struct {
	cfg   Config
	files map[string]*extract
}

func newProvince(t *testing.T) *province {
	t.Helper()
	cfg := Clean()
	cfg.Seed, cfg.Households = 11, 2500
	_, dir := generate(t, cfg)
	return &province{cfg: cfg, files: readInbox(t, dir)}
}

// extract returns the file of a source in a period of 2025.
func (p *province) extract(mon int, src string) *extract {
	return p.files[fmt.Sprintf("2025-%02d/%s.csv", mon, src)]
}

// ageOn is the age of the holder of a canonical ID number on a day.
func ageOn(id string, day time.Time) int { return idnum.AgeAt(id, day) }

func amount(t *testing.T, s string) int64 {
	t.Helper()
	v, err := parseAmount(s)
	require.NoError(t, err)
	return v
}

func TestProvinceIsRealistic(t *testing.T) {
	p := newProvince(t)
	jan := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	t.Run("households", func(t *testing.T) {
		roster := p.extract(1, schemas.Roster)
		byHH := map[string][][]string{}
		for _, row := range roster.rows {
			byHH[roster.col(row, "household_no")] = append(byHH[roster.col(row, "household_no")], row)
		}
		counties, err := loadCounties()
		require.NoError(t, err)
		perCounty := map[string]int{}
		monitored, relocated := 0, 0
		for no, rows := range byHH {
			require.Len(t, no, 16)
			require.LessOrEqual(t, len(rows), 7, no)
			village := roster.col(rows[0], "village_code")
			require.Len(t, village, 12)
			require.Equal(t, no[:6], village[:6])
			perCounty[no[:6]]++
			var head []string
			for _, r := range rows {
				if roster.col(r, "relation") == "户主" {
					require.Nil(t, head, "one head in %s", no)
					head = r
				}
			}
			require.NotNil(t, head, no)
			headAge := ageOn(roster.col(head, "id_number"), jan)
			for _, r := range rows {
				a := ageOn(roster.col(r, "id_number"), jan)
				switch roster.col(r, "relation") {
				case "子女":
					require.LessOrEqual(t, a, headAge-16, no)
				case "父母":
					require.GreaterOrEqual(t, a, headAge+16, no)
				case "孙子女":
					require.LessOrEqual(t, a, headAge-32, no)
				}
				if a < 16 {
					require.Equal(t, "无劳动力", roster.col(r, "labor_capacity"))
				}
			}
			typ := roster.col(head, "household_type")
			require.Equal(t, typ == "脱贫户", roster.col(head, "risk_eliminated") == "", "风险是否消除 only for monitoring households")
			if typ != "脱贫户" {
				monitored++
			}
			if yesNo[roster.col(head, "is_relocated")] {
				relocated++
			}
		}
		n := float64(len(byHH))
		require.InDelta(t, 0.09, float64(monitored)/n, 0.03)
		require.InDelta(t, 0.08, float64(relocated)/n, 0.025)
		var key, other, nKey, nOther float64
		for _, c := range counties {
			if c.key {
				key, nKey = key+float64(perCounty[c.code]), nKey+1
			} else {
				other, nOther = other+float64(perCounty[c.code]), nOther+1
			}
		}
		require.Greater(t, key/nKey, 2*other/nOther, "key counties hold more households")
	})

	t.Run("roster is stable", func(t *testing.T) {
		jan, dec := map[string]bool{}, map[string]bool{}
		for _, row := range p.extract(1, schemas.Roster).rows {
			jan[row[0]] = true
		}
		for _, row := range p.extract(12, schemas.Roster).rows {
			dec[row[0]] = true
		}
		kept := 0
		for id := range jan {
			if dec[id] {
				kept++
			}
		}
		require.Greater(t, float64(kept)/float64(len(jan)), 0.95)
		require.GreaterOrEqual(t, len(dec), kept)
	})

	t.Run("employment", func(t *testing.T) {
		roster := p.extract(5, schemas.Roster)
		labour := map[string]bool{}
		household := map[string]string{}
		labourHH := map[string]bool{}
		for _, r := range roster.rows {
			a := ageOn(r[0], jan)
			canWork := slices.Contains([]string{"普通劳动力", "技能劳动力", "弱劳动力或半劳动力"}, roster.col(r, "labor_capacity"))
			if a >= 16 && a <= 64 && canWork {
				labour[r[0]] = true
			}
			household[r[0]] = roster.col(r, "household_no")
			if canWork {
				labourHH[roster.col(r, "household_no")] = true
			}
		}
		with := 0
		employedHH := map[string]bool{}
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, schemas.Employment)
			for _, r := range e.rows {
				wage, sub := amount(t, e.col(r, "wage")), e.col(r, "travel_subsidy")
				if e.col(r, "status") == "未就业" {
					require.Zero(t, wage)
				} else {
					require.True(t, wage >= 150000 && wage <= 800000, "wage %d", wage)
				}
				if sub != "" {
					require.Contains(t, []int{2, 3}, mon, "travel subsidy at the Spring Festival")
					require.NotEqual(t, "县内", e.col(r, "area"))
				}
				if mon == 5 && labour[r[0]] {
					with++
				}
				if e.col(r, "status") != "未就业" {
					employedHH[household[r[0]]] = true
				}
			}
		}
		require.InDelta(t, 0.62, float64(with)/float64(len(labour)), 0.07)
		zero := 0
		for no := range labourHH {
			if !employedHH[no] {
				zero++
			}
		}
		require.Less(t, float64(zero)/float64(len(labourHH)), 0.08, "few households with labour and nobody employed")
	})

	t.Run("education", func(t *testing.T) {
		graduated := map[string]string{}
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, schemas.Education)
			for _, r := range e.rows {
				item, amt := e.col(r, "aid_item"), amount(t, e.col(r, "aid_amount"))
				require.Equal(t, item == "", amt == 0, "no item, no amount")
				if item != "" {
					require.Contains(t, []int{3, 4, 9, 10, 11}, mon, "aid in term months")
				}
				if item == "雨露计划" {
					require.Contains(t, []string{"中职", "高职"}, e.col(r, "stage"))
				}
				if e.col(r, "status") == "毕业" {
					grad := e.col(r, "grad_month")
					require.Contains(t, []string{"2025-06", "2025-07"}, grad)
					require.NotEmpty(t, e.col(r, "destination"))
					if prev, ok := graduated[r[0]]; ok {
						require.Equal(t, prev, grad)
					}
					graduated[r[0]] = grad
				}
			}
		}
		require.NotEmpty(t, graduated)
		dec := p.extract(12, schemas.Education)
		still := map[string]bool{}
		for _, r := range dec.rows {
			if dec.col(r, "status") == "毕业" {
				still[r[0]] = true
			}
		}
		require.Greater(t, float64(len(still)), 0.9*float64(len(graduated)), "graduates appear until December")
	})

	t.Run("medical", func(t *testing.T) {
		m := p.extract(7, schemas.Medical)
		seen, insured := map[string]bool{}, 0
		for _, r := range m.rows {
			require.False(t, seen[r[0]], "one row per person")
			seen[r[0]] = true
			if m.col(r, "insurance_status") == "正常参保" {
				insured++
			}
		}
		require.Greater(t, float64(insured)/float64(len(m.rows)), 0.97)
		withCosts, rows := 0, 0
		for mon := 1; mon <= 12; mon++ {
			m := p.extract(mon, schemas.Medical)
			for _, r := range m.rows {
				if amount(t, m.col(r, "total_cost")) > 0 {
					withCosts++
				}
			}
			rows += len(m.rows)
		}
		require.InDelta(t, 0.03, float64(withCosts)/float64(rows), 0.012, "costs for a few persons a month")
	})

	t.Run("deaths stop payments", func(t *testing.T) {
		death := map[string]int{}
		for mon := 1; mon <= 12; mon++ {
			c := p.extract(mon, schemas.Civil)
			for _, r := range c.rows {
				if c.col(r, "aid_type") == "死亡登记" {
					require.Zero(t, amount(t, c.col(r, "amount")))
					require.Equal(t, fmt.Sprintf("2025-%02d", mon), c.col(r, "death_date")[:7])
					death[r[0]] = mon
				}
			}
		}
		require.NotEmpty(t, death)
		paidAfter := map[string]bool{}
		for mon := 1; mon <= 12; mon++ {
			for _, src := range []string{schemas.Civil, schemas.Employment, schemas.Education, schemas.Medical, schemas.Pension} {
				for _, r := range p.extract(mon, src).rows {
					if d, ok := death[r[0]]; ok && mon > d {
						require.Equal(t, schemas.Pension, src, "only deliberate pension cases after death")
						paidAfter[r[0]] = true
					}
				}
			}
		}
		require.LessOrEqual(t, len(paidAfter), max(2, len(death)/50))
	})

	t.Run("pension", func(t *testing.T) {
		e := p.extract(3, schemas.Pension)
		for _, r := range e.rows {
			require.GreaterOrEqual(t, ageOn(r[0], time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)), 60)
			a := amount(t, e.col(r, "amount"))
			require.True(t, a >= 15000 && a <= 30000, "pension %d", a)
		}
	})

	t.Run("household income accumulates", func(t *testing.T) {
		prev := map[string][]int64{}
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, schemas.HouseholdIncome)
			seen := map[string]bool{}
			for _, r := range e.rows {
				no := r[0]
				require.False(t, seen[no], "one row per household")
				seen[no] = true
				require.Equal(t, "2025", e.col(r, "year"))
				v := make([]int64, 5)
				for j := range v {
					v[j] = amount(t, r[2+j])
				}
				for j := range v {
					if prev[no] != nil {
						require.GreaterOrEqual(t, v[j], prev[no][j], "%s column %d in month %d", no, j, mon)
					}
				}
				prev[no] = v
			}
		}
	})

	t.Run("sales scale with households", func(t *testing.T) {
		var total int64
		for mon := 1; mon <= 12; mon++ {
			e := p.extract(mon, schemas.Sales)
			for _, r := range e.rows {
				total += amount(t, e.col(r, "amount"))
			}
		}
		want := float64(p.cfg.Households) * 14.5e9 / 1.5e6 * 100
		require.InEpsilon(t, want, float64(total), 0.05, "yuan %s", strconv.FormatInt(total/100, 10))
	})
}
