package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// householdFactsHistory reads back, from household_year of the year before
// P, the declared household facts that persist over the year
// (History.HouseholdFacts: for PersistYearSum the value of the latest earlier
// period — the column holds the year to date —, for PersistEverInYear
// whether it was ever true), and for village facts the villages where it
// was true. It is generic over schemas.Departments: a new department's
// facts need no code here.
func (s *Sink) householdFactsHistory(ctx context.Context, h *model.History, year int, from, to, scope string) error {
	table := schemas.HouseholdYearTable.Name
	for _, d := range schemas.Departments {
		for _, f := range d.Facts {
			if d.Table == table && f.Village {
				if err := s.villageHistory(ctx, h, f.Column, year, to, scope); err != nil {
					return err
				}
			}
		}
	}
	var recalls []recall
	for _, f := range schemas.YearRecalls(table) {
		r, err := yearRecall(f)
		if err != nil {
			return err
		}
		recalls = append(recalls, r)
	}
	h.HouseholdFacts = model.NewHouseholdYear()
	return s.readRecalls(ctx, h.HouseholdFacts, table, "household_key", recalls, fmt.Sprintf("period >= %s AND period < %s%s", from, to, scope))
}

// villageHistory reads the villages where a village fact was true in a
// published period of the year before P.
func (s *Sink) villageHistory(ctx context.Context, h *model.History, col string, year int, to, scope string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT DISTINCT village_code FROM household_year
WHERE year = %d AND period < %s AND %s = 1%s ORDER BY village_code`, year, to, col, scope))
	if err != nil {
		return err
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		set[v] = true
	}
	h.Villages[col] = set
	return rows.Err()
}

// recall is one read-back expression of a declared fact and how its value
// is scanned and stored.
type recall struct {
	fact schemas.Fact
	sql  string
	// as is how the value comes back: an Int64, a YYYYMM month, a Date or a
	// String.
	as recallType
}

type recallType int

const (
	recallInt recallType = iota
	recallMonth
	recallDate
	recallText
)

// noDate is what an absent Nullable(Date) reads back as.
const noDate = "toDate('1970-01-01')"

// yearRecall is the expression reading back a fact's year to date over a
// year's published periods, as its Persist declares.
func yearRecall(f schemas.Fact) (recall, error) {
	c := f.Column
	switch {
	case f.Persist == schemas.PersistMonthSum && f.Kind == schemas.FactMoney:
		return recall{f, fmt.Sprintf("toInt64(sum(%s) * 100)", c), recallInt}, nil
	case f.Persist == schemas.PersistYearSum && f.Kind == schemas.FactMoney:
		return recall{f, fmt.Sprintf("toInt64(argMax(%s, period) * 100)", c), recallInt}, nil
	case f.Persist == schemas.PersistEverInYear && f.Kind == schemas.FactFlag:
		return recall{f, fmt.Sprintf("toInt64(max(%s))", c), recallInt}, nil
	case f.Persist == schemas.PersistLastInYear && f.Kind == schemas.FactFlag:
		return recall{f, fmt.Sprintf("toInt64(toYYYYMM(maxIf(period, %s = 1)))", c), recallMonth}, nil
	case f.Persist == schemas.PersistEverValueInYear && f.Kind == schemas.FactText:
		return recall{f, fmt.Sprintf("toInt64(max(%s = '%s'))", c, f.EverValue), recallInt}, nil
	case f.Persist == schemas.PersistLatestInYear:
		order := fmt.Sprintf("(ifNull(%s, %s), period)", f.LatestBy, noDate)
		switch f.Kind {
		case schemas.FactText:
			return recall{f, fmt.Sprintf("argMax(%s, %s)", c, order), recallText}, nil
		case schemas.FactMonth:
			return recall{f, fmt.Sprintf("toInt64(toYYYYMM(argMax(ifNull(%s, %s), %s)))", c, noDate, order), recallMonth}, nil
		}
	}
	return recall{}, fmt.Errorf("no year read-back for %s (kind %d, persist %d)", c, f.Kind, f.Persist)
}

// lifeRecall is the expression reading back an Ever or PersistLifetime fact
// over every published period, and the condition selecting the rows that
// carry it.
func lifeRecall(f schemas.Fact) (recall, string, error) {
	c := f.Column
	switch {
	case f.Ever && f.Kind == schemas.FactMoney:
		return recall{f, fmt.Sprintf("toInt64(max(%s > 0))", c), recallInt}, c + " > 0", nil
	case f.Kind == schemas.FactFlag:
		return recall{f, fmt.Sprintf("toInt64(max(%s))", c), recallInt}, c + " = 1", nil
	case f.Persist == schemas.PersistLifetime && f.Kind == schemas.FactDate:
		return recall{f, fmt.Sprintf("argMaxIf(assumeNotNull(%[1]s), period, isNotNull(%[1]s))", c), recallDate}, "isNotNull(" + c + ")", nil
	}
	return recall{}, "", fmt.Errorf("no lifetime read-back for %s (kind %d, persist %d)", c, f.Kind, f.Persist)
}

// personFactsHistory reads back person_month's declared facts: their year
// to date over Y-01..P-1 (History.PersonYear) and, over every published
// period before P of any year, the Ever and PersistLifetime ones
// (History.PersonLife). It is generic over schemas.Departments: a new
// department's facts need no code here.
func (s *Sink) personFactsHistory(ctx context.Context, h *model.History, from, to string) error {
	table := schemas.PersonMonthTable.Name
	var year []recall
	for _, f := range schemas.YearRecalls(table) {
		r, err := yearRecall(f)
		if err != nil {
			return err
		}
		year = append(year, r)
	}
	h.PersonYear = model.NewPersonYear()
	if err := s.readRecalls(ctx, h.PersonYear, table, "person_key", year, fmt.Sprintf("period >= %s AND period < %s", from, to)); err != nil {
		return fmt.Errorf("year to date: %w", err)
	}
	var life []recall
	var conds []string
	for _, f := range schemas.LifeRecalls(table) {
		r, cond, err := lifeRecall(f)
		if err != nil {
			return err
		}
		life, conds = append(life, r), append(conds, cond)
	}
	h.PersonLife = model.NewPersonLife()
	if len(life) == 0 {
		return nil
	}
	if err := s.readRecalls(ctx, h.PersonLife, table, "person_key", life, fmt.Sprintf("period < %s AND (%s)", to, strings.Join(conds, " OR "))); err != nil {
		return fmt.Errorf("lifetime: %w", err)
	}
	return nil
}

// readRecalls runs the read-back expressions over the rows of table in
// where, grouped by key, into into (whose columns are the recalls' integer
// then text columns, in order).
func (s *Sink) readRecalls(ctx context.Context, into *model.FactHistory, table, key string, recalls []recall, where string) error {
	if len(recalls) == 0 {
		return nil
	}
	// A person or household whose every read-back is empty (0, '', no
	// month) reads back as one without a row: only the others travel.
	exprs := make([]string, len(recalls))
	nonEmpty := make([]string, len(recalls))
	for i, r := range recalls {
		exprs[i] = fmt.Sprintf("%s AS r%d", r.sql, i)
		switch r.as {
		case recallText:
			nonEmpty[i] = fmt.Sprintf("r%d != ''", i)
		case recallMonth:
			nonEmpty[i] = fmt.Sprintf("r%d > 197001", i)
		case recallDate:
			nonEmpty[i] = fmt.Sprintf("r%d > %s", i, noDate)
		default:
			nonEmpty[i] = fmt.Sprintf("r%d != 0", i)
		}
	}
	rows, err := s.conn.Query(ctx, fmt.Sprintf("SELECT %[1]s, %[2]s\nFROM %[3]s WHERE %[4]s GROUP BY %[1]s\nHAVING %[5]s",
		key, strings.Join(exprs, ",\n    "), table, where, strings.Join(nonEmpty, " OR ")))
	if err != nil {
		return err
	}
	defer rows.Close()
	var k string
	dest := make([]any, len(recalls)+1)
	dest[0] = &k
	nums := make([]int64, len(recalls))
	texts := make([]string, len(recalls))
	days := make([]time.Time, len(recalls))
	for i, r := range recalls {
		switch r.as {
		case recallText:
			dest[i+1] = &texts[i]
		case recallDate:
			dest[i+1] = &days[i]
		default:
			dest[i+1] = &nums[i]
		}
	}
	var ints []int64
	var strs []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		ints, strs = ints[:0], strs[:0]
		for i, r := range recalls {
			switch r.as {
			case recallInt:
				ints = append(ints, nums[i])
			case recallMonth:
				ints = append(ints, int64(yyyymm(nums[i])))
			case recallDate:
				var d arrow.Date32
				if days[i].Year() > 1970 {
					d = arrow.Date32FromTime(days[i])
				}
				ints = append(ints, int64(d))
			case recallText:
				strs = append(strs, texts[i])
			}
		}
		into.Append(k, ints, strs)
	}
	return rows.Err()
}

// yyyymm is the month of a toYYYYMM value (0 for ClickHouse's empty date,
// 1970-01).
func yyyymm(v int64) values.Month {
	if v <= 197001 {
		return 0
	}
	return values.NewMonth(int(v/100), int(v%100))
}
