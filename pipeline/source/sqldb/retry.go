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

// withRetry calls open up to cfg.ConnectAttempts times while it fails with a
// connection error, waiting RetryBackoff, then twice as long each time. Any
// other error (a wrong password, a missing table) fails at once.
func withRetry(ctx context.Context, cfg Config, open func() (cursor, error)) (cursor, error) {
	wait := cfg.RetryBackoff
	start := time.Now()
	for attempt := 1; ; attempt++ {
		cur, err := open()
		if err == nil {
			return cur, nil
		}
		if !transient(err) {
			return nil, err
		}
		if attempt >= cfg.ConnectAttempts {
			return nil, fmt.Errorf("giving up after %d attempts in %s (the database is unreachable; the previous publication stays): %w",
				attempt, time.Since(start).Round(time.Second), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting to retry: %w (after: %w)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(2*wait, maxBackoff)
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
		// Too many connections; server shutdown in progress.
		return myErr.Number == 1040 || myErr.Number == 1053
	}
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn)
}
