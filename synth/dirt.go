package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// dirtKind is the one kind of dirt a row carries, if any.
type dirtKind uint8

const (
	dirtNone dirtKind = iota
	dirtIDForm
	dirtIDInvalid
	dirtAmount
	dirtMonth
	dirtPeriod
	dirtMedical
	dirtDuplicate
	dirtRegion
	dirtUnmatched
	dirtRagged
)

// Quarantine reason codes (warehouse.md) the generated dirt must produce.
const (
	ReasonIDInvalid          = "ID_INVALID"
	ReasonDuplicateID        = "DUPLICATE_ID"
	ReasonPeriodMismatch     = "PERIOD_MISMATCH"
	ReasonAmountInconsistent = "AMOUNT_INCONSISTENT"
	ReasonUnknownRegion      = "UNKNOWN_REGION"
	ReasonFieldCount         = "FIELD_COUNT"
)

// reason is the quarantine reason a dirt kind causes, "" when the row is
// accepted (repairable forms, and unmatched rows which are only counted).
func (k dirtKind) reason() string {
	switch k {
	case dirtIDInvalid:
		return ReasonIDInvalid
	case dirtPeriod:
		return ReasonPeriodMismatch
	case dirtMedical:
		return ReasonAmountInconsistent
	case dirtDuplicate:
		return ReasonDuplicateID
	case dirtRegion:
		return ReasonUnknownRegion
	case dirtRagged:
		return ReasonFieldCount
	}
	return ""
}

// columnRoles locates the columns dirt is applied to in one source.
type columnRoles struct {
	id        int // -1 when the source has no ID number
	money     []int
	months    []int
	dates     []int
	period    int // the row's own month column, -1 when none
	region    int // the county or village code, -1 when none
	outOfPock int // 个人自付 in medical, -1 elsewhere
	name      int // 姓名 in the roster, -1 elsewhere
}

// rolesOf derives the roles from the source's contract.
func rolesOf(src schemas.Source) columnRoles {
	r := columnRoles{id: -1, period: -1, region: -1, outOfPock: -1, name: -1}
	for i, c := range src.Columns {
		switch c.Kind {
		case schemas.IDNumber:
			r.id = i
		case schemas.Money:
			r.money = append(r.money, i)
		case schemas.Month:
			r.months = append(r.months, i)
		case schemas.Date:
			r.dates = append(r.dates, i)
		}
		switch c.Name {
		case src.PeriodColumn:
			r.period = i
		case "village_code", "county_code":
			r.region = i
		case "out_of_pocket":
			r.outOfPock = i
		case "name":
			r.name = i
		}
	}
	return r
}

// dirtPicker draws the dirt kind of a row from the rates of the kinds that
// apply to the source.
type dirtPicker struct {
	kinds []dirtKind
	cum   []float64
}

// newDirtPicker keeps the kinds that make sense for the source.
func newDirtPicker(rates DirtyRates, src schemas.Source, roles columnRoles) dirtPicker {
	var p dirtPicker
	add := func(k dirtKind, rate float64, applies bool) {
		if !applies || rate <= 0 {
			return
		}
		total := rate
		if n := len(p.cum); n > 0 {
			total += p.cum[n-1]
		}
		p.kinds = append(p.kinds, k)
		p.cum = append(p.cum, total)
	}
	roster := src.Name == schemas.Roster
	dept := src.Name != schemas.Roster && src.Name != schemas.Sales
	add(dirtIDForm, rates.IDForms, roles.id >= 0)
	add(dirtIDInvalid, rates.IDInvalid, roles.id >= 0)
	add(dirtAmount, rates.AmountForms, len(roles.money) > 0)
	add(dirtMonth, rates.MonthForms, len(roles.months)+len(roles.dates) > 0)
	add(dirtPeriod, rates.PeriodMismatch, roles.period >= 0)
	add(dirtMedical, rates.MedicalInconsistent, roles.outOfPock >= 0)
	add(dirtDuplicate, rates.DuplicatePerson, roster)
	add(dirtRegion, rates.UnknownRegion, roles.region >= 0)
	add(dirtUnmatched, rates.UnmatchedPersons, dept)
	add(dirtRagged, rates.Ragged, true)
	return p
}

// pick draws a kind; it draws nothing when no dirt applies, so clean
// configurations use no randomness here.
func (p *dirtPicker) pick(d *rand.Rand) dirtKind {
	if len(p.kinds) == 0 {
		return dirtNone
	}
	u := d.Float64()
	for i, c := range p.cum {
		if u < c {
			return p.kinds[i]
		}
	}
	return dirtNone
}

// apply rewrites one field of the clean row as the dirt kind says, and
// returns the kind actually applied (a row may lack the field a kind needs,
// e.g. a month form on a row whose dates are all empty: it then stays clean).
func (roles *columnRoles) apply(k dirtKind, d *rand.Rand, row *rowBuf, period month) dirtKind {
	switch k {
	case dirtIDForm:
		row.set(roles.id, repairableID(d, string(row.field(roles.id))))
	case dirtIDInvalid:
		row.set(roles.id, invalidID(d, string(row.field(roles.id))))
	case dirtAmount:
		j := pickNonEmpty(d, row, roles.money, true)
		row.set(j, amountForm(d, parseCleanMoney(row.field(j))))
	case dirtMonth:
		cols := append(append([]int(nil), roles.months...), roles.dates...)
		j := pickNonEmpty(d, row, cols, false)
		if j < 0 {
			return dirtNone
		}
		row.set(j, dateForm(d, string(row.field(j))))
	case dirtPeriod:
		row.set(roles.period, otherMonth(d, period).String())
	case dirtMedical:
		oop := parseCleanMoney(row.field(roles.outOfPock))
		row.set(roles.outOfPock, string(appendMoney(nil, oop+int64(between(d, 100, 50000)))))
	case dirtRegion:
		f := string(row.field(roles.region))
		row.set(roles.region, unknownCounties[d.IntN(len(unknownCounties))]+f[6:])
	case dirtRagged:
		roles.ragged(d, row)
	}
	return k
}

// ragged makes the row one field longer or shorter than the header, as hand
// edits do: an unquoted comma inside a field (the name 李四 typed as 李,四 in
// the roster; elsewhere any non-empty field, an amount's thousands
// separator say), or a field left out.
func (roles *columnRoles) ragged(d *rand.Rand, row *rowBuf) {
	if d.IntN(2) == 0 {
		row.unquoted, row.drop = 1+d.IntN(row.len()), true
		return
	}
	j := roles.name
	if j < 0 {
		start := d.IntN(row.len())
		for i := range row.len() {
			if c := (start + i) % row.len(); len(row.field(c)) > 0 {
				j = c
				break
			}
		}
	}
	if j < 0 {
		// Every field is empty: leave one out instead.
		row.unquoted, row.drop = 1+d.IntN(row.len()), true
		return
	}
	f := string(row.field(j))
	_, first := utf8.DecodeRuneInString(f)
	row.set(j, f[:first]+","+f[first:])
	row.unquoted = j + 1
}

// pickNonEmpty picks one of the columns with a non-empty value (with a
// non-zero amount when preferNonZero and one exists); -1 when all are empty.
func pickNonEmpty(d *rand.Rand, row *rowBuf, cols []int, preferNonZero bool) int {
	var cand [12]int
	n := 0
	for _, j := range cols {
		f := row.field(j)
		if len(f) > 0 && (!preferNonZero || parseCleanMoney(f) != 0) {
			cand[n] = j
			n++
		}
	}
	if n == 0 && preferNonZero {
		return pickNonEmpty(d, row, cols, false)
	}
	if n == 0 {
		return -1
	}
	return cand[d.IntN(n)]
}

// repairableID writes a valid number in a form the contract says must be
// repaired: spaces, full-width digits, lower-case x, the 15-digit legacy
// number (people born in the 1900s only) or Excel's leading apostrophe.
func repairableID(d *rand.Rand, id string) string {
	for {
		switch d.IntN(5) {
		case 0:
			return []string{" " + id, id + " ", "  " + id + " "}[d.IntN(3)]
		case 1:
			return fullWidth(id)
		case 2:
			if id[17] == 'X' {
				return id[:17] + "x"
			}
		case 3:
			if id[6:8] == "19" {
				return id[:6] + id[8:17]
			}
		case 4:
			return "'" + id
		}
	}
}

// invalidID damages a number beyond repair: Excel's scientific notation
// that kept only 15 digits, a wrong check character, or an impossible birth
// date with an otherwise correct check character.
func invalidID(d *rand.Rand, id string) string {
	switch d.IntN(3) {
	case 0:
		return id[:1] + "." + id[1:15] + "E+17"
	case 1:
		const checks = "0123456789X"
		for {
			c := checks[d.IntN(len(checks))]
			if c != id[17] {
				return id[:17] + string(c)
			}
		}
	default:
		bad := []string{"1315", "0230", "0431", "0000", "0632"}[d.IntN(5)]
		body := id[:10] + bad + id[14:17]
		return body + string(idnum.CheckChar(body))
	}
}

// amountForm writes an amount as 1,234.50, ￥1234.5 or in full-width digits.
func amountForm(d *rand.Rand, fen int64) string {
	clean := string(appendMoney(nil, fen))
	switch d.IntN(3) {
	case 0:
		return thousands(clean)
	case 1:
		s := strings.TrimSuffix(clean, "0")
		s = strings.TrimSuffix(s, ".0")
		return "￥" + s
	default:
		return fullWidth(clean)
	}
}

// thousands inserts thousands separators into a clean amount.
func thousands(clean string) string {
	intPart, frac, _ := strings.Cut(clean, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + frac
}

// dateForm rewrites a clean month (YYYY-MM) as 2025/06, 202506 or 2025年6月,
// or a clean date (YYYY-MM-DD) as 2025/6/30 or 20250630.
func dateForm(d *rand.Rand, clean string) string {
	y, rest, _ := strings.Cut(clean, "-")
	mo, day, isDate := strings.Cut(rest, "-")
	if isDate {
		if d.IntN(2) == 0 {
			return y + "/" + strings.TrimPrefix(mo, "0") + "/" + strings.TrimPrefix(day, "0")
		}
		return y + mo + day
	}
	switch d.IntN(3) {
	case 0:
		return y + "/" + mo
	case 1:
		return y + mo
	default:
		n, _ := strconv.Atoi(mo)
		return y + "年" + strconv.Itoa(n) + "月"
	}
}

// otherMonth is a month near the period but not the period: usually the
// previous month (a late entry), sometimes the next or one of the year.
func otherMonth(d *rand.Rand, period month) month {
	switch d.IntN(4) {
	case 0, 1:
		return period - 1
	case 2:
		return period + 1
	default:
		return period - month(2+d.IntN(10))
	}
}

// fullWidth turns ASCII digits and letters into their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			b.WriteRune(c - '0' + '０')
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
