package dashboards

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Result is what one panel's query returned.
type Result struct {
	PanelQuery
	// Expanded is the SQL that was run.
	Expanded string
	// Got are the result's column names.
	Got []string
	// Rows is the number of rows returned.
	Rows int
	// Took is the query's wall time, from sending it to its last row read.
	Took time.Duration
}

// Check runs every panel's and variable's query, with macros and variables
// expanded to v, on conn (meant to be the read-only account) and reports
// what each returned and how long it took. It stops at the first query that fails.
func Check(ctx context.Context, conn driver.Conn, v Values) ([]Result, error) {
	var out []Result
	for _, q := range Queries() {
		sql, err := Expand(q.SQL, v)
		if err != nil {
			return out, fmt.Errorf("checking panel %s / %s: %w", q.Dashboard, q.Panel, err)
		}
		r := Result{PanelQuery: q, Expanded: sql}
		start := time.Now()
		rows, err := conn.Query(ctx, sql)
		if err != nil {
			return out, fmt.Errorf("checking panel %s / %s: running %s: %w", q.Dashboard, q.Panel, sql, err)
		}
		r.Got = rows.Columns()
		for rows.Next() {
			r.Rows++
		}
		r.Took = time.Since(start)
		err = rows.Err()
		rows.Close()
		if err != nil {
			return out, fmt.Errorf("checking panel %s / %s: reading rows of %s: %w", q.Dashboard, q.Panel, sql, err)
		}
		out = append(out, r)
	}
	return out, nil
}
