package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// cursor is a streamed result, the same for both drivers.
type cursor interface {
	Next() bool
	// Values returns the current row's columns as text, nil for NULL; the
	// slices are valid until the next call to Next.
	Values() ([][]byte, error)
	Err() error
	Close()
}

// pgCursor streams pgx rows in the text format.
type pgCursor struct {
	conn *pgx.Conn
	rows pgx.Rows
}

// openPostgres connects with pgx and starts the query, results in the text
// format so every column arrives as the text PostgreSQL prints for it.
func openPostgres(ctx context.Context, dsn, password, query string, args []any) (cursor, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, permanent{fmt.Errorf("parsing the dsn: %w", err)}
	}
	if password != "" {
		cfg.Password = password
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	rows, err := conn.Query(ctx, query, append([]any{pgx.QueryResultFormats{pgx.TextFormatCode}}, args...)...)
	if err != nil {
		_ = conn.Close(ctx)
		return nil, fmt.Errorf("querying: %w", err)
	}
	return &pgCursor{conn: conn, rows: rows}, nil
}

func (c *pgCursor) Next() bool                { return c.rows.Next() }
func (c *pgCursor) Values() ([][]byte, error) { return c.rows.RawValues(), nil }
func (c *pgCursor) Err() error                { return c.rows.Err() }
func (c *pgCursor) Close() {
	c.rows.Close()
	_ = c.conn.Close(context.Background())
}

// myCursor streams a MySQL result set; the driver reads rows off the
// connection as they are scanned (an unbuffered result).
type myCursor struct {
	db   *sql.DB
	rows *sql.Rows
	raw  []sql.RawBytes
	dest []any
	out  [][]byte
}

// openMySQL connects with go-sql-driver/mysql and starts the query. The
// period arguments are interpolated by the driver (text protocol), so every
// column arrives as the text MySQL prints for it.
func openMySQL(ctx context.Context, dsn, password, query string, args []any) (cursor, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, permanent{fmt.Errorf("parsing the dsn: %w", err)}
	}
	if password != "" {
		cfg.Passwd = password
	}
	cfg.InterpolateParams = true
	cfg.ParseTime = false
	// The driver logs a lost connection on stderr itself ("packets.go:58
	// unexpected EOF"), beside the error it returns: the error is what the
	// read reports (once, redacted), so the driver's own lines are dropped.
	cfg.Logger = quietLogger{}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, permanent{fmt.Errorf("parsing the dsn: %w", err)}
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connecting: %w", err)
	}
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("querying: %w", err)
	}
	cols, err := rows.Columns()
	if err != nil {
		_ = rows.Close()
		_ = db.Close()
		return nil, fmt.Errorf("querying: %w", err)
	}
	c := &myCursor{db: db, rows: rows, raw: make([]sql.RawBytes, len(cols)), dest: make([]any, len(cols)), out: make([][]byte, len(cols))}
	for i := range c.raw {
		c.dest[i] = &c.raw[i]
	}
	return c, nil
}

func (c *myCursor) Next() bool { return c.rows.Next() }
func (c *myCursor) Values() ([][]byte, error) {
	if err := c.rows.Scan(c.dest...); err != nil {
		return nil, err
	}
	for i, r := range c.raw {
		c.out[i] = r
	}
	return c.out, nil
}
func (c *myCursor) Err() error { return c.rows.Err() }
func (c *myCursor) Close() {
	_ = c.rows.Close()
	_ = c.db.Close()
}

// permanent marks an error retrying cannot help (a malformed DSN).
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// quietLogger drops the MySQL driver's own log lines.
type quietLogger struct{}

func (quietLogger) Print(...any) {}
