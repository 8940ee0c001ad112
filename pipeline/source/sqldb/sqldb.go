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
	"encoding/binary"
	"fmt"
	"hash/maphash"
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
	// attempts is the number of connections the last Read opened.
	attempts int
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
// line of a row is its ordinal in the result (1 = the first row).
// Connecting, starting the query and a connection lost mid-read are retried
// on connection errors with a doubling backoff, ConnectAttempts attempts in
// all. A read resumed after a lost connection runs the query again and
// skips the rows already handed on, after checking that they are the same
// rows in the same order (a hash of their values): what Read emits is then
// exactly one whole result of the query, never a row lost or twice. When
// they differ (the table changed between the attempts), the read fails.
// Errors never carry the password.
func (s *Source) Read(ctx context.Context, emit func(arrow.RecordBatch) error) (pipeline.ExtractInfo, error) {
	var info pipeline.ExtractInfo
	password, err := s.password()
	if err != nil {
		return info, fmt.Errorf("reading %s: %w", s.cfg.Name, err)
	}
	red := newRedactor(password)
	query, args := s.query()
	open := func() (cursor, error) {
		switch s.cfg.Kind {
		case config.KindPostgres:
			return openPostgres(ctx, s.cfg.DSN, password, query, args)
		default:
			return openMySQL(ctx, s.cfg.DSN, password, query, args)
		}
	}
	retry := newRetrier(s.cfg)
	s.attempts = 0
	b := newBatchBuilder(s.mem, s.schema)
	defer b.release()
	rd := &resumable{seed: maphash.MakeSeed()}
	for {
		cur, err := retry.open(ctx, func() (cursor, error) {
			s.attempts++
			return open()
		})
		if err != nil {
			return info, red.wrap(fmt.Errorf("reading %s: %w", s.cfg.Name, err))
		}
		lost, err := s.stream(ctx, cur, rd, b, emit)
		cur.Close()
		if err == nil {
			return info, nil
		}
		if !lost {
			return info, red.wrap(err)
		}
		retry.lost++
		if err := retry.failed(ctx, err); err != nil {
			return info, red.wrap(fmt.Errorf("reading %s: %w", s.cfg.Name, err))
		}
	}
}

// Attempts is the number of connections the last (or the running) Read
// tried to open (1 when nothing failed).
func (s *Source) Attempts() int { return s.attempts }

// resumable is what a read keeps across attempts: the rows handed to the
// batch builder and the hash of their values in order.
type resumable struct {
	seed maphash.Seed
	rows int64  // rows read and handed on (to the builder or emitted)
	sum  uint64 // the hash of those rows' values
}

// stream reads one attempt's cursor to its end. The first rd.rows rows
// were handed on by an earlier attempt: they are read again, only hashed,
// and must hash to rd.sum. lost is true when the error is the cursor's
// (the connection may have gone): the caller may retry.
func (s *Source) stream(ctx context.Context, cur cursor, rd *resumable, b *batchBuilder, emit func(arrow.RecordBatch) error) (lost bool, err error) {
	var h maphash.Hash
	h.SetSeed(rd.seed)
	var seen int64
	var length [8]byte
	failed := func(err error) (bool, error) {
		if seen >= rd.rows { // past the rows read again: they count as handed on
			rd.sum = h.Sum64()
		}
		return true, err
	}
	for cur.Next() {
		vals, err := cur.Values()
		if err != nil {
			return failed(fmt.Errorf("reading %s row %d: %w", s.cfg.Name, seen+1, err))
		}
		if len(vals) != len(s.dbCols) {
			return false, fmt.Errorf("reading %s: result has %d columns, %d selected", s.cfg.Name, len(vals), len(s.dbCols))
		}
		for _, v := range vals {
			n := uint64(len(v))
			if v == nil {
				n = 1 << 63 // NULL differs from ''
			}
			binary.LittleEndian.PutUint64(length[:], n)
			h.Write(length[:]) //nolint:errcheck // maphash never fails
			h.Write(v)         //nolint:errcheck // maphash never fails
		}
		seen++
		if seen < rd.rows {
			continue
		}
		if seen == rd.rows {
			if h.Sum64() != rd.sum {
				return false, fmt.Errorf("reading %s: resuming after a lost connection: the first %d rows differ from the ones already read (the table changed while it was read)", s.cfg.Name, rd.rows)
			}
			continue
		}
		rd.rows = seen
		b.append(s.src, s.logical, vals, seen)
		if b.rows < s.cfg.BatchRows {
			continue
		}
		rd.sum = h.Sum64()
		if err := b.emit(emit); err != nil {
			return false, fmt.Errorf("emitting %s rows up to row %d: %w", s.cfg.Name, seen, err)
		}
		if err := ctx.Err(); err != nil {
			return false, fmt.Errorf("reading %s row %d: %w", s.cfg.Name, seen, err)
		}
	}
	if err := cur.Err(); err != nil {
		return failed(fmt.Errorf("reading %s after row %d: %w", s.cfg.Name, seen, err))
	}
	if seen < rd.rows {
		return false, fmt.Errorf("reading %s: resuming after a lost connection: the result has %d rows, %d were already read (the table changed while it was read)", s.cfg.Name, seen, rd.rows)
	}
	if b.rows > 0 {
		if err := b.emit(emit); err != nil {
			return false, fmt.Errorf("emitting %s rows up to row %d: %w", s.cfg.Name, seen, err)
		}
	}
	return false, nil
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
