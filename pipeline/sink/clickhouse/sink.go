package clickhouse

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/internal/crashpoint"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Sink is the ClickHouse warehouse.
type Sink struct {
	cfg      Config
	logger   *slog.Logger
	conn     driver.Conn
	database string
	guard    PeriodGuard
	wrap     func(driver.Conn) driver.Conn
	// revives is true when the server may bring replaced parts back at a
	// restart (parts.go): publication then waits for their clean-up.
	revives bool
	// shard is set on the sinks a Cluster drives, one per shard: the
	// shard-local tables its swaps, repairs and mutations act on (nil on a
	// single node).
	shard *shardRole
}

var _ pipeline.Sink = (*Sink)(nil)

// New returns an unconnected sink.
func New(cfg Config, logger *slog.Logger) *Sink {
	return &Sink{cfg: cfg, logger: logger}
}

// Connect opens the connection, creates the database if missing, settles
// the runs dead processes left (completes a publication left half done),
// migrates the schema, drops the staging tables of finished runs and
// repairs any period a server restart revived superseded rows in.
func (s *Sink) Connect(ctx context.Context) error {
	if err := s.open(ctx); err != nil {
		return err
	}
	return s.settleUp(ctx)
}

// open validates the configuration, creates the database if missing and
// opens the connection.
func (s *Sink) open(ctx context.Context) error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	opts, _ := ch.ParseDSN(s.cfg.DSN)
	s.database = opts.Auth.Database
	if s.database == "" {
		s.database = DefaultDatabase
	}
	opts.DialTimeout = s.cfg.DialTimeout
	opts.Auth.Database = "default"
	boot, err := ch.Open(opts)
	if err != nil {
		return fmt.Errorf("connecting to clickhouse %s: %w", redact(s.cfg.DSN), err)
	}
	err = boot.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(s.database))
	boot.Close()
	if err != nil {
		return fmt.Errorf("creating database %s: %w", s.database, err)
	}
	opts.Auth.Database = s.database
	if s.conn, err = ch.Open(opts); err != nil {
		return fmt.Errorf("connecting to clickhouse %s: %w", redact(s.cfg.DSN), err)
	}
	if s.wrap != nil {
		s.conn = s.wrap(s.conn)
	}
	if s.revives, err = s.serverRevivesReplacedParts(ctx); err != nil {
		return err
	}
	return nil
}

// settleUp settles the runs dead processes left, migrates, drops finished
// runs' staging tables and repairs revived periods.
func (s *Sink) settleUp(ctx context.Context) error {
	// Recovery runs before migrating: an interrupted publication is
	// completed with the table structures it was staged for.
	if err := s.recover(ctx); err != nil {
		return err
	}
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if err := s.cleanStaleStages(ctx); err != nil {
		return err
	}
	return s.reconcile(ctx)
}

// WrapConn makes Connect pass the warehouse connection through wrap, which
// returns the connection every statement goes through (the recorder of the
// ClickHouse-versions test, internal/chcompat). Call it before Connect.
func (s *Sink) WrapConn(wrap func(driver.Conn) driver.Conn) { s.wrap = wrap }

// Conn is the open connection (for reports, dashboards tests and tools).
func (s *Sink) Conn() driver.Conn { return s.conn }

// Database is the warehouse database name.
func (s *Sink) Database() string { return s.database }

// Close closes the connection.
func (s *Sink) Close() error {
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}

// Stage appends a batch to the run's staging table of a published table;
// the run is the one the batch's run_id column names (one run per batch).
func (s *Sink) Stage(ctx context.Context, t schemas.Table, rec arrow.RecordBatch) error {
	if !t.Published {
		return fmt.Errorf("staging %s: not a published table", t.Name)
	}
	if rec.NumRows() == 0 {
		return nil
	}
	runID, err := batchRun(t, rec)
	if err != nil {
		return fmt.Errorf("staging %s: %w", t.Name, err)
	}
	if err := s.insert(ctx, stageOf(t, runID), t, rec); err != nil {
		return err
	}
	crashpoint.Hit("staged:" + t.Name)
	return nil
}

// batchRun is the run every row of a batch belongs to.
func batchRun(t schemas.Table, rec arrow.RecordBatch) (string, error) {
	idx := slices.Index(t.Names(), "run_id")
	if idx < 0 {
		return "", fmt.Errorf("no run_id column")
	}
	ids, ok := rec.Column(idx).(*array.String)
	if !ok {
		return "", fmt.Errorf("run_id is %s, not a string", rec.Column(idx).DataType())
	}
	first := ids.Value(0)
	for i := 1; i < ids.Len(); i++ {
		if ids.Value(i) != first {
			return "", fmt.Errorf("rows of runs %s and %s in one batch", first, ids.Value(i))
		}
	}
	return strings.Clone(first), nil
}

// insert sends rec into table name (with the columns of t) in batches.
func (s *Sink) insert(ctx context.Context, name string, t schemas.Table, rec arrow.RecordBatch) error {
	query := fmt.Sprintf("INSERT INTO %s (%s)", quoteIdent(name), strings.Join(t.Names(), ", "))
	n := rec.NumRows()
	var c columnAppender
	for from := int64(0); from < n; from += int64(s.cfg.BatchRows) {
		to := min(from+int64(s.cfg.BatchRows), n)
		slice := rec.NewSlice(from, to)
		err := s.sendBatch(ctx, query, t, slice, &c)
		slice.Release()
		if err != nil {
			return fmt.Errorf("inserting rows %d–%d into %s: %w", from, to, name, err)
		}
	}
	return nil
}

func (s *Sink) sendBatch(ctx context.Context, query string, t schemas.Table, rec arrow.RecordBatch, c *columnAppender) error {
	batch, err := s.conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer batch.Close() //nolint:errcheck // Close after Send is a no-op
	if err := fillBlock(batch, t, rec, c); err != nil {
		return err
	}
	return batch.Send()
}

// fillBlock appends every row of rec to the INSERT block of batch.
func fillBlock(batch driver.Batch, t schemas.Table, rec arrow.RecordBatch, c *columnAppender) error {
	cols := batch.Columns()
	if len(cols) != len(t.Columns) {
		return fmt.Errorf("the server's INSERT block has %d columns, %s has %d", len(cols), t.Name, len(t.Columns))
	}
	for i := range t.Columns {
		if err := c.appendColumn(cols[i], rec.Column(i), rec.Schema().Field(i).Nullable); err != nil {
			return fmt.Errorf("column %s: %w", t.Columns[i].Name, err)
		}
	}
	return nil
}

func partitionOf(m values.Month) string {
	return fmt.Sprintf("%04d%02d", m.Year(), m.Number())
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }
