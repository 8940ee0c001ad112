// Package chcompat proves that the statements the program sends to
// ClickHouse behave the same on the Debian 18.16 server the tests run and on
// a current ClickHouse engine (chdb, libchdb.so of the npm package chdb).
//
// Recorder wraps a driver.Conn and keeps, in order, the text of every
// statement sent through it — Exec, Query, QueryRow, Select and every batch
// INSERT, the latter with its rows rendered as a VALUES literal — together
// with the function of the program that sent it. Replay runs such a record
// on both engines, statement by statement, and compares the result of every
// query.
package chcompat

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/shopspring/decimal"
)

// Statement kinds.
const (
	KindExec   = "exec"   // DDL, ALTER, TRUNCATE… (no result)
	KindInsert = "insert" // a batch INSERT with its rows as VALUES
	KindQuery  = "query"  // a statement whose result is compared
)

// Statement is one recorded statement.
type Statement struct {
	Kind   string
	SQL    string
	Caller string // the program's function that sent it, e.g. zengshou/reports.Headlines
	Err    string // why the statement cannot be replayed (bound arguments), or ""
}

// Recorder keeps the statements sent through the connections it wraps.
type Recorder struct {
	mu    sync.Mutex
	stmts []Statement
}

// Statements returns a copy of the record.
func (r *Recorder) Statements() []Statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Statement(nil), r.stmts...)
}

func (r *Recorder) add(kind, sql string, args []any) {
	st := Statement{Kind: kind, SQL: sql, Caller: caller()}
	if len(args) > 0 {
		st.Err = fmt.Sprintf("%d bound arguments: the replay sends statement text only", len(args))
	}
	r.mu.Lock()
	r.stmts = append(r.stmts, st)
	r.mu.Unlock()
}

// caller names the first function on the stack outside this package and
// the driver: the program's function that sent the statement.
func caller() string {
	pc := make([]uintptr, 32)
	n := runtime.Callers(3, pc)
	frames := runtime.CallersFrames(pc[:n])
	for {
		f, more := frames.Next()
		if !strings.Contains(f.Function, "zengshou/internal/chcompat.") &&
			!strings.Contains(f.Function, "clickhouse-go") {
			return f.Function
		}
		if !more {
			return "?"
		}
	}
}

// Wrap returns conn recording into r.
func (r *Recorder) Wrap(conn driver.Conn) driver.Conn { return &recConn{Conn: conn, r: r} }

type recConn struct {
	driver.Conn
	r *Recorder
}

func (c *recConn) Exec(ctx context.Context, query string, args ...any) error {
	c.r.add(KindExec, query, args)
	return c.Conn.Exec(ctx, query, args...)
}

func (c *recConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	c.r.add(KindQuery, query, args)
	return c.Conn.Query(ctx, query, args...)
}

func (c *recConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	c.r.add(KindQuery, query, args)
	return c.Conn.QueryRow(ctx, query, args...)
}

func (c *recConn) Select(ctx context.Context, dest any, query string, args ...any) error {
	c.r.add(KindQuery, query, args)
	return c.Conn.Select(ctx, dest, query, args...)
}

func (c *recConn) PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error) {
	b, err := c.Conn.PrepareBatch(ctx, query, opts...)
	if err != nil {
		return nil, err
	}
	return &recBatch{Batch: b, r: c.r, query: query, caller: caller()}, nil
}

type recBatch struct {
	driver.Batch
	r      *Recorder
	query  string
	caller string
}

// Send records the batch's rows as one INSERT … VALUES before sending them.
func (b *recBatch) Send() error {
	if b.Batch.Rows() > 0 {
		st := Statement{Kind: KindInsert, Caller: b.caller}
		sql, err := valuesInsert(b.query, b.Batch.Columns())
		if err != nil {
			st.SQL, st.Err = b.query, err.Error()
		} else {
			st.SQL = sql
		}
		b.r.mu.Lock()
		b.r.stmts = append(b.r.stmts, st)
		b.r.mu.Unlock()
	}
	return b.Batch.Send()
}

// valuesInsert renders the rows of cols after the INSERT INTO … (columns)
// of query as a VALUES literal.
func valuesInsert(query string, cols []column.Interface) (string, error) {
	var sb strings.Builder
	sb.WriteString(strings.TrimSpace(query))
	sb.WriteString(" VALUES")
	n := 0
	if len(cols) > 0 {
		n = cols[0].Rows()
	}
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("\n(")
		for j, c := range cols {
			if j > 0 {
				sb.WriteString(", ")
			}
			if err := writeLiteral(&sb, string(c.Type()), c.Row(i, false)); err != nil {
				return "", fmt.Errorf("column %s row %d: %w", c.Name(), i, err)
			}
		}
		sb.WriteByte(')')
	}
	return sb.String(), nil
}

// writeLiteral writes v, a value of ClickHouse type typ, as a SQL literal.
// Dates and times are written in UTC, the zone of the test servers.
func writeLiteral(sb *strings.Builder, typ string, v any) error {
	if inner, ok := strings.CutPrefix(typ, "Nullable("); ok {
		if v == nil || reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil() {
			sb.WriteString("NULL")
			return nil
		}
		typ = strings.TrimSuffix(inner, ")")
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
		v = rv.Elem().Interface()
	}
	if inner, ok := strings.CutPrefix(typ, "Array("); ok {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice {
			return fmt.Errorf("%s value %T is not a slice", typ, v)
		}
		inner = strings.TrimSuffix(inner, ")")
		sb.WriteByte('[')
		for i := range rv.Len() {
			if i > 0 {
				sb.WriteString(", ")
			}
			if err := writeLiteral(sb, inner, rv.Index(i).Interface()); err != nil {
				return err
			}
		}
		sb.WriteByte(']')
		return nil
	}
	switch x := v.(type) {
	case string:
		quote(sb, x)
	case time.Time:
		if strings.HasPrefix(typ, "DateTime") {
			quote(sb, x.UTC().Format(time.DateTime))
		} else {
			quote(sb, x.Format(time.DateOnly))
		}
	case decimal.Decimal:
		sb.WriteString(x.String())
	case bool:
		if x {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	case float32:
		sb.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
	case float64:
		sb.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		fmt.Fprintf(sb, "%d", x)
	default:
		return fmt.Errorf("no literal for a %s value of Go type %T", typ, v)
	}
	return nil
}

func quote(sb *strings.Builder, s string) {
	sb.WriteByte('\'')
	sb.WriteString(strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s))
	sb.WriteByte('\'')
}
