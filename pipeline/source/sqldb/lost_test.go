package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
)

// lostRows is the size of the table the lost-connection tests read: large
// enough that the server is still sending when the first batch is handed on.
const lostRows = 200_000

// department is a test database of one kind with a pension table of
// lostRows rows of June 2025, and a way to end the source's connection from
// another one, as a DBA would (pg_terminate_backend, KILL).
type department struct {
	kind string
	dsn  string
	exec func(ctx context.Context, q string) error
	// kill ends every connection but the test's own that runs a query on
	// the pension table; it returns how many it ended.
	kill func(ctx context.Context) (int, error)
}

func newDepartment(t *testing.T, kind string) department {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	d := department{kind: kind}
	create := `CREATE TABLE cxjmyl (xh INTEGER PRIMARY KEY, sfzh VARCHAR(18), ffny CHAR(6), yljje NUMERIC(12,2))`
	switch kind {
	case config.KindPostgres:
		d.dsn = testenv.Postgres(t)
		conn, err := pgx.Connect(ctx, d.dsn)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		d.exec = func(ctx context.Context, q string) error { _, err := conn.Exec(ctx, q); return err }
		require.NoError(t, d.exec(ctx, create))
		require.NoError(t, d.exec(ctx, fmt.Sprintf(`INSERT INTO cxjmyl
SELECT i, '3601021990' || lpad((i %% 100000000)::text, 8, '0'), '202506', 100 + (i %% 900) / 10.0 FROM generate_series(1, %d) AS i`, lostRows)))
		d.kill = func(ctx context.Context) (int, error) {
			var n int
			err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%cxjmyl%'`).Scan(&n)
			return n, err
		}
	default:
		d.dsn = testenv.MariaDB(t)
		cfg, err := mysql.ParseDSN(d.dsn)
		require.NoError(t, err)
		connector, err := mysql.NewConnector(cfg)
		require.NoError(t, err)
		db := sql.OpenDB(connector)
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		d.exec = func(ctx context.Context, q string) error { _, err := db.ExecContext(ctx, q); return err }
		require.NoError(t, d.exec(ctx, create))
		require.NoError(t, d.exec(ctx, "SET SESSION max_recursive_iterations = 1000000"))
		require.NoError(t, d.exec(ctx, fmt.Sprintf(`INSERT INTO cxjmyl
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)
SELECT i, concat('3601021990', lpad(i %% 100000000, 8, '0')), '202506', 100 + (i %% 900) / 10.0 FROM s`, lostRows)))
		d.kill = func(ctx context.Context) (int, error) {
			rows, err := db.QueryContext(ctx, `SELECT id FROM information_schema.processlist
WHERE db = DATABASE() AND id <> CONNECTION_ID() AND info LIKE '%cxjmyl%'`)
			if err != nil {
				return 0, err
			}
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return 0, err
				}
				ids = append(ids, id)
			}
			rows.Close()
			for _, id := range ids {
				if _, err := db.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil {
					return 0, err
				}
			}
			return len(ids), rows.Err()
		}
	}
	return d
}

// read reads the pension table through a Source; onBatch runs after each
// batch was collected, with the batch's number (from 1) and the number of
// the attempt (connection) it came from.
func (d department) read(t *testing.T, attempts int, onBatch func(n, attempt int)) (rows []string, s *Source, err error) {
	t.Helper()
	cfg := pensionConfig(d.kind)
	cfg.DSN, cfg.Table, cfg.BatchRows = d.dsn, "cxjmyl", 1000
	cfg.ConnectAttempts, cfg.RetryBackoff = attempts, 10*time.Millisecond
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, err = New(cfg, pension(t), june, func(string) string { return "" }, mem)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	batches := 0
	_, err = s.Read(ctx, func(rec arrow.RecordBatch) error {
		rows = append(rows, rowStrings(rec, func(line int64) string { return fmt.Sprint(line) })...)
		batches++
		if onBatch != nil {
			onBatch(batches, s.Attempts())
		}
		return nil
	})
	return rows, s, err
}

// TestAConnectionLostMidReadIsResumedOrFailsClearly ends the source's
// connection from another connection of the department's database
// (PostgreSQL's pg_terminate_backend, MariaDB's KILL) after the first batch
// of 1000 of 200 000 rows was handed on:
//
//   - once: the read runs the query again, checks that the first 1000 rows
//     (and those the client had received when the connection ended) are
//     the ones already handed on, and goes on; what it emitted is the
//     clean read's rows, in order, each once, lines 1..200 000;
//   - at every attempt: after ConnectAttempts (3) attempts, one error line
//     that says so, without the password;
//   - once, and a row already handed on changed before the retry: the read
//     fails at once saying the table changed, nothing retried further.
func TestAConnectionLostMidReadIsResumedOrFailsClearly(t *testing.T) {
	for _, kind := range []string{config.KindPostgres, config.KindMySQL} {
		t.Run(kind, func(t *testing.T) {
			d := newDepartment(t, kind)
			ctx := t.Context()
			clean, s, err := d.read(t, 3, nil)
			require.NoError(t, err)
			require.Len(t, clean, lostRows)
			require.Equal(t, 1, s.Attempts())

			t.Run("once", func(t *testing.T) {
				killed := 0
				got, s, err := d.read(t, 3, func(n, _ int) {
					if n == 1 {
						k, err := d.kill(ctx)
						require.NoError(t, err)
						killed += k
					}
				})
				require.NoError(t, err)
				require.Equal(t, 1, killed, "the source's connection was ended")
				require.Equal(t, 2, s.Attempts(), "one more connection")
				require.Equal(t, len(clean), len(got))
				require.Equal(t, clean, got, "the rows of a clean read, each once, in order")
			})

			t.Run("at every attempt", func(t *testing.T) {
				killed, last := 0, 0
				_, s, err := d.read(t, 3, func(_, attempt int) {
					if attempt == last {
						return // rows the client had received before the kill
					}
					last = attempt
					k, err := d.kill(ctx)
					require.NoError(t, err)
					killed += k
				})
				require.Error(t, err)
				require.Equal(t, 3, killed)
				require.Equal(t, 3, s.Attempts())
				msg := err.Error()
				t.Logf("%s", msg)
				require.Contains(t, msg, "reading "+kind+":cxjmyl: giving up after 3 attempts")
				require.Contains(t, msg, "the connection was lost mid-read 3 times; the previous publication stays")
				require.NotContains(t, msg, "\n")
			})

			t.Run("the table changed meanwhile", func(t *testing.T) {
				_, s, err := d.read(t, 3, func(n, _ int) {
					if n == 1 {
						_, err := d.kill(ctx)
						require.NoError(t, err)
						require.NoError(t, d.exec(ctx, "UPDATE cxjmyl SET yljje = yljje + 1 WHERE xh = 500"))
					}
				})
				require.Error(t, err)
				require.Regexp(t, `^reading `+kind+`:cxjmyl: resuming after a lost connection: the first [0-9]+ rows differ from the ones already read \(the table changed while it was read\)$`, err.Error())
				require.Equal(t, 2, s.Attempts())
			})
		})
	}
}
