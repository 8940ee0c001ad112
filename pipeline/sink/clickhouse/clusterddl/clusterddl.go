// Package clusterddl generates the warehouse's DDL for a ClickHouse cluster
// (docs/scale-out.md): on every shard, a shard-local table <name>_local for
// each table whose rows are spread over the shards, with a Distributed table
// under the public name over them, and a whole copy, under its public name,
// of each table every shard keeps complete (the dimensions and the
// operational records). It is a pure function of schemas.Tables and the
// migrations: the columns and types are those of schemas.Tables, the
// COMMENTs, DEFAULTs and engine clauses those the migrations leave, so a
// cluster gets the schema a single node has after its last migration.
//
// The SQL stays within what ClickHouse 18.16 and current releases both run:
// the Distributed engine with a sharding expression, CREATE TABLE with
// column COMMENTs, and (optionally, not run in this project's tests)
// ReplicatedMergeTree with the {shard} and {replica} macros.
package clusterddl

import (
	"fmt"
	"regexp"
	"strings"

	"zengshou/config"
	"zengshou/schemas"
)

// LocalSuffix ends the name of a shard-local table: person_month_local on
// every shard holds that shard's rows; person_month, the Distributed table,
// reads and writes all of them. The public names stay those of a single
// node, so analysts', dashboards' and reports' SQL does not change.
const LocalSuffix = "_local"

// Placement says where a table's rows live.
type Placement int

const (
	// Sharded tables spread their rows over the shards by a sharding key:
	// a shard-local table on every shard and a Distributed table over them.
	Sharded Placement = iota
	// EveryShard tables are whole on every shard, under their public name,
	// with no Distributed table: the dimensions, which a shard's part of a
	// distributed query joins locally, and the operational records of runs.
	EveryShard
)

func (p Placement) String() string {
	if p == Sharded {
		return "sharded"
	}
	return "every shard"
}

// CountyKey is the sharding key of every table with a county_code: a
// county's households, persons, findings and sales sit on one shard, so a
// join or a year-to-date read by household never leaves the shard.
const CountyKey = "cityHash64(county_code)"

// placements are the tables without a county_code: where their rows live
// and why (docs/scale-out.md gives the reasons at length). A new table
// without a county_code must be added here: Generate refuses one it does not
// know rather than guess.
var placements = map[string]struct {
	placement Placement
	key       string
}{
	// A county row's region_code is the county code, so a county's
	// indicator rows sit on the shard of its households; province, city and
	// group rows spread by their codes.
	"indicator": {Sharded, "cityHash64(region_code)"},
	// Quarantined rows belong to no county (the row may not even parse):
	// spread evenly.
	"quarantine": {Sharded, "rand()"},
	// Run records and their companions are tiny. Each shard keeps its own
	// copy (ReplacingMergeTree … FINAL stays shard-local, and a shard's
	// record can say what that shard has done).
	"etl_run":         {EveryShard, ""},
	"report":          {EveryShard, ""},
	"stale_period":    {EveryShard, ""},
	"key_fingerprint": {EveryShard, ""},
}

// Options name the cluster and the database.
type Options struct {
	// Cluster is the cluster's name in the servers' remote_servers.
	Cluster string
	// Database is the warehouse database, the same on every shard.
	Database string
	// Replicated makes every table a Replicated*MergeTree at
	// /clickhouse/tables/{shard}/<database>/<table> with replica
	// '{replica}': each server needs the shard and replica macros and a
	// ZooKeeper (18.16) or ClickHouse Keeper section. Not run here.
	Replicated bool
}

// Table is the DDL of one warehouse table on a cluster.
type Table struct {
	// Name is the public name (the table analysts query).
	Name string
	// Placement says where its rows live.
	Placement Placement
	// Local is the table created on every shard: <name>_local for a sharded
	// table, the public name for an EveryShard one.
	Local string
	// ShardingKey is the Distributed table's sharding expression (sharded
	// tables only).
	ShardingKey string
	// CreateLocal is the CREATE TABLE of Local, run on every shard.
	CreateLocal string
	// CreateDistributed is the CREATE TABLE of the Distributed table under
	// the public name, run on every shard; empty for EveryShard tables.
	CreateDistributed string
}

// Schema is the cluster DDL of the whole warehouse.
type Schema struct {
	// Version is the last migration the schema includes; a shard created
	// from it has every migration up to Version applied.
	Version uint32
	// Tables are in the order of schemas.Tables.
	Tables []Table
}

// Statements returns what to run on every shard, in order: each table's
// local CREATE, then each Distributed CREATE (a Distributed table needs its
// local table on the server it is created on).
func (s Schema) Statements() []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.CreateLocal)
	}
	for _, t := range s.Tables {
		if t.CreateDistributed != "" {
			out = append(out, t.CreateDistributed)
		}
	}
	return out
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Generate returns the cluster DDL of tables as the migrations leave them.
// It fails when a table or column of tables is not what the migrations
// create, or when a table without a county_code has no placement.
func Generate(tables []schemas.Table, migrations []schemas.Migration, opts Options) (Schema, error) {
	if !identifier.MatchString(opts.Cluster) {
		return Schema{}, fmt.Errorf("generating cluster DDL: cluster name %q is not an identifier ([A-Za-z_][A-Za-z0-9_]*)", opts.Cluster)
	}
	if !identifier.MatchString(opts.Database) {
		return Schema{}, fmt.Errorf("generating cluster DDL: database %q is not an identifier ([A-Za-z_][A-Za-z0-9_]*)", opts.Database)
	}
	migrated, err := replay(migrations)
	if err != nil {
		return Schema{}, fmt.Errorf("generating cluster DDL: %w", err)
	}
	var s Schema
	for _, m := range migrations {
		if m.Version > s.Version {
			s.Version = m.Version
		}
	}
	for _, t := range tables {
		mt, ok := migrated[t.Name]
		if !ok {
			return Schema{}, fmt.Errorf("generating cluster DDL of %s: no migration creates it", t.Name)
		}
		cols, err := columnsOf(t, mt)
		if err != nil {
			return Schema{}, fmt.Errorf("generating cluster DDL of %s: %w", t.Name, err)
		}
		ct, err := placeTable(t)
		if err != nil {
			return Schema{}, fmt.Errorf("generating cluster DDL of %s: %w", t.Name, err)
		}
		engine := mt.engine
		if opts.Replicated {
			if engine, err = replicated(engine, opts.Database, ct.Local); err != nil {
				return Schema{}, fmt.Errorf("generating cluster DDL of %s: %w", t.Name, err)
			}
		}
		ct.CreateLocal = createTable(ct.Local, cols, engine)
		if ct.Placement == Sharded {
			ct.CreateDistributed = createTable(ct.Name, cols,
				fmt.Sprintf("ENGINE = Distributed(%s, %s, %s, %s)", opts.Cluster, opts.Database, ct.Local, ct.ShardingKey))
		}
		s.Tables = append(s.Tables, ct)
	}
	return s, nil
}

// columnsOf returns t's columns with the DEFAULTs and COMMENTs of the
// migrated table, checking that the migrations give exactly t's columns,
// types and order.
func columnsOf(t schemas.Table, mt *migratedTable) ([]migratedColumn, error) {
	if len(mt.columns) != len(t.Columns) {
		return nil, fmt.Errorf("the migrations give %d columns, schemas.Tables %d", len(mt.columns), len(t.Columns))
	}
	out := make([]migratedColumn, len(t.Columns))
	for i, c := range t.Columns {
		m := mt.columns[i]
		if m.name != c.Name || m.typ != c.Type {
			return nil, fmt.Errorf("column %d is %s %s after the migrations, %s %s in schemas.Tables", i+1, m.name, m.typ, c.Name, c.Type)
		}
		out[i] = m
	}
	return out, nil
}

func placeTable(t schemas.Table) (Table, error) {
	ct := Table{Name: t.Name}
	hasCounty := false
	for _, c := range t.Columns {
		if c.Name == "county_code" {
			hasCounty = true
		}
	}
	switch p, known := placements[t.Name]; {
	case t.Dimension:
		ct.Placement = EveryShard
	case hasCounty:
		ct.Placement, ct.ShardingKey = Sharded, CountyKey
	case known:
		ct.Placement, ct.ShardingKey = p.placement, p.key
	default:
		return Table{}, fmt.Errorf("no county_code and no placement: say in clusterddl.placements whether it is sharded (and by what) or kept whole on every shard")
	}
	ct.Local = t.Name
	if ct.Placement == Sharded {
		ct.Local = t.Name + LocalSuffix
	}
	return ct, nil
}

var mergeTreeEngine = regexp.MustCompile(`^ENGINE = (MergeTree|ReplacingMergeTree)\(([^)]*)\)(.*)$`)

// replicated turns ENGINE = [Replacing]MergeTree(args) … into its
// Replicated twin with the ZooKeeper path and replica name first.
func replicated(engine, database, table string) (string, error) {
	m := mergeTreeEngine.FindStringSubmatch(engine)
	if m == nil {
		return "", fmt.Errorf("engine %q has no Replicated twin here", engine)
	}
	args := fmt.Sprintf("'/clickhouse/tables/{shard}/%s/%s', '{replica}'", database, table)
	if m[2] != "" {
		args += ", " + m[2]
	}
	return fmt.Sprintf("ENGINE = Replicated%s(%s)%s", m[1], args, m[3]), nil
}

func createTable(name string, cols []migratedColumn, engine string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", name)
	for i, c := range cols {
		fmt.Fprintf(&b, "    %s %s", c.name, c.typ)
		if c.def != "" {
			fmt.Fprintf(&b, " DEFAULT %s", c.def)
		}
		fmt.Fprintf(&b, " COMMENT '%s'", c.comment)
		if i < len(cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, ") %s", engine)
	return b.String()
}

// ForCluster returns the options of the configuration's cluster section.
func ForCluster(c config.Cluster) Options {
	return Options{Cluster: c.Name, Database: c.Database(), Replicated: c.Replicated}
}
