package clickhouse

import (
	"context"
	"fmt"
	"strings"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// householdFactsHistory reads back, from household_year of the year before
// P, the declared household facts that persist over the year: for
// PersistYearSum the value of the latest earlier period (the column holds
// the year to date), for PersistEverInYear whether it was ever true; and for
// village facts the villages where it was true. It is generic over
// schemas.Departments: a new department's facts need no code here.
func (s *Sink) householdFactsHistory(ctx context.Context, h *model.History, year int, to string) error {
	var cols, exprs []string
	for _, d := range schemas.Departments {
		if d.Table != schemas.HouseholdYearTable.Name {
			continue
		}
		for _, f := range d.Facts {
			switch {
			case f.Village:
				if err := s.villageHistory(ctx, h, f.Column, year, to); err != nil {
					return err
				}
			case f.Persist == schemas.PersistYearSum && f.Kind == schemas.FactMoney:
				cols, exprs = append(cols, f.Column), append(exprs, fmt.Sprintf("toInt64(argMax(%s, period) * 100)", f.Column))
			case f.Persist == schemas.PersistEverInYear && f.Kind == schemas.FactFlag:
				cols, exprs = append(cols, f.Column), append(exprs, fmt.Sprintf("toInt64(max(%s))", f.Column))
			}
		}
	}
	if len(cols) == 0 {
		return nil
	}
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT household_key, [%s]
FROM household_year WHERE year = %d AND period < %s GROUP BY household_key`, strings.Join(exprs, ", "), year, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	// Money comes back in fen and flags as 0/1, both Int64: the same text
	// on every server version (toString of a Decimal is not).
	var key string
	var vals []int64
	for rows.Next() {
		if err := rows.Scan(&key, &vals); err != nil {
			return err
		}
		m := make(map[string]int64, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		h.HouseholdFacts[key] = m
	}
	return rows.Err()
}

// villageHistory reads the villages where a village fact was true in a
// published period of the year before P.
func (s *Sink) villageHistory(ctx context.Context, h *model.History, col string, year int, to string) error {
	rows, err := s.conn.Query(ctx, fmt.Sprintf(`SELECT DISTINCT village_code FROM household_year
WHERE year = %d AND period < %s AND %s = 1 ORDER BY village_code`, year, to, col))
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
