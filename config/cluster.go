package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	ch "github.com/ClickHouse/clickhouse-go/v2"
)

// Cluster names the ClickHouse cluster the warehouse is spread over
// (docs/scale-out.md): the cluster's name as the servers' remote_servers
// give it, and each shard's DSN in the same order. When it is set, the
// commands write and read through clickhouse.Cluster (a sink per shard:
// rows go to the shard owning them, reads go through the first shard's
// Distributed tables) and the cluster DDL (clusterddl) creates the tables;
// the clickhouse DSN must then be empty, and no embedded server starts.
type Cluster struct {
	// Name is the cluster name of remote_servers that the Distributed
	// tables give.
	Name string `yaml:"name"`
	// Shards are the shards in remote_servers order: one DSN each (the
	// writer's account on one server of the shard), all naming the same
	// database.
	Shards []Shard `yaml:"shards"`
	// Replicated makes the shard-local tables ReplicatedMergeTree (the
	// servers need the {shard} and {replica} macros and ZooKeeper or
	// ClickHouse Keeper; not tested here).
	Replicated bool `yaml:"replicated"`
}

// Shard is one shard of a Cluster.
type Shard struct {
	// DSN is clickhouse://user:pass@host:9000/zengshou; without a database,
	// zengshou.
	DSN string `yaml:"dsn"`
}

// clusterDefaultDatabase is the database of a shard DSN naming none (the
// sink's default).
const clusterDefaultDatabase = "zengshou"

var clusterIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate checks the cluster without I/O: a name that is an identifier, at
// least one shard, each DSN a native-protocol ClickHouse DSN, no server
// twice, and one database on all shards (a Distributed table names one).
// Messages never show a password.
func (c Cluster) Validate() error {
	if !clusterIdentifier.MatchString(c.Name) {
		return fmt.Errorf("config cluster.name: %q is not a cluster name of remote_servers ([A-Za-z_][A-Za-z0-9_]*)", c.Name)
	}
	if len(c.Shards) == 0 {
		return fmt.Errorf("config cluster.shards: empty; give one dsn per shard, in remote_servers order")
	}
	seen := map[string]int{}
	database := ""
	for i, s := range c.Shards {
		at := fmt.Sprintf("config cluster.shards[%d].dsn", i+1)
		if strings.TrimSpace(s.DSN) == "" {
			return fmt.Errorf("%s: empty", at)
		}
		opts, err := ch.ParseDSN(s.DSN)
		if err != nil {
			return fmt.Errorf("%s: %s", at, redactPassword(err.Error()))
		}
		if u, err := url.Parse(s.DSN); err == nil && u.Scheme != "clickhouse" && u.Scheme != "tcp" {
			return fmt.Errorf("%s: scheme %s is not clickhouse:// (the native protocol)", at, u.Scheme)
		}
		db := opts.Auth.Database
		if db == "" {
			db = clusterDefaultDatabase
		}
		if !clusterIdentifier.MatchString(db) {
			return fmt.Errorf("%s: database %q is not an identifier ([A-Za-z_][A-Za-z0-9_]*)", at, db)
		}
		if database == "" {
			database = db
		} else if db != database {
			return fmt.Errorf("%s: database %s, but shard 1 names %s: every shard holds the same database", at, db, database)
		}
		for _, addr := range opts.Addr {
			if j, ok := seen[addr]; ok {
				return fmt.Errorf("%s: server %s is shard %d already", at, addr, j)
			}
			seen[addr] = i + 1
		}
	}
	return nil
}

// Database returns the database every shard holds (Validate checked they
// agree).
func (c Cluster) Database() string {
	if len(c.Shards) == 0 {
		return clusterDefaultDatabase
	}
	opts, err := ch.ParseDSN(c.Shards[0].DSN)
	if err != nil || opts.Auth.Database == "" {
		return clusterDefaultDatabase
	}
	return opts.Auth.Database
}

// dsnPassword is the user:password@ of a URL, even one that does not parse.
var dsnPassword = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)

func redactPassword(s string) string { return dsnPassword.ReplaceAllString(s, "${1}***@") }
