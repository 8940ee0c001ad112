package sqldb

import (
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/schemas"
)

// benchRows is the size of the department table the benchmarks read.
const benchRows = 200_000

// civilCols maps the benchmark table's columns to the civil source.
var civilCols = map[string]string{"sfzh": "id_number", "jzlx": "aid_type", "ffny": "pay_month", "ffje": "amount", "bzzt": "coverage_status", "swrq": "death_date"}

const benchSelect = "SELECT ffje, ffny, jzlx, swrq, sfzh, bzzt FROM mz_jzff WHERE ffny = '202506'"

// BenchmarkRead reports rows/s reading a 200,000-row civil-affairs table
// (sfzh VARCHAR, ffje NUMERIC(12,2), ffny CHAR(6)) through the source, and,
// as dump-rows/s, the same SELECT dumped by the database's own client
// (psql \copy … to stdout, mariadb --batch) to /dev/null.
func BenchmarkRead(b *testing.B) {
	b.Run("postgres", func(b *testing.B) {
		dsn := testenv.Postgres(b)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		require.NoError(b, err)
		_, err = conn.Exec(ctx, `CREATE TABLE mz_jzff (xh INTEGER, sfzh VARCHAR(32), jzlx VARCHAR(20), ffny CHAR(6), ffje NUMERIC(12,2), bzzt VARCHAR(8), swrq DATE)`)
		require.NoError(b, err)
		_, err = conn.Exec(ctx, `INSERT INTO mz_jzff SELECT g, '3601021990' || lpad(g::text, 8, '0'), '城乡低保', '202506', 600 + (g % 400) + 0.5, '在保', NULL FROM generate_series(1, $1) g`, benchRows)
		require.NoError(b, err)
		_ = conn.Close(ctx)
		cfg, err := pgx.ParseConfig(dsn)
		require.NoError(b, err)
		dump := exec.Command("psql", "-h", cfg.Host, "-p", "5432", "-U", cfg.User, "-d", cfg.Database, "-qc", `\copy (`+benchSelect+`) to stdout`)
		benchSource(b, config.KindPostgres, dsn, dump)
	})
	b.Run("mariadb", func(b *testing.B) {
		dsn := testenv.MariaDB(b)
		mc, err := mysql.ParseDSN(dsn)
		require.NoError(b, err)
		db, err := sql.Open("mysql", dsn)
		require.NoError(b, err)
		_, err = db.Exec(`CREATE TABLE mz_jzff (xh INTEGER, sfzh VARCHAR(32), jzlx VARCHAR(20), ffny CHAR(6), ffje NUMERIC(12,2), bzzt VARCHAR(8), swrq DATE)`)
		require.NoError(b, err)
		_, err = db.Exec(`INSERT INTO mz_jzff SELECT seq, concat('3601021990', lpad(seq, 8, '0')), '城乡低保', '202506', 600 + (seq % 400) + 0.5, '在保', NULL FROM seq_1_to_200000`)
		require.NoError(b, err)
		_ = db.Close()
		dump := exec.Command("mariadb", "--batch", "-h", "127.0.0.1", "-u", mc.User, mc.DBName, "-e", benchSelect)
		benchSource(b, config.KindMySQL, dsn, dump)
	})
}

func benchSource(b *testing.B, kind, dsn string, dump *exec.Cmd) {
	src, err := schemas.SourceByName(schemas.Civil)
	require.NoError(b, err)
	cfg := Config{Source: schemas.Civil, Kind: kind, DSN: dsn, Table: "mz_jzff", PeriodColumn: "ffny",
		PeriodForm: config.PeriodCompactText, Columns: civilCols}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	s, err := New(cfg, src, june, os.Getenv, mem)
	require.NoError(b, err)

	// The client's dump of the same rows, best of three, for comparison.
	var dumpRate float64
	for i := 0; i < 3; i++ {
		cmd := exec.Command(dump.Path, dump.Args[1:]...)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		start := time.Now()
		require.NoError(b, cmd.Run())
		dumpRate = max(dumpRate, benchRows/time.Since(start).Seconds())
	}

	var got int64
	emit := func(rec arrow.RecordBatch) error { got += rec.NumRows(); return nil }
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got = 0
		if _, err := s.Read(context.Background(), emit); err != nil {
			b.Fatal(err)
		}
		if got != benchRows {
			b.Fatalf("read %d rows, want %d", got, benchRows)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(dumpRate, "dump-rows/s")
}
