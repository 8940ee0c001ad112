package clickhouse

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"zengshou/pipeline/sink/clickhouse/clusterddl"
	"zengshou/schemas"
)

// shardRole is what makes a Sink one shard of a Cluster: the cluster DDL
// (which tables are shard-local under another name) and the shard's place
// in remote_servers order.
type shardRole struct {
	// index is the shard's position (0-based) in remote_servers order.
	index int
	// schema is the cluster DDL a new shard is created from.
	schema clusterddl.Schema
	// opts name the cluster and database of the Distributed tables.
	opts clusterddl.Options
	// local maps the public name of each sharded table to its shard-local
	// table; tables kept whole on every shard are not in it.
	local map[string]string
	// keys maps the public name of each sharded table to its sharding key.
	keys map[string]string
}

func newShardRole(index int, schema clusterddl.Schema, opts clusterddl.Options) *shardRole {
	r := &shardRole{index: index, schema: schema, opts: opts, local: map[string]string{}, keys: map[string]string{}}
	for _, t := range schema.Tables {
		if t.Placement == clusterddl.Sharded {
			r.local[t.Name], r.keys[t.Name] = t.Local, t.ShardingKey
		}
	}
	return r
}

// localName is the table that holds this server's rows of the table
// called name: its shard-local table on a shard of a cluster, the table
// itself on a single node or for a table kept whole on every shard.
func (s *Sink) localName(name string) string {
	if s.shard != nil {
		if local, ok := s.shard.local[name]; ok {
			return local
		}
	}
	return name
}

// createShardSchema creates a new shard's whole warehouse from the cluster
// DDL and records every migration as applied (the DDL is what they leave).
// created is false when the database already holds warehouse tables (a
// shard whose schema_migrations was lost is not recreated over its data).
func (s *Sink) createShardSchema(ctx context.Context, migrations []schemas.Migration) (created bool, err error) {
	existing, err := s.tables(ctx)
	if err != nil {
		return false, err
	}
	for _, t := range s.shard.schema.Tables {
		if existing[t.Local] || existing[t.Name] {
			return false, nil
		}
	}
	for _, m := range migrations {
		if m.Version > s.shard.schema.Version {
			return false, fmt.Errorf("creating the schema of shard %d: migration %s is newer than the cluster DDL (version %d)",
				s.shard.index+1, m.Name, s.shard.schema.Version)
		}
	}
	for _, stmt := range s.shard.schema.Statements() {
		if err := s.conn.Exec(ctx, stmt); err != nil {
			return false, fmt.Errorf("creating the schema of shard %d: %s: %w", s.shard.index+1, firstLine(stmt), err)
		}
	}
	for _, m := range migrations {
		if err := s.recordMigration(ctx, m); err != nil {
			return false, fmt.Errorf("recording migration %s on shard %d: %w", m.Name, s.shard.index+1, err)
		}
	}
	s.logger.Info("shard schema created from the cluster DDL", "shard", s.shard.index+1, "version", s.shard.schema.Version, "database", s.database)
	return true, nil
}

func firstLine(stmt string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(stmt), "\n")
	return line
}

var (
	alterTable  = regexp.MustCompile(`(?is)^ALTER TABLE\s+([A-Za-z0-9_]+)\s+(.*)$`)
	createTable = regexp.MustCompile(`(?is)^CREATE TABLE\s+(IF NOT EXISTS\s+)?([A-Za-z0-9_]+)\s*(\(.*)$`)
	dropTable   = regexp.MustCompile(`(?is)^DROP TABLE\s+(IF EXISTS\s+)?([A-Za-z0-9_]+)\s*$`)
	renameTable = regexp.MustCompile(`(?is)^RENAME TABLE\s+(.*)$`)
	hasCounty   = regexp.MustCompile(`(?m)(^|[(,])\s*county_code\s`)
)

// statements turns a migration's statements into what a shard runs: a
// statement on a sharded table is run on its shard-local table and on the
// Distributed table over it (ClickHouse alters a Distributed table's
// columns like any other's; it holds no data); a new table with a
// county_code is created shard-local with a Distributed table sharded by
// county, and a dropped one loses both. Every other statement runs as it
// is. RENAME of a sharded table and CREATE on a replicated cluster are
// refused: the first would leave the Distributed table naming the old local
// table, the second would create a plain MergeTree beside replicated ones.
func (r *shardRole) statements(m schemas.Migration) ([]string, error) {
	var out []string
	for i, stmt := range m.Statements {
		stmt = strings.TrimSpace(stmt)
		refuse := func(why string) error {
			return fmt.Errorf("applying migration %s statement %d on shard %d: %s", m.Name, i+1, r.index+1, why)
		}
		switch {
		case alterTable.MatchString(stmt):
			g := alterTable.FindStringSubmatch(stmt)
			if local, ok := r.local[g[1]]; ok {
				out = append(out, "ALTER TABLE "+local+" "+g[2], stmt)
				continue
			}
		case createTable.MatchString(stmt):
			g := createTable.FindStringSubmatch(stmt)
			name := g[2]
			if _, known := r.local[name]; !known && !hasCounty.MatchString(g[3]) {
				break // kept whole on every shard, like the tables without a county
			}
			if r.opts.Replicated {
				return nil, refuse("a migration creating a sharded table on a replicated cluster: create it with the Replicated engine of clusterddl by hand")
			}
			local := name + clusterddl.LocalSuffix
			key := r.keys[name]
			if key == "" {
				key = clusterddl.CountyKey
			}
			r.local[name], r.keys[name] = local, key
			out = append(out, "CREATE TABLE IF NOT EXISTS "+local+" "+g[3],
				fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s AS %s ENGINE = Distributed(%s, %s, %s, %s)",
					name, local, r.opts.Cluster, r.opts.Database, local, key))
			continue
		case dropTable.MatchString(stmt):
			g := dropTable.FindStringSubmatch(stmt)
			if local, ok := r.local[g[2]]; ok {
				out = append(out, "DROP TABLE IF EXISTS "+g[2], "DROP TABLE IF EXISTS "+local)
				continue
			}
		case renameTable.MatchString(stmt):
			for name := range r.local {
				if regexp.MustCompile(`\b` + name + `\b`).MatchString(stmt) {
					return nil, refuse("RENAME TABLE of the sharded table " + name + " is not supported on a cluster (the Distributed table would keep naming the old local table): drop and recreate the Distributed table in the migration instead")
				}
			}
		}
		out = append(out, stmt)
	}
	return out, nil
}
