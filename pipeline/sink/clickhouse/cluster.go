package clickhouse

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/go-faster/city"

	"zengshou/config"
	"zengshou/internal/crashpoint"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse/clusterddl"
	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// Cluster is the warehouse on a ClickHouse cluster (docs/scale-out.md): a
// Sink per shard, each acting on its server's shard-local tables, driven
// together.
//
//   - Writes go straight to the shard that owns each row: the rows of a
//     batch are split by the table's sharding key, computed here exactly as
//     ClickHouse computes it (cityHash64 of the county code modulo the
//     number of shards, remote_servers order, equal weights), and each
//     shard's part is staged on that shard. No server forwards another's
//     rows, and each shard's staging tables are its own, so its swap needs
//     nothing from the others.
//   - Publication swaps shard by shard. Every shard first records the run
//     publishing; then each shard swaps its staged period in and records the
//     run published on itself, so each shard's etl_run says whether that
//     shard is done. The period is published on the cluster when every
//     shard says so. A process that dies in between leaves some shards
//     publishing: Connect (and Settle) first make every shard that still
//     says running say publishing too (every shard's staging was complete
//     before the first said publishing), then each shard completes its own
//     publication from its intact staging tables, as one node does.
//   - Dimensions, run records, the key fingerprint and staleness marks are
//     written to every shard.
//   - Reads — the history a period needs, reports, dashboards — go through
//     the Distributed tables of the first shard.
type Cluster struct {
	name   string
	shards []*Sink
	logger *slog.Logger
	// routes says, per sharded table, which column's cityHash64 places a
	// row ("" for rand(): spread by row number).
	routes map[string]string
}

var _ pipeline.Sink = (*Cluster)(nil)

// NewCluster returns an unconnected cluster sink for the configuration's
// cluster section; cfg gives the settings every shard's sink shares (its
// DSN is ignored: each shard has its own).
func NewCluster(cfg Config, c config.Cluster, logger *slog.Logger) (*Cluster, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	opts := clusterddl.ForCluster(c)
	migrations, err := schemas.Migrations()
	if err != nil {
		return nil, err
	}
	schema, err := clusterddl.Generate(schemas.Tables, migrations, opts)
	if err != nil {
		return nil, err
	}
	cl := &Cluster{name: c.Name, logger: logger, routes: map[string]string{}}
	for _, t := range schema.Tables {
		if t.Placement != clusterddl.Sharded {
			continue
		}
		col, err := routeColumn(t.ShardingKey)
		if err != nil {
			return nil, fmt.Errorf("placing the rows of %s: %w", t.Name, err)
		}
		cl.routes[t.Name] = col
	}
	for i, sh := range c.Shards {
		scfg := cfg
		scfg.DSN = sh.DSN
		s := New(scfg, logger.With("shard", i+1))
		s.shard = newShardRole(i, schema, opts)
		cl.shards = append(cl.shards, s)
	}
	return cl, nil
}

var hashOfColumn = regexp.MustCompile(`^cityHash64\(([A-Za-z_][A-Za-z0-9_]*)\)$`)

// routeColumn is the column a sharding key hashes ("" for rand()).
func routeColumn(key string) (string, error) {
	if key == "rand()" {
		return "", nil
	}
	if m := hashOfColumn.FindStringSubmatch(key); m != nil {
		return m[1], nil
	}
	return "", fmt.Errorf("sharding key %s: the writer places rows by cityHash64(column) or rand() only", key)
}

// ShardOf is the shard (0-based, remote_servers order) that a sharding key
// value belongs to on a cluster of n equally weighted shards: what
// ClickHouse's Distributed engine computes for cityHash64(value).
func ShardOf(value string, n int) int {
	return int(city.CH64([]byte(value)) % uint64(n))
}

// Shards is the number of shards.
func (c *Cluster) Shards() int { return len(c.shards) }

// Shard is the sink of shard i (0-based), for tests and tools.
func (c *Cluster) Shard(i int) *Sink { return c.shards[i] }

// each runs fn on every shard in order, naming the shard in an error.
func (c *Cluster) each(what string, fn func(i int, s *Sink) error) error {
	for i, s := range c.shards {
		if err := fn(i, s); err != nil {
			return fmt.Errorf("%s on shard %d of cluster %s: %w", what, i+1, c.name, err)
		}
	}
	return nil
}

// SetGuard gives every shard the period locks (one machine's locks guard
// the whole cluster's runs of a period).
func (c *Cluster) SetGuard(g PeriodGuard) {
	for _, s := range c.shards {
		s.SetGuard(g)
	}
}

// WrapConn wraps every shard's connection (see Sink.WrapConn).
func (c *Cluster) WrapConn(wrap func(driver.Conn) driver.Conn) {
	for _, s := range c.shards {
		s.WrapConn(wrap)
	}
}

// Connect connects every shard, completes on every shard a publication
// some shards had begun, then settles, migrates and repairs each shard as
// a single node's Connect does.
func (c *Cluster) Connect(ctx context.Context) error {
	if err := c.each("connecting", func(_ int, s *Sink) error { return s.open(ctx) }); err != nil {
		return err
	}
	if err := c.promote(ctx, nil, ""); err != nil {
		return err
	}
	return c.each("settling", func(_ int, s *Sink) error { return s.settleUp(ctx) })
}

// promote makes every shard on which a run still says running say
// publishing when another shard already says publishing or published: the
// run's staging was complete on every shard before the first one said
// publishing, so the publication must be completed everywhere (each
// shard's recovery then does it). period, when not nil, limits it to one
// period; self is left alone.
func (c *Cluster) promote(ctx context.Context, period *values.Month, self string) error {
	status := make([]map[string]string, len(c.shards))
	ids := map[string]bool{}
	err := c.each("reading run states", func(i int, s *Sink) error {
		status[i] = map[string]string{}
		existing, err := s.tables(ctx)
		if err != nil || !existing["etl_run"] {
			return err
		}
		states, err := s.runStates(ctx)
		if err != nil {
			return err
		}
		for _, st := range states {
			if st.id == self || (period != nil && st.period != *period) {
				continue
			}
			status[i][st.id] = st.status
			ids[st.id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		from := -1
		for i := range c.shards {
			if st := status[i][id]; st == pipeline.StatusPublishing || st == pipeline.StatusPublished {
				from = i
				break
			}
		}
		if from < 0 {
			continue
		}
		var run *pipeline.Run
		for i, s := range c.shards {
			if status[i][id] != pipeline.StatusRunning {
				continue
			}
			if run == nil {
				if run, err = c.shards[from].loadRun(ctx, id); err != nil {
					return err
				}
				run.Status = pipeline.StatusPublishing
			}
			c.logger.Warn("completing a cluster publication interrupted between shards",
				"run_id", id, "period", run.Period.String(), "shard", i+1, "publishing_on", from+1)
			if err := s.writeRun(ctx, run); err != nil {
				return fmt.Errorf("on shard %d: %w", i+1, err)
			}
		}
	}
	return nil
}

// Conn is the first shard's connection: its public names are the
// Distributed tables, so a query on it reads the whole cluster.
func (c *Cluster) Conn() driver.Conn { return c.shards[0].Conn() }

// Database is the warehouse database (the same on every shard).
func (c *Cluster) Database() string { return c.shards[0].Database() }

// Close closes every shard's connection.
func (c *Cluster) Close() error {
	var first error
	for _, s := range c.shards {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// History reads the period's history through the Distributed tables.
func (c *Cluster) History(ctx context.Context, period values.Month) (*model.History, error) {
	return c.shards[0].History(ctx, period)
}

// HistoryOf is History narrowed to counties (Sink.HistoryOf), through the
// Distributed tables.
func (c *Cluster) HistoryOf(ctx context.Context, period values.Month, counties []string) (*model.History, error) {
	return c.shards[0].HistoryOf(ctx, period, counties)
}

// Begin records the run and creates its staging tables on every shard.
func (c *Cluster) Begin(ctx context.Context, run *pipeline.Run) error {
	return c.each("beginning run "+run.ID, func(_ int, s *Sink) error { return s.Begin(ctx, run) })
}

// Record writes the run's state on every shard.
func (c *Cluster) Record(ctx context.Context, run *pipeline.Run) error {
	return c.each("recording run "+run.ID, func(_ int, s *Sink) error { return s.Record(ctx, run) })
}

// Stage splits the batch by the table's sharding key and stages each
// shard's rows on that shard.
func (c *Cluster) Stage(ctx context.Context, t schemas.Table, rec arrow.RecordBatch) error {
	parts, err := c.split(ctx, t, rec)
	if err != nil {
		return fmt.Errorf("staging %s: %w", t.Name, err)
	}
	defer func() {
		for _, p := range parts {
			if p != nil {
				p.Release()
			}
		}
	}()
	return c.each("staging "+t.Name, func(i int, s *Sink) error {
		if parts[i] == nil {
			return nil
		}
		return s.Stage(ctx, t, parts[i])
	})
}

// split returns each shard's rows of rec (nil for a shard with none); the
// caller releases them.
func (c *Cluster) split(ctx context.Context, t schemas.Table, rec arrow.RecordBatch) ([]arrow.RecordBatch, error) {
	n := len(c.shards)
	parts := make([]arrow.RecordBatch, n)
	col, sharded := c.routes[t.Name]
	if !sharded {
		return nil, fmt.Errorf("not a sharded table of cluster %s", c.name)
	}
	rows := int(rec.NumRows())
	var shardOf func(row int) int
	if col == "" {
		shardOf = func(row int) int { return row % n }
	} else {
		idx := slices.Index(t.Names(), col)
		if idx < 0 {
			return nil, fmt.Errorf("no column %s to place its rows by", col)
		}
		keys, ok := rec.Column(idx).(*array.String)
		if !ok {
			return nil, fmt.Errorf("column %s is %s, not a string", col, rec.Column(idx).DataType())
		}
		shardOf = func(row int) int { return ShardOf(keys.Value(row), n) }
	}
	indices := make([][]int32, n)
	for row := 0; row < rows; row++ {
		i := shardOf(row)
		indices[i] = append(indices[i], int32(row))
	}
	for i := range indices {
		switch len(indices[i]) {
		case 0:
		case rows:
			rec.Retain()
			parts[i] = rec
		default:
			b := array.NewInt32Builder(memory.DefaultAllocator)
			b.AppendValues(indices[i], nil)
			take := b.NewArray()
			b.Release()
			// NewDatum retains what it wraps; the datums are released here.
			from, which := compute.NewDatum(rec), compute.NewDatum(take)
			out, err := compute.Take(ctx, *compute.DefaultTakeOptions(), from, which)
			from.Release()
			which.Release()
			take.Release()
			if err != nil {
				for _, p := range parts {
					if p != nil {
						p.Release()
					}
				}
				return nil, fmt.Errorf("taking the rows of shard %d: %w", i+1, err)
			}
			parts[i] = out.(*compute.RecordDatum).Value
		}
	}
	return parts, nil
}

// ReplaceDimension replaces the dimension whole on every shard.
func (c *Cluster) ReplaceDimension(ctx context.Context, run *pipeline.Run, t schemas.Table, rec arrow.RecordBatch) error {
	return c.each("replacing "+t.Name, func(_ int, s *Sink) error { return s.ReplaceDimension(ctx, run, t, rec) })
}

// Publish publishes the run shard by shard (see Cluster): every shard
// records it publishing, then each swaps and records it published on
// itself; the staging tables are dropped once every shard is done.
func (c *Cluster) Publish(ctx context.Context, run *pipeline.Run) error {
	run.Status = pipeline.StatusPublishing
	if err := c.each("recording run "+run.ID+" publishing", func(i int, s *Sink) error {
		if err := s.writeRun(ctx, run); err != nil {
			return err
		}
		if i+1 < len(c.shards) {
			// The shards after i still say running.
			crashpoint.Hit(fmt.Sprintf("shard-publishing:%d", i+1))
		}
		return nil
	}); err != nil {
		return err
	}
	crashpoint.Hit("publishing")
	if run.Finished.IsZero() {
		run.Finished = time.Now().UTC()
	}
	published := *run
	published.Status = pipeline.StatusPublished
	err := c.each("publishing run "+run.ID, func(i int, s *Sink) error {
		if err := s.swapRun(ctx, run.ID, run.Period, nil); err != nil {
			return err
		}
		if err := s.writeRun(ctx, &published); err != nil {
			return err
		}
		crashpoint.Hit(fmt.Sprintf("shard-published:%d", i+1))
		return nil
	})
	if err != nil {
		return err
	}
	run.Status = pipeline.StatusPublished
	crashpoint.Hit("published")
	return c.each("dropping the staging tables of run "+run.ID, func(_ int, s *Sink) error { return s.dropStages(ctx, run.ID) })
}

// Fail records the run as failed on every shard — unless a shard already
// says publishing or published: the publication is then left for the
// recovery to complete on every shard.
func (c *Cluster) Fail(ctx context.Context, run *pipeline.Run) error {
	for i, s := range c.shards {
		st, err := s.runStatus(ctx, run.ID)
		if err != nil {
			return fmt.Errorf("on shard %d of cluster %s: %w", i+1, c.name, err)
		}
		if st == pipeline.StatusPublishing || st == pipeline.StatusPublished {
			c.logger.Warn("run failed while publishing; left for recovery", "run_id", run.ID, "shard", i+1, "status", st)
			return nil
		}
	}
	return c.each("failing run "+run.ID, func(_ int, s *Sink) error { return s.Fail(ctx, run) })
}

// Settle settles the period's runs left by dead processes on every shard,
// first completing on every shard a publication some shards had begun.
func (c *Cluster) Settle(ctx context.Context, period values.Month, self string) error {
	if err := c.promote(ctx, &period, self); err != nil {
		return err
	}
	return c.each("settling "+period.String(), func(_ int, s *Sink) error { return s.Settle(ctx, period, self) })
}

// CheckKey checks (and on a first run records) the key fingerprint on
// every shard.
func (c *Cluster) CheckKey(ctx context.Context, fingerprint, runID string) error {
	return c.each("checking the key", func(_ int, s *Sink) error { return s.CheckKey(ctx, fingerprint, runID) })
}

// Publication returns the period's publication when every shard holds the
// same one; shards that disagree are a publication in progress or
// interrupted (connecting again completes it), which is an error here.
func (c *Cluster) Publication(ctx context.Context, period values.Month) (*pipeline.Publication, error) {
	var first *pipeline.Publication
	var seen []string
	for i, s := range c.shards {
		pub, err := s.Publication(ctx, period)
		if err != nil {
			return nil, fmt.Errorf("on shard %d of cluster %s: %w", i+1, c.name, err)
		}
		id := "none"
		if pub != nil {
			id = pub.RunID
		}
		seen = append(seen, fmt.Sprintf("shard %d: %s", i+1, id))
		if i == 0 {
			first = pub
			continue
		}
		if (pub == nil) != (first == nil) || (pub != nil && pub.RunID != first.RunID) {
			return nil, fmt.Errorf("reading the publication of %s: the shards of cluster %s disagree (%s): a publication is in progress, or was interrupted and the next connection completes it",
				period, c.name, strings.Join(seen, ", "))
		}
	}
	return first, nil
}

// MarkStale marks stale periods on every shard (each shard's indicator
// rows, stale_period and etl_run are its own) and returns them; every
// shard must find the same.
func (c *Cluster) MarkStale(ctx context.Context) ([]values.Month, error) {
	var first []values.Month
	err := c.each("marking stale periods", func(i int, s *Sink) error {
		got, err := s.MarkStale(ctx)
		if err != nil {
			return err
		}
		if i == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			return fmt.Errorf("stale periods %s, but shard 1 found %s", joinMonths(got), joinMonths(first))
		}
		return nil
	})
	return first, err
}
