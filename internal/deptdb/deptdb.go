// Package deptdb loads inbox extracts into PostgreSQL and MariaDB tables
// shaped like the departments' own (their own pinyin column names and SQL
// types: sfzh VARCHAR, ffje NUMERIC(12,2), ffny CHAR(6) …), one table per
// source holding every period, and returns the `sources:` configuration that
// reads them back. Tests and benchmarks use it to prove that a period read
// from department databases publishes exactly what the files do.
package deptdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"zengshou/config"
	"zengshou/jobs"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Storage types of a department column.
const (
	text    = "text"    // VARCHAR(64)
	money   = "money"   // NUMERIC(12,2)
	integer = "integer" // INTEGER
	date    = "date"    // DATE
	yyyymm  = "yyyymm"  // CHAR(6) 202506
	yyyymmI = "yyyymmI" // INTEGER 202506
	yyyy_mm = "yyyy_mm" // VARCHAR(7) 2025-06
	month1  = "month1"  // DATE, the month's first day
)

// Column is one column of a department table.
type Column struct {
	// Name is the department's column name.
	Name string
	// Logical is the source's logical column it holds; empty for the
	// table's own snapshot-month column.
	Logical string
	// Type is how the value is stored.
	Type string
}

// Table is a department's table for one source.
type Table struct {
	Source string
	Name   string
	// Period is the column the period restriction applies to, and its form.
	Period, PeriodForm string
	Columns            []Column
}

// Tables are the department tables, one per source. Each carries xh, the
// row's line in the delivered file, which the rows are read back in order of.
var Tables = []Table{
	{Source: schemas.Roster, Name: "fpdx_mc", Period: "tjny", PeriodForm: config.PeriodCompactText, Columns: []Column{
		{"tjny", "", yyyymm}, {"sfzh", "id_number", text}, {"xm", "name", text}, {"hbh", "household_no", text},
		{"yhzgx", "relation", text}, {"qhdm", "village_code", text}, {"hlx", "household_type", text},
		{"ldnl", "labor_capacity", text}, {"sfydbq", "is_relocated", text}, {"jtrks", "household_size", integer},
		{"fxsfxc", "risk_eliminated", text},
	}},
	{Source: schemas.HouseholdIncome, Name: "jtsr_cj", Period: "cjny", PeriodForm: config.PeriodCompact, Columns: []Column{
		{"cjny", "", yyyymmI}, {"hbh", "household_no", text}, {"nd", "year", integer},
		{"scjysr", "business_income", money}, {"scjyzc", "business_cost", money}, {"ccxsr", "property_income", money},
		{"qtzyxsr", "transfer_other", money}, {"zbgzsr", "wage_self_reported", money},
	}},
	{Source: schemas.Education, Name: "xj_zz", Period: "tjyf", PeriodForm: config.PeriodYearMonth, Columns: []Column{
		{"tjyf", "", yyyy_mm}, {"sfzh", "id_number", text}, {"xxmc", "school", text}, {"xd", "stage", text},
		{"rxny", "enrol_month", yyyymm}, {"xjzt", "status", text}, {"byny", "grad_month", yyyymm},
		{"byqx", "destination", text}, {"zzxm", "aid_item", text}, {"zzje", "aid_amount", money},
	}},
	{Source: schemas.Medical, Name: "yb_cbjs", Period: "tjrq", PeriodForm: config.PeriodDate, Columns: []Column{
		{"tjrq", "", month1}, {"sfzh", "id_number", text}, {"cbnd", "insurance_year", integer},
		{"cbzt", "insurance_status", text}, {"zzlb", "subsidy_category", text}, {"zzje", "subsidy_amount", money},
		{"ylzfy", "total_cost", money}, {"jbbx", "basic_reimbursement", money}, {"dbbx", "critical_reimbursement", money},
		{"yljz", "medical_assistance", money}, {"grzf", "out_of_pocket", money},
	}},
	{Source: schemas.Civil, Name: "mz_jzff", Period: "ffny", PeriodForm: config.PeriodCompactText, Columns: []Column{
		{"sfzh", "id_number", text}, {"jzlx", "aid_type", text}, {"ffny", "pay_month", yyyymm},
		{"ffje", "amount", money}, {"bzzt", "coverage_status", text}, {"swrq", "death_date", date},
	}},
	{Source: schemas.Employment, Name: "rs_wgjy", Period: "jyny", PeriodForm: config.PeriodCompact, Columns: []Column{
		{"sfzh", "id_number", text}, {"jyny", "month", yyyymmI}, {"jyzt", "status", text}, {"jyxs", "form", text},
		{"jydy", "area", text}, {"ygzsr", "wage", money}, {"jtbz", "travel_subsidy", money}, {"ygdw", "employer", text},
	}},
	{Source: schemas.Pension, Name: "rs_cxjmyl", Period: "ffyf", PeriodForm: config.PeriodYearMonth, Columns: []Column{
		{"sfzh", "id_number", text}, {"ffyf", "pay_month", yyyy_mm}, {"yljje", "amount", money},
	}},
	{Source: schemas.Sales, Name: "xs_bfcp", Period: "tjrq", PeriodForm: config.PeriodDate, Columns: []Column{
		{"tjrq", "month", month1}, {"qhdm", "county_code", text}, {"xsqd", "channel", text}, {"cplb", "category", text},
		{"xsje", "amount", money}, {"jyzt", "seller", text},
	}},
}

// sqlType is the column's SQL type; both databases share them.
func sqlType(typ string) string {
	switch typ {
	case money:
		return "NUMERIC(12,2)"
	case integer, yyyymmI:
		return "INTEGER"
	case date, month1:
		return "DATE"
	case yyyymm:
		return "CHAR(6)"
	case yyyy_mm:
		return "VARCHAR(7)"
	default:
		return "VARCHAR(64)"
	}
}

// Load creates the department tables in the database dsn (kind postgres or
// mysql), loads the extracts of every period from the inbox, and returns
// the sources configuration reading them.
func Load(ctx context.Context, kind, dsn, inbox string, periods []values.Month) ([]config.DatabaseSource, error) {
	db, err := open(kind, dsn)
	if err != nil {
		return nil, err
	}
	defer db.close()
	for _, t := range Tables {
		if err := db.exec(ctx, t.ddl()); err != nil {
			return nil, fmt.Errorf("creating %s: %w", t.Name, err)
		}
	}
	mem := memory.NewGoAllocator()
	for _, p := range periods {
		extracts, err := jobs.InboxExtracts(inbox, p, mem)
		if err != nil {
			return nil, err
		}
		for _, ex := range extracts {
			t := tableOf(ex.Contract.Name)
			var rows [][]any
			_, err := ex.Source.Read(ctx, func(rec arrow.RecordBatch) error {
				for i := 0; i < int(rec.NumRows()); i++ {
					r, err := t.row(ex.Contract, rec, i, p)
					if err != nil {
						return fmt.Errorf("%s: %w", ex.Source.Name(), err)
					}
					rows = append(rows, r)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			for len(rows) > 0 {
				n := min(len(rows), 200)
				if err := db.insert(ctx, t, rows[:n]); err != nil {
					return nil, fmt.Errorf("loading %s into %s: %w", ex.Source.Name(), t.Name, err)
				}
				rows = rows[n:]
			}
		}
	}
	var out []config.DatabaseSource
	for _, t := range Tables {
		cols := map[string]string{}
		for _, c := range t.Columns {
			if c.Logical != "" {
				cols[c.Name] = c.Logical
			}
		}
		out = append(out, config.DatabaseSource{
			Source: t.Source, Kind: kind, DSN: dsn, Table: t.Name,
			PeriodColumn: t.Period, PeriodForm: t.PeriodForm, Columns: cols, OrderBy: []string{"xh"},
		})
	}
	return out, nil
}

func tableOf(source string) Table {
	for _, t := range Tables {
		if t.Source == source {
			return t
		}
	}
	panic("deptdb: no table for source " + source)
}

func (t Table) ddl() string {
	cols := []string{"xh INTEGER NOT NULL"}
	for _, c := range t.Columns {
		cols = append(cols, c.Name+" "+sqlType(c.Type))
	}
	return "CREATE TABLE " + t.Name + " (" + strings.Join(cols, ", ") + ")"
}

// row converts row i of a raw batch into the table's values: xh first, then
// each column parsed from the delivered text into its storage form, NULL for
// an empty value.
func (t Table) row(src schemas.Source, rec arrow.RecordBatch, i int, period values.Month) ([]any, error) {
	line := rec.Column(len(src.Columns)).(*array.Int64).Value(i)
	out := []any{line}
	for _, c := range t.Columns {
		v := period.String()
		if c.Logical != "" {
			v = strings.Clone(rec.Column(src.ColumnIndex(c.Logical)).(*array.String).Value(i))
		}
		sv, err := store(v, c.Type)
		if err != nil {
			return nil, fmt.Errorf("line %d %s %q: %w", line, c.Name, v, err)
		}
		out = append(out, sv)
	}
	return out, nil
}

// store parses v into the text of its storage form; nil for empty.
func store(v, typ string) (any, error) {
	if v == "" {
		return nil, nil
	}
	switch typ {
	case money:
		fen, err := values.ParseMoney(v)
		if err != nil {
			return nil, err
		}
		return values.FormatFen(fen), nil
	case integer:
		n, err := values.ParseInt(v)
		return n, err
	case date:
		d, err := values.ParseDate(v)
		return d.Format("2006-01-02"), err
	case yyyymm, yyyymmI, yyyy_mm, month1:
		m, err := values.ParseMonth(v)
		if err != nil {
			return nil, err
		}
		switch typ {
		case yyyymm:
			return fmt.Sprintf("%04d%02d", m.Year(), m.Number()), nil
		case yyyymmI:
			return int64(m.Year()*100 + m.Number()), nil
		case yyyy_mm:
			return m.String(), nil
		default:
			return m.FirstDay().Format("2006-01-02"), nil
		}
	}
	return v, nil
}

// database is the one connection Load uses.
type database struct {
	kind string
	pg   *pgx.Conn
	my   *sql.DB
}

func open(kind, dsn string) (*database, error) {
	ctx := context.Background()
	switch kind {
	case config.KindPostgres:
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return &database{kind: kind, pg: c}, nil
	case config.KindMySQL:
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return nil, err
		}
		cfg.InterpolateParams = true
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, err
		}
		return &database{kind: kind, my: sql.OpenDB(conn)}, nil
	}
	return nil, fmt.Errorf("no database kind %q", kind)
}

func (d *database) close() {
	if d.pg != nil {
		_ = d.pg.Close(context.Background())
	}
	if d.my != nil {
		_ = d.my.Close()
	}
}

func (d *database) exec(ctx context.Context, q string, args ...any) error {
	if d.pg != nil {
		_, err := d.pg.Exec(ctx, q, args...)
		return err
	}
	_, err := d.my.ExecContext(ctx, q, args...)
	return err
}

// insert writes rows with one multi-row INSERT.
func (d *database) insert(ctx context.Context, t Table, rows [][]any) error {
	names := []string{"xh"}
	for _, c := range t.Columns {
		names = append(names, c.Name)
	}
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + t.Name + " (" + strings.Join(names, ", ") + ") VALUES ")
	var args []any
	for i, r := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				sb.WriteString(", ")
			}
			args = append(args, v)
			if d.pg != nil {
				fmt.Fprintf(&sb, "$%d", len(args))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return d.exec(ctx, sb.String(), args...)
}
