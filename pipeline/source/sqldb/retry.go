package sqldb

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxBackoff caps the wait between two attempts.
const maxBackoff = 30 * time.Second

// retrier bounds the attempts of one Read: connecting, starting the query
// and the connections lost mid-read all count, ConnectAttempts in all, with
// a wait of RetryBackoff after the first failure, then twice as long each
// time.
type retrier struct {
	cfg      Config
	attempts int
	lost     int // connections lost after the query had started
	start    time.Time
	wait     time.Duration
}

func newRetrier(cfg Config) *retrier {
	return &retrier{cfg: cfg, start: time.Now(), wait: cfg.RetryBackoff}
}

// failed is called with an attempt's error: it waits and returns nil when
// another attempt may be made, or returns the error to fail the read with.
// Only connection errors are retried; any other (a wrong password, a
// missing table) fails at once.
func (r *retrier) failed(ctx context.Context, err error) error {
	if !transient(err) {
		return err
	}
	if r.attempts >= r.cfg.ConnectAttempts {
		why := "the database is unreachable"
		if r.lost > 0 {
			why = fmt.Sprintf("the connection was lost mid-read %d times", r.lost)
		}
		return fmt.Errorf("giving up after %d attempts in %s (%s; the previous publication stays): %w",
			r.attempts, time.Since(r.start).Round(time.Second), why, err)
	}
	select {
	case <-ctx.Done():
		return fmt.Errorf("waiting to retry: %w (after: %w)", ctx.Err(), err)
	case <-time.After(r.wait):
	}
	r.wait = min(2*r.wait, maxBackoff)
	return nil
}

// open connects and starts the query, retrying connection errors.
func (r *retrier) open(ctx context.Context, open func() (cursor, error)) (cursor, error) {
	for {
		r.attempts++
		cur, err := open()
		if err == nil {
			return cur, nil
		}
		if err := r.failed(ctx, err); err != nil {
			return nil, err
		}
	}
}

// transient reports whether err is a connection error another attempt may
// not meet: the server unreachable, refusing, resetting or shutting down.
func transient(err error) bool {
	var p permanent
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08 connection exception; 57P01..57P03 shutting down or
		// starting up.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		// Too many connections; server shutdown in progress; connection
		// killed (MariaDB's KILL).
		return myErr.Number == 1040 || myErr.Number == 1053 || myErr.Number == 1927
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn)
}
