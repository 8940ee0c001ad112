package config

import (
	"fmt"
	"time"
)

// Database kinds of a DatabaseSource.
const (
	// KindPostgres is a PostgreSQL-protocol database (PostgreSQL and the
	// domestic databases that speak it), read with pgx.
	KindPostgres = "postgres"
	// KindMySQL is a MySQL-protocol database (MySQL, MariaDB and
	// compatibles), read with go-sql-driver/mysql.
	KindMySQL = "mysql"
)

// Forms of a database source's period column.
const (
	// PeriodDate is a DATE or TIMESTAMP column: rows of the month's days.
	PeriodDate = "date"
	// PeriodYearMonth is a text column holding 2025-06.
	PeriodYearMonth = "yyyy-mm"
	// PeriodCompact is an integer column holding 202506.
	PeriodCompact = "yyyymm"
	// PeriodCompactText is a text column (CHAR(6)) holding 202506.
	PeriodCompactText = "yyyymm-text"
)

// DatabaseSource is a department extract read from the department's own
// database instead of a file: one logical source (inputs.md), one table or
// query, restricted to the period in SQL.
type DatabaseSource struct {
	// Source is the logical source delivered (roster, civil, employment …).
	Source string `yaml:"source"`
	// Name identifies the extract in accounting and quarantine rows in place
	// of a file name; empty means <kind>:<table>, or <kind>:<source> for a
	// query. It must not hold credentials.
	Name string `yaml:"name"`
	// Kind is postgres or mysql.
	Kind string `yaml:"kind"`
	// DSN locates the database without the password: a pgx connection
	// string (postgres://etl@10.1.2.3:5432/yibao?sslmode=disable) or a
	// go-sql-driver DSN (etl@tcp(10.1.2.4:3306)/rsj).
	DSN string `yaml:"dsn"`
	// PasswordEnv names the environment variable holding the password.
	PasswordEnv string `yaml:"password_env"`
	// PasswordFile is a file holding the password (surrounding white space
	// removed). At most one of PasswordEnv and PasswordFile is set; with
	// neither the DSN's own authentication applies (trust, socket).
	PasswordFile string `yaml:"password_file"`
	// Table is the table or view (schema.table allowed) to read; exactly one
	// of Table and Query is set.
	Table string `yaml:"table"`
	// Query is a SELECT whose result is read as the table; the period
	// restriction is applied around it.
	Query string `yaml:"query"`
	// PeriodColumn is the database column the period restriction is applied
	// to (a database column name, not a logical one).
	PeriodColumn string `yaml:"period_column"`
	// PeriodForm is date, yyyy-mm, yyyymm (integer) or yyyymm-text.
	PeriodForm string `yaml:"period_form"`
	// Columns maps the database's column names to the source's logical
	// columns, by logical name (id_number) or Chinese header (身份证号).
	Columns map[string]string `yaml:"columns"`
	// OrderBy lists database columns the rows are read in order of (which
	// row of a duplicate is kept first, the row ordinals of quarantine
	// rows); empty means the database's own order.
	OrderBy []string `yaml:"order_by"`
	// BatchRows is the number of rows per emitted Arrow batch (default 8192).
	BatchRows int `yaml:"batch_rows"`
	// ConnectAttempts bounds the connections one read tries (default 5): a
	// connection error while connecting, starting the query or in the
	// middle of the result is retried (a lost result is resumed).
	ConnectAttempts int `yaml:"connect_attempts"`
	// RetryBackoff is the wait after the first failed attempt, doubled after
	// each further one (default 1s).
	RetryBackoff time.Duration `yaml:"retry_backoff"`
}

// Defaults of a DatabaseSource's zero fields.
const (
	DefaultDBBatchRows       = 8192
	DefaultDBConnectAttempts = 5
	DefaultDBRetryBackoff    = time.Second
)

// WithDefaults returns the source with its zero fields defaulted.
func (d DatabaseSource) WithDefaults() DatabaseSource {
	if d.BatchRows == 0 {
		d.BatchRows = DefaultDBBatchRows
	}
	if d.ConnectAttempts == 0 {
		d.ConnectAttempts = DefaultDBConnectAttempts
	}
	if d.RetryBackoff == 0 {
		d.RetryBackoff = DefaultDBRetryBackoff
	}
	if d.Name == "" {
		d.Name = d.Kind + ":" + d.Table
		if d.Table == "" {
			d.Name = d.Kind + ":" + d.Source
		}
	}
	return d
}

// Validate checks the source without I/O; the error names the field. The
// DSN is never quoted back: it may hold a password after all.
func (d DatabaseSource) Validate() error {
	at := fmt.Sprintf("config sources[%s]", d.Source)
	if d.Source == "" {
		return fmt.Errorf("config sources: source is empty")
	}
	switch d.Kind {
	case KindPostgres, KindMySQL:
	default:
		return fmt.Errorf("%s kind: %q is not %s or %s", at, d.Kind, KindPostgres, KindMySQL)
	}
	if d.DSN == "" {
		return fmt.Errorf("%s dsn: empty", at)
	}
	if d.PasswordEnv != "" && d.PasswordFile != "" {
		return fmt.Errorf("%s: set password_env or password_file, not both", at)
	}
	if (d.Table == "") == (d.Query == "") {
		return fmt.Errorf("%s: set exactly one of table and query", at)
	}
	if d.PeriodColumn == "" {
		return fmt.Errorf("%s period_column: empty", at)
	}
	switch d.PeriodForm {
	case PeriodDate, PeriodYearMonth, PeriodCompact, PeriodCompactText:
	default:
		return fmt.Errorf("%s period_form: %q is not %s, %s, %s or %s", at, d.PeriodForm, PeriodDate, PeriodYearMonth, PeriodCompact, PeriodCompactText)
	}
	if len(d.Columns) == 0 {
		return fmt.Errorf("%s columns: empty (map the database's column names to the logical columns)", at)
	}
	if d.BatchRows < 0 || d.ConnectAttempts < 0 || d.RetryBackoff < 0 {
		return fmt.Errorf("%s: batch_rows, connect_attempts and retry_backoff must not be negative", at)
	}
	return nil
}
