// Package querytime times the queries sent through a ClickHouse connection:
// Timer wraps a driver.Conn and keeps, in order, each query's label, the
// function of the program that sent it, its wall time from sending to the
// last row read, and the rows read. The bench uses the record to show how
// long dashboard panels and report builds wait on the warehouse (issue 12:
// every panel and report query ≤ 300 ms on the province warehouse).
//
// Only reads are timed (Query, QueryRow, Select); Exec and batch inserts
// pass through untimed.
package querytime

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Query is one timed query.
type Query struct {
	// Query is the query's label: the first line of its SQL, shortened
	// (a dashboard check uses "dashboard / panel").
	Query string `json:"query"`
	// Caller is the program's function that sent it, e.g.
	// reports.(*loader).loadLedger ("" when not known).
	Caller string `json:"caller,omitempty"`
	// Ms is the wall time from sending the query to its last row read.
	Ms float64 `json:"ms"`
	// Rows is the number of rows read.
	Rows int `json:"rows"`
}

// Millis converts a duration to the record's milliseconds.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// maxLabel is the longest label kept, in characters.
const maxLabel = 80

// Label is the first non-empty line of sql with its runs of white space
// collapsed, cut to 80 characters (an ellipsis marks the cut).
func Label(sql string) string {
	line := ""
	for l := range strings.Lines(sql) {
		if l = strings.TrimSpace(l); l != "" {
			line = l
			break
		}
	}
	line = strings.Join(strings.Fields(line), " ")
	if utf8.RuneCountInString(line) <= maxLabel {
		return line
	}
	r := []rune(line)
	return string(r[:maxLabel-1]) + "…"
}

// Timer keeps the times of the queries sent through the connections it
// wraps; it is safe for concurrent use.
type Timer struct {
	mu      sync.Mutex
	queries []Query
}

// Queries returns a copy of the record, in the order the queries finished.
func (t *Timer) Queries() []Query {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Query(nil), t.queries...)
}

func (t *Timer) add(q Query) {
	t.mu.Lock()
	t.queries = append(t.queries, q)
	t.mu.Unlock()
}

// Wrap returns conn timing its queries into t.
func (t *Timer) Wrap(conn driver.Conn) driver.Conn { return &timedConn{Conn: conn, t: t} }

// WriteFile writes queries to path as a JSON array of {query, caller, ms, rows}.
func WriteFile(path string, queries []Query) error {
	if queries == nil {
		queries = []Query{}
	}
	b, err := json.MarshalIndent(queries, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the query times: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the query times to %s: %w", path, err)
	}
	return nil
}

// ReadFile reads what WriteFile wrote.
func ReadFile(path string) ([]Query, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the query times: %w", err)
	}
	var qs []Query
	if err := json.Unmarshal(b, &qs); err != nil {
		return nil, fmt.Errorf("reading the query times of %s: %w", path, err)
	}
	return qs, nil
}

type timedConn struct {
	driver.Conn
	t *Timer
}

// pending is a query sent and not yet read to its end.
type pending struct {
	t     *Timer
	q     Query
	start time.Time
	once  sync.Once
}

func (c *timedConn) start(sql string) *pending {
	return &pending{t: c.t, q: Query{Query: Label(sql), Caller: caller()}, start: time.Now()}
}

// done records the query once, with its time up to now.
func (p *pending) done() {
	p.once.Do(func() {
		p.q.Ms = Millis(time.Since(p.start))
		p.t.add(p.q)
	})
}

func (c *timedConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	p := c.start(query)
	rows, err := c.Conn.Query(ctx, query, args...)
	if err != nil {
		p.done()
		return nil, err
	}
	return &timedRows{Rows: rows, p: p}, nil
}

func (c *timedConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	p := c.start(query)
	return &timedRow{Row: c.Conn.QueryRow(ctx, query, args...), p: p}
}

func (c *timedConn) Select(ctx context.Context, dest any, query string, args ...any) error {
	p := c.start(query)
	err := c.Conn.Select(ctx, dest, query, args...)
	if v := reflect.ValueOf(dest); err == nil && v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Slice {
		p.q.Rows = v.Elem().Len()
	}
	p.done()
	return err
}

// timedRows counts the rows read and records the query when the last is read
// (Next returns false) or, if never read to the end, when closed.
type timedRows struct {
	driver.Rows
	p *pending
}

func (r *timedRows) Next() bool {
	if r.Rows.Next() {
		r.p.q.Rows++
		return true
	}
	r.p.done()
	return false
}

func (r *timedRows) Close() error {
	err := r.Rows.Close()
	r.p.done()
	return err
}

// timedRow records the query when its row is scanned.
type timedRow struct {
	driver.Row
	p *pending
}

func (r *timedRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	r.scanned(err)
	return err
}

func (r *timedRow) ScanStruct(dest any) error {
	err := r.Row.ScanStruct(dest)
	r.scanned(err)
	return err
}

func (r *timedRow) scanned(err error) {
	if err == nil {
		r.p.q.Rows = 1
	}
	r.p.done()
}

// caller names the first function on the stack outside this package and
// the driver, without the module's path: the program's function that sent
// the query.
func caller() string {
	pc := make([]uintptr, 32)
	n := runtime.Callers(3, pc)
	frames := runtime.CallersFrames(pc[:n])
	for {
		f, more := frames.Next()
		if !strings.Contains(f.Function, "zengshou/internal/querytime.") &&
			!strings.Contains(f.Function, "clickhouse-go") {
			return strings.TrimPrefix(f.Function, "zengshou/")
		}
		if !more {
			return ""
		}
	}
}
