package sqldb

import (
	"fmt"
	"strings"
	"time"

	"zengshou/config"
)

// query returns the SELECT of the mapped columns restricted to the period,
// with its arguments, in the SQL of the source's kind.
func (s *Source) query() (string, []any) {
	quote, ph := quotePostgres, func(i int) string { return fmt.Sprintf("$%d", i) }
	if s.cfg.Kind == config.KindMySQL {
		quote, ph = quoteMySQL, func(int) string { return "?" }
	}
	cols := make([]string, len(s.dbCols))
	for i, c := range s.dbCols {
		cols[i] = quote(c)
	}
	from := quoteQualified(s.cfg.Table, quote)
	if s.cfg.Query != "" {
		from = "(" + strings.TrimRight(strings.TrimSpace(s.cfg.Query), ";") + ") AS zengshou_q"
	}
	pc := quote(s.cfg.PeriodColumn)
	var where string
	var args []any
	switch s.cfg.PeriodForm {
	case config.PeriodDate:
		first := s.period.FirstDay()
		next := first.AddDate(0, 1, 0)
		where = pc + " >= " + ph(1) + " AND " + pc + " < " + ph(2)
		args = []any{dateArg(first), dateArg(next)}
	case config.PeriodYearMonth:
		where, args = pc+" = "+ph(1), []any{s.period.String()}
	case config.PeriodCompact:
		where, args = pc+" = "+ph(1), []any{s.period.Year()*100 + s.period.Number()}
	case config.PeriodCompactText:
		where, args = pc+" = "+ph(1), []any{fmt.Sprintf("%04d%02d", s.period.Year(), s.period.Number())}
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + from + " WHERE " + where
	if len(s.cfg.OrderBy) > 0 {
		order := make([]string, len(s.cfg.OrderBy))
		for i, c := range s.cfg.OrderBy {
			order[i] = quote(c)
		}
		q += " ORDER BY " + strings.Join(order, ", ")
	}
	return q, args
}

// dateArg is a day as a query argument: a civil date, no time zone.
func dateArg(t time.Time) string { return t.Format("2006-01-02") }

func quotePostgres(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

func quoteMySQL(id string) string { return "`" + strings.ReplaceAll(id, "`", "``") + "`" }

// quoteQualified quotes each part of schema.table.
func quoteQualified(name string, quote func(string) string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = quote(p)
	}
	return strings.Join(parts, ".")
}
