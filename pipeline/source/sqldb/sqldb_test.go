package sqldb

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"zengshou/config"
	"zengshou/internal/testenv"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

func pension(t testing.TB) schemas.Source {
	t.Helper()
	s, err := schemas.SourceByName(schemas.Pension)
	require.NoError(t, err)
	return s
}

func pensionConfig(kind string) Config {
	return Config{
		Source: schemas.Pension, Kind: kind, DSN: "postgres://etl@127.0.0.1:1/rs", Table: "rs.cxjmyl",
		PeriodColumn: "ffny", PeriodForm: config.PeriodCompactText,
		Columns: map[string]string{"sfzh": "id_number", "ffny": "发放年月", "yljje": "amount"},
		OrderBy: []string{"xh"},
	}
}

var june = values.NewMonth(2025, 6)

func TestQuery(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Config)
		query string
		args  []any
	}{
		{name: "postgres, CHAR(6) period", edit: func(*Config) {},
			query: `SELECT "ffny", "sfzh", "yljje" FROM "rs"."cxjmyl" WHERE "ffny" = $1 ORDER BY "xh"`, args: []any{"202506"}},
		{name: "mysql, integer period", edit: func(c *Config) { c.Kind, c.PeriodForm = config.KindMySQL, config.PeriodCompact },
			query: "SELECT `ffny`, `sfzh`, `yljje` FROM `rs`.`cxjmyl` WHERE `ffny` = ? ORDER BY `xh`", args: []any{202506}},
		{name: "date period", edit: func(c *Config) { c.PeriodForm, c.PeriodColumn = config.PeriodDate, "ffrq" },
			query: `SELECT "ffny", "sfzh", "yljje" FROM "rs"."cxjmyl" WHERE "ffrq" >= $1 AND "ffrq" < $2 ORDER BY "xh"`, args: []any{"2025-06-01", "2025-07-01"}},
		{name: "yyyy-mm period, a query", edit: func(c *Config) {
			c.PeriodForm, c.Table, c.Query, c.OrderBy = config.PeriodYearMonth, "", "SELECT * FROM v_yl WHERE zt = '正常';", nil
		},
			query: `SELECT "ffny", "sfzh", "yljje" FROM (SELECT * FROM v_yl WHERE zt = '正常') AS zengshou_q WHERE "ffny" = $1`, args: []any{"2025-06"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pensionConfig(config.KindPostgres)
			tt.edit(&cfg)
			s, err := New(cfg, pension(t), june, os.Getenv, memory.NewGoAllocator())
			require.NoError(t, err)
			q, args := s.query()
			require.Equal(t, tt.query, q)
			require.Equal(t, tt.args, args)
		})
	}
}

func TestNewChecksTheMapping(t *testing.T) {
	tests := []struct {
		name string
		cols map[string]string
		want string
	}{
		{name: "unknown logical column", cols: map[string]string{"sfzh": "id_number", "ffny": "pay_month", "yljje": "amount", "bz": "remark"},
			want: `config sources[pension] columns: bz maps to "remark", which is no column of pension`},
		{name: "two columns onto one", cols: map[string]string{"sfzh": "id_number", "zjhm": "身份证号码", "ffny": "pay_month", "yljje": "amount"},
			want: "config sources[pension] columns: sfzh and zjhm both map to 身份证号 (id_number)"},
		{name: "required column unmapped", cols: map[string]string{"sfzh": "id_number", "ffny": "pay_month"},
			want: "config sources[pension] columns: required 养老金金额 (amount) not mapped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pensionConfig(config.KindPostgres)
			cfg.Columns = tt.cols
			_, err := New(cfg, pension(t), june, os.Getenv, memory.NewGoAllocator())
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestDBText(t *testing.T) {
	tests := []struct {
		v    string
		kind schemas.Kind
		want string
	}{
		{"360102199001011234    ", schemas.IDNumber, "360102199001011234"}, // CHAR(22) padding
		{"650.50", schemas.Money, "650.50"},
		{"2025-06-30", schemas.Date, "2025-06-30"},
		{"2025-06-30 00:00:00", schemas.Date, "2025-06-30"},
		{"2025-06-30T08:00:00+08:00", schemas.Date, "2025-06-30"},
		{"2025-06-01", schemas.Month, "2025-06"},
		{"2025-06-01 00:00:00", schemas.Month, "2025-06"},
		{"202506", schemas.Month, "202506"},
		{"t", schemas.YesNo, "true"},
		{"f", schemas.YesNo, "false"},
		{"是", schemas.YesNo, "是"},
		{"", schemas.Text, ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, dbText(tt.v, tt.kind), "%q", tt.v)
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor("s3cr3t!")
	for in, want := range map[string]string{
		"password authentication failed: s3cr3t!":                     "password authentication failed: ***",
		"cannot parse `postgres://etl:hunter2@db:5432/yb`":            "cannot parse `postgres://etl:***@db:5432/yb`",
		"host=db user=etl password=hunter2 dbname=yb":                 "host=db user=etl password=*** dbname=yb",
		"invalid DSN etl:hunter2@tcp(10.0.0.1:3306)/rs":               "invalid DSN etl:***@tcp(10.0.0.1:3306)/rs",
		"dial tcp 127.0.0.1:1: connect: connection refused":           "dial tcp 127.0.0.1:1: connect: connection refused",
		"reading postgres:yb_jsxx row 3: invalid input syntax for xx": "reading postgres:yb_jsxx row 3: invalid input syntax for xx",
	} {
		require.Equal(t, want, r.text(in))
	}
	require.ErrorIs(t, r.wrap(context.Canceled), context.Canceled)
}

// TestConnectionErrorsRetryThenFailWithoutThePassword: an unreachable
// server is tried ConnectAttempts times, then the read fails with one line
// that says so and holds no password.
func TestConnectionErrorsRetryThenFailWithoutThePassword(t *testing.T) {
	for _, kind := range []string{config.KindPostgres, config.KindMySQL} {
		t.Run(kind, func(t *testing.T) {
			cfg := pensionConfig(kind)
			if kind == config.KindMySQL {
				cfg.DSN = "etl@tcp(127.0.0.1:1)/rs"
			}
			cfg.PasswordEnv = "ZS_TEST_DB_PASSWORD"
			cfg.ConnectAttempts, cfg.RetryBackoff = 3, time.Millisecond
			getenv := func(string) string { return "pa55-w0rd" }
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			s, err := New(cfg, pension(t), june, getenv, mem)
			require.NoError(t, err)
			_, err = s.Read(context.Background(), func(arrow.RecordBatch) error { return nil })
			require.Error(t, err)
			require.Contains(t, err.Error(), "reading "+kind+":rs.cxjmyl: giving up after 3 attempts")
			require.Contains(t, err.Error(), "connection refused")
			require.NotContains(t, err.Error(), "pa55-w0rd")
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestPassword(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(file, []byte(" from-file\n"), 0o600))
	env := func(k string) string { return map[string]string{"PW": "from-env"}[k] }
	for _, tt := range []struct {
		name    string
		edit    func(*Config)
		want    string
		wantErr string
	}{
		{name: "none", edit: func(*Config) {}, want: ""},
		{name: "environment", edit: func(c *Config) { c.PasswordEnv = "PW" }, want: "from-env"},
		{name: "file", edit: func(c *Config) { c.PasswordFile = file }, want: "from-file"},
		{name: "empty variable", edit: func(c *Config) { c.PasswordEnv = "NONE" }, wantErr: "password: environment variable NONE is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pensionConfig(config.KindPostgres)
			tt.edit(&cfg)
			s, err := New(cfg, pension(t), june, env, memory.NewGoAllocator())
			require.NoError(t, err)
			got, err := s.password()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// TestReadPostgres reads a department table with each column type the
// departments use, restricted to the period, in ordinal order, and a wrong
// table fails at once (no retry) naming the source.
func TestReadPostgres(t *testing.T) {
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE mz_ff (xh INTEGER, sfzh CHAR(18), jzlx VARCHAR(20), ffrq TIMESTAMP, ffje NUMERIC(12,2), swrq DATE, sfzx BOOLEAN);
INSERT INTO mz_ff VALUES
 (2, '36010219900101567X', '死亡登记', '2025-06-15 10:00:00', 0, '2025-06-03', true),
 (1, '360102199001011234', '城乡低保', '2025-06-01 00:00:00', 650.5, NULL, false),
 (3, '360102199001019999', '城乡低保', '2025-07-01 00:00:00', 650, NULL, false)`)
	require.NoError(t, err)
	src, err := schemas.SourceByName(schemas.Civil)
	require.NoError(t, err)
	cfg := Config{Source: schemas.Civil, Kind: config.KindPostgres, DSN: dsn, Table: "mz_ff",
		PeriodColumn: "ffrq", PeriodForm: config.PeriodDate, OrderBy: []string{"xh"},
		Columns: map[string]string{"sfzh": "id_number", "jzlx": "aid_type", "ffrq": "pay_month", "ffje": "amount", "swrq": "death_date"}}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, err := New(cfg, src, june, os.Getenv, mem)
	require.NoError(t, err)
	require.Equal(t, "postgres:mz_ff", s.Name())
	var got []string
	_, err = s.Read(ctx, func(rec arrow.RecordBatch) error {
		got = append(got, rowStrings(rec, func(line int64) string { return time.Duration(line).String() })...)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{
		"360102199001011234|城乡低保|2025-06|650.50|||1ns|",
		"36010219900101567X|死亡登记|2025-06|0.00||2025-06-03|2ns|",
	}, got)

	cfg.Table = "no_such_table"
	s, err = New(cfg, src, june, os.Getenv, mem)
	require.NoError(t, err)
	_, err = s.Read(ctx, func(arrow.RecordBatch) error { return nil })
	require.ErrorContains(t, err, `reading postgres:no_such_table: querying: ERROR: relation "no_such_table" does not exist`)
	require.NotContains(t, err.Error(), "giving up")
}

// rowStrings renders each row of rec as its text cells joined by "|", the
// int64 cells (the row's _line) through line.
func rowStrings(rec arrow.RecordBatch, line func(int64) string) []string {
	var rows []string
	for i := 0; i < int(rec.NumRows()); i++ {
		var cells []string
		for c := 0; c < int(rec.NumCols()); c++ {
			switch col := rec.Column(c).(type) {
			case *array.String:
				cells = append(cells, col.Value(i))
			case *array.Int64:
				cells = append(cells, line(col.Value(i)))
			}
		}
		rows = append(rows, strings.Join(cells, "|"))
	}
	return rows
}
