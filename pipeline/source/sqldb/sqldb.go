// Package sqldb reads one department extract from the department's own
// database — a PostgreSQL-protocol database with pgx, a MySQL-protocol one
// with go-sql-driver/mysql — and streams it as raw Arrow batches with the
// source's raw schema, like the file sources: every logical column as text,
// the row's ordinal in the result as its line, no row error. The table or
// query is restricted to the period in SQL and read as a stream (pgx rows,
// an unbuffered MySQL result), never the whole table in memory.
package sqldb

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Config configures one database source; it is the `sources:` entry of the
// program's YAML config.
type Config = config.DatabaseSource

// Source reads one department table or query for one period.
type Source struct {
	cfg    Config
	src    schemas.Source
	period values.Month
	getenv func(string) string
	mem    memory.Allocator
	schema *arrow.Schema
	// dbCols are the database columns selected, in order; logical[i] is the
	// logical column (index in src.Columns) dbCols[i] feeds.
	dbCols  []string
	logical []int
}

var _ pipeline.Source = (*Source)(nil)

// New returns a Source reading cfg for period as an extract of src, with
// batches allocated from mem; getenv reads the password's environment
// variable. New checks the configuration and the column mapping against the
// contract (every required column mapped, none mapped twice) and does no I/O.
func New(cfg Config, src schemas.Source, period values.Month, getenv func(string) string, mem memory.Allocator) (*Source, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Source{cfg: cfg, src: src, period: period, getenv: getenv, mem: mem, schema: src.RawSchema()}
	dbNames := make([]string, 0, len(cfg.Columns))
	for db := range cfg.Columns {
		dbNames = append(dbNames, db)
	}
	sort.Strings(dbNames)
	mappedFrom := make([]string, len(src.Columns))
	for _, db := range dbNames {
		target := cfg.Columns[db]
		col := src.ColumnIndex(target)
		if col < 0 {
			col = src.MatchHeader(target)
		}
		if col < 0 {
			return nil, fmt.Errorf("config sources[%s] columns: %s maps to %q, which is no column of %s", cfg.Source, db, target, src.Name)
		}
		if prev := mappedFrom[col]; prev != "" {
			c := src.Columns[col]
			return nil, fmt.Errorf("config sources[%s] columns: %s and %s both map to %s (%s)", cfg.Source, prev, db, c.Header, c.Name)
		}
		mappedFrom[col] = db
		s.dbCols = append(s.dbCols, db)
		s.logical = append(s.logical, col)
	}
	var missing []string
	for i, c := range src.Columns {
		if c.Required && mappedFrom[i] == "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", c.Header, c.Name))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("config sources[%s] columns: required %s not mapped", cfg.Source, strings.Join(missing, ", "))
	}
	return s, nil
}

// Name returns the configured name of the extract (postgres:yb_jsxx).
func (s *Source) Name() string { return s.cfg.Name }

// Read streams the period's rows as batches of at most BatchRows rows; the
// line of a row is its ordinal in the result (1 = the first row). Connecting
// and starting the query are retried on connection errors with a doubling
// backoff, ConnectAttempts times in all; an error once rows have been handed
// on is not retried (they would be counted twice). Errors never carry the
// password.
func (s *Source) Read(ctx context.Context, emit func(arrow.RecordBatch) error) (pipeline.ExtractInfo, error) {
	var info pipeline.ExtractInfo
	password, err := s.password()
	if err != nil {
		return info, fmt.Errorf("reading %s: %w", s.cfg.Name, err)
	}
	red := newRedactor(password)
	query, args := s.query()
	cur, err := withRetry(ctx, s.cfg, func() (cursor, error) {
		switch s.cfg.Kind {
		case config.KindPostgres:
			return openPostgres(ctx, s.cfg.DSN, password, query, args)
		default:
			return openMySQL(ctx, s.cfg.DSN, password, query, args)
		}
	})
	if err != nil {
		return info, red.wrap(fmt.Errorf("reading %s: %w", s.cfg.Name, err))
	}
	defer cur.Close()

	b := newBatchBuilder(s.mem, s.schema)
	defer b.release()
	var ordinal int64
	for cur.Next() {
		vals, err := cur.Values()
		if err != nil {
			return info, red.wrap(fmt.Errorf("reading %s row %d: %w", s.cfg.Name, ordinal+1, err))
		}
		if len(vals) != len(s.dbCols) {
			return info, fmt.Errorf("reading %s: result has %d columns, %d selected", s.cfg.Name, len(vals), len(s.dbCols))
		}
		ordinal++
		b.append(s.src, s.logical, vals, ordinal)
		if b.rows < s.cfg.BatchRows {
			continue
		}
		if err := b.emit(emit); err != nil {
			return info, fmt.Errorf("emitting %s rows up to row %d: %w", s.cfg.Name, ordinal, err)
		}
		if err := ctx.Err(); err != nil {
			return info, fmt.Errorf("reading %s row %d: %w", s.cfg.Name, ordinal, err)
		}
	}
	if err := cur.Err(); err != nil {
		return info, red.wrap(fmt.Errorf("reading %s after row %d: %w", s.cfg.Name, ordinal, err))
	}
	if b.rows > 0 {
		if err := b.emit(emit); err != nil {
			return info, fmt.Errorf("emitting %s rows up to row %d: %w", s.cfg.Name, ordinal, err)
		}
	}
	return info, nil
}

// password returns the configured password: the environment variable, the
// file's contents, or none.
func (s *Source) password() (string, error) {
	switch {
	case s.cfg.PasswordEnv != "":
		p := s.getenv(s.cfg.PasswordEnv)
		if p == "" {
			return "", fmt.Errorf("password: environment variable %s is empty", s.cfg.PasswordEnv)
		}
		return p, nil
	case s.cfg.PasswordFile != "":
		b, err := os.ReadFile(s.cfg.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("reading password file: %w", err)
		}
		p := strings.TrimSpace(string(b))
		if p == "" {
			return "", fmt.Errorf("password file %s is empty", s.cfg.PasswordFile)
		}
		return p, nil
	}
	return "", nil
}

// batchBuilder accumulates result rows as rows of a source's raw schema.
type batchBuilder struct {
	rb     *array.RecordBuilder
	values []*array.StringBuilder
	lines  *array.Int64Builder
	errs   *array.StringBuilder
	rows   int
	// row holds the text of each logical column of the current row.
	row []string
}

func newBatchBuilder(mem memory.Allocator, schema *arrow.Schema) *batchBuilder {
	rb := array.NewRecordBuilder(mem, schema)
	b := &batchBuilder{rb: rb}
	n := len(schema.Fields()) - 2
	for i := 0; i < n; i++ {
		b.values = append(b.values, rb.Field(i).(*array.StringBuilder))
	}
	b.lines = rb.Field(n).(*array.Int64Builder)
	b.errs = rb.Field(n + 1).(*array.StringBuilder)
	b.row = make([]string, n)
	return b
}

func (b *batchBuilder) release() { b.rb.Release() }

// append adds one result row; vals[i] is the text of the i-th selected
// column (nil for NULL), feeding logical column logical[i].
func (b *batchBuilder) append(src schemas.Source, logical []int, vals [][]byte, ordinal int64) {
	clear(b.row)
	for i, v := range vals {
		col := logical[i]
		b.row[col] = dbText(string(v), src.Columns[col].Kind)
	}
	for i, v := range b.row {
		b.values[i].Append(v)
	}
	b.lines.Append(ordinal)
	b.errs.Append("")
	b.rows++
}

func (b *batchBuilder) emit(emit func(arrow.RecordBatch) error) error {
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.rows = 0
	return emit(rec)
}

// dbText turns a value's text as the database sends it into the text the
// contract's parsers read: CHAR padding trimmed; a timestamp in a date or
// month column cut to its day (2025-06-30 00:00:00 → 2025-06-30), a day in
// a month column to its month (2025-06-01 → 2025-06); PostgreSQL's boolean
// t/f spelled true/false. Numbers (NUMERIC(12,2) as 650.50) pass as they are.
func dbText(v string, k schemas.Kind) string {
	v = strings.TrimSpace(v)
	switch k {
	case schemas.Date, schemas.Month:
		if i := strings.IndexAny(v, " T"); i == 10 {
			v = v[:10]
		}
		if k == schemas.Month && len(v) == 10 && v[4] == '-' && v[7] == '-' {
			v = v[:7]
		}
	case schemas.YesNo:
		switch v {
		case "t":
			return "true"
		case "f":
			return "false"
		}
	}
	return v
}
