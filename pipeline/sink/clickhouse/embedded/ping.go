package embedded

import (
	"context"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// pingTimeout bounds one readiness probe; the caller polls.
const pingTimeout = 2 * time.Second

// ping opens a fresh native-protocol connection to addr and pings it.
func ping(ctx context.Context, addr string) error {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		DialTimeout: pingTimeout,
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	return conn.Ping(ctx)
}
