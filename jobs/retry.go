package jobs

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"zengshou/config"
)

// RetryableCodes are the ClickHouse server error codes after which a run is
// tried again: the server was busy, overloaded or briefly unable to answer,
// not told something wrong. Every other code (a syntax error, an unknown
// table, a type mismatch …) is a bug or a configuration error and fails the
// run at once. docs/decisions.md lists them too.
var RetryableCodes = map[int32]string{
	3:   "UNEXPECTED_END_OF_FILE",
	32:  "ATTEMPT_TO_READ_AFTER_EOF",
	159: "TIMEOUT_EXCEEDED",
	164: "READONLY",
	202: "TOO_MANY_SIMULTANEOUS_QUERIES",
	203: "NO_FREE_CONNECTION",
	209: "SOCKET_TIMEOUT",
	210: "NETWORK_ERROR",
	241: "MEMORY_LIMIT_EXCEEDED",
	242: "TABLE_IS_READ_ONLY",
	252: "TOO_MANY_PARTS",
	319: "UNKNOWN_STATUS_OF_INSERT",
	425: "SYSTEM_ERROR",
}

// retryableErrnos are the network failures that a later attempt may not meet.
var retryableErrnos = []syscall.Errno{
	syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
	syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN,
}

// Retryable reports whether err is a ClickHouse or network error that a
// later attempt may not meet. Data and configuration errors (a missing
// roster, a misnamed file, a bad key) and cancellation are not.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		_, ok := RetryableCodes[ex.Code]
		return ok
	}
	for _, errno := range retryableErrnos {
		if errors.Is(err, errno) {
			return true
		}
	}
	var nerr net.Error
	switch {
	case errors.As(err, &nerr),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, clickhouse.ErrAcquireConnTimeout),
		errors.Is(err, driver.ErrBadConn):
		return true
	}
	return false
}

// Backoff is the wait before attempt n+1 after n failed attempts:
// min(Max, Initial·2^(n−1)), shortened or lengthened at random by up to
// Jitter of itself.
func Backoff(r config.Retry, n int) time.Duration {
	d := r.Initial
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	if r.Jitter > 0 {
		f := 1 - r.Jitter + 2*r.Jitter*rand.Float64()
		d = time.Duration(float64(d) * f)
	}
	return d
}

// sleep waits d or until ctx is done (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
