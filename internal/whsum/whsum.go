// Package whsum computes order-independent checksums of the warehouse's
// tables, so a refactoring can prove that a province loads into exactly the
// same rows before and after it (issue 11). A table's checksum is its row
// count and the wrapping UInt64 sum of cityHash64 over the text of the listed
// columns of each row: any changed, missing or extra row changes it, and
// duplicate rows do not cancel (as they would with an XOR).
package whsum

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"zengshou/schemas"
)

// Volatile columns differ between two loads of the same data (run ids,
// timestamps, versions, temporary file paths, error texts naming them) and
// are left out of every checksum.
var Volatile = []string{"run_id", "started_at", "finished_at", "marked_at", "recorded_at",
	"generated_at", "version", "files", "error", "superseded_by", "source_runs"}

// versioned tables keep several versions of a row until merges collapse them.
var versioned = []string{"etl_run", "stale_period", "report"}

// Checksum is one table's figures over a fixed list of columns.
type Checksum struct {
	Table   string
	Rows    uint64
	Sum     uint64
	Columns []string
}

// String is the line form written to and read from a checksum file.
func (c Checksum) String() string {
	return fmt.Sprintf("%s %d %d %s", c.Table, c.Rows, c.Sum, strings.Join(c.Columns, ","))
}

// Stable lists every table the migrations create with its non-volatile
// columns, as schemas.Tables names them now.
func Stable() []Checksum {
	var out []Checksum
	for _, t := range schemas.Tables {
		c := Checksum{Table: t.Name}
		for _, name := range t.Names() {
			if !slices.Contains(Volatile, name) {
				c.Columns = append(c.Columns, name)
			}
		}
		out = append(out, c)
	}
	return out
}

// Compute fills Rows and Sum of each checksum from the warehouse, over the
// checksum's own columns (so a file of earlier figures keeps its columns
// when tables gain new ones). A table that keeps versions of a row
// (ReplacingMergeTree: etl_run, stale_period, report) is read FINAL, so
// background merges do not change its figures.
//
// where narrows a table to some of its rows (by table name); exprs replaces
// a column by an expression of it (by "table.column"), e.g. to drop the
// sources added since from an array. Both say what a comparison leaves out.
func Compute(ctx context.Context, conn driver.Conn, want []Checksum, where, exprs map[string]string) ([]Checksum, error) {
	out := make([]Checksum, len(want))
	for i, c := range want {
		parts := make([]string, len(c.Columns))
		for j, col := range c.Columns {
			expr := col
			if e, ok := exprs[c.Table+"."+col]; ok {
				expr = e
			}
			parts[j] = fmt.Sprintf("ifNull(toString(%s), 'NULL')", expr)
		}
		from := c.Table
		if slices.Contains(versioned, c.Table) {
			from += " FINAL"
		}
		q := fmt.Sprintf("SELECT count(), sum(cityHash64(%s)) FROM %s", strings.Join(parts, ", "), from)
		if w := where[c.Table]; w != "" {
			q += " WHERE " + w
		}
		var rows, sum uint64
		if err := conn.QueryRow(ctx, q).Scan(&rows, &sum); err != nil {
			return nil, fmt.Errorf("checksumming %s: %w", c.Table, err)
		}
		out[i] = Checksum{Table: c.Table, Rows: rows, Sum: sum, Columns: c.Columns}
	}
	return out, nil
}

// Read parses a checksum file: one Checksum.String line per table; lines
// starting with # are comments.
func Read(path string) ([]Checksum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading checksums: %w", err)
	}
	defer f.Close()
	return parse(f, path)
}

func parse(r io.Reader, path string) ([]Checksum, error) {
	var out []Checksum
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("reading %s line %d: want table rows sum columns, got %q", path, n, line)
		}
		rows, err1 := strconv.ParseUint(f[1], 10, 64)
		sum, err2 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("reading %s line %d: rows and sum must be numbers, got %q %q", path, n, f[1], f[2])
		}
		out = append(out, Checksum{Table: f[0], Rows: rows, Sum: sum, Columns: strings.Split(f[3], ",")})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}
