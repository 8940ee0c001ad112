package testenv

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"zengshou/pipeline/sink/clickhouse/embedded"
)

// ClusterName is the cluster the servers of Cluster know in their
// remote_servers.
const ClusterName = "zengshou_test"

// TestCluster is a ClickHouse cluster of private servers, one per shard,
// each with its own ports and data directory, and each knowing all of them
// as the cluster ClusterName.
type TestCluster struct {
	// Name is the cluster name (ClusterName).
	Name string
	// Database exists, empty, on every shard.
	Database string
	// Shards are the servers in remote_servers order.
	Shards []TestShard
}

// TestShard is one server of a TestCluster.
type TestShard struct {
	// Addr is the native host:port.
	Addr string
	// DSN is the administrator's DSN of the cluster's database on it,
	// clickhouse://default@127.0.0.1:PORT/DATABASE.
	DSN string
}

// clusterStartAttempts bounds the retries when a picked port was taken by
// someone else before its server bound it.
const clusterStartAttempts = 3

// Cluster starts shards private clickhouse-server processes (the binary
// embedded.FindBinary finds, Debian's /usr/sbin/clickhouse-server in CI), in
// data directories under t.TempDir(), each with a remote_servers section
// naming all of them as ClusterName with the cluster's database as each
// shard's default_database, and creates that uniquely named database on
// each. The servers are stopped when the test ends. Under go test -short
// the test is skipped; without a server binary it fails, pointing at make
// deps.
func Cluster(t testing.TB, shards int) TestCluster {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts its own ClickHouse servers (run make test)")
	}
	if _, err := embedded.FindBinary(embedded.DefaultConfig()); err != nil {
		t.Fatalf("the cluster test starts %d ClickHouse servers: %v", shards, err)
	}
	dir := t.TempDir()
	db := databaseName(t.Name())
	var (
		servers []*embedded.Server
		err     error
	)
	for attempt := 1; attempt <= clusterStartAttempts; attempt++ {
		servers, err = startShards(filepath.Join(dir, "attempt"+strconv.Itoa(attempt)), shards, db)
		if err == nil {
			break
		}
		t.Logf("starting the %d shard servers (attempt %d): %v", shards, attempt, err)
	}
	if err != nil {
		t.Fatalf("starting a cluster of %d ClickHouse servers: %v", shards, err)
	}
	t.Cleanup(func() {
		for _, s := range servers {
			if err := s.Stop(); err != nil {
				t.Errorf("stopping the shard server at %s: %v", s.Addr(), err)
			}
		}
	})

	c := TestCluster{Name: ClusterName, Database: db}
	for _, s := range servers {
		if err := createDatabase(s.DSN(), c.Database); err != nil {
			t.Fatalf("creating database %s on the shard at %s: %v", c.Database, s.Addr(), err)
		}
		dsn, err := withDatabase(s.DSN(), c.Database)
		if err != nil {
			t.Fatalf("building the DSN of the shard at %s: %v", s.Addr(), err)
		}
		c.Shards = append(c.Shards, TestShard{Addr: s.Addr(), DSN: dsn})
	}
	return c
}

// startShards picks a free port per shard, then starts each server with its
// port pinned and the whole cluster in its remote_servers, each shard
// reached with db as its default database (so that a shard's part of a
// distributed query finds the tables it joins, as in production). On an
// error the servers already started are stopped.
func startShards(dir string, shards int, db string) ([]*embedded.Server, error) {
	ports, err := freePorts(shards)
	if err != nil {
		return nil, err
	}
	addrs := make([]string, shards)
	for i, p := range ports {
		addrs[i] = net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
	}
	var servers []*embedded.Server
	for i, p := range ports {
		cfg := embedded.DefaultConfig()
		cfg.DataDir = filepath.Join(dir, "shard"+strconv.Itoa(i+1))
		cfg.Port = p
		cfg.Clusters = []embedded.RemoteCluster{{Name: ClusterName, Shards: addrs, DefaultDatabase: db}}
		s, err := embedded.Start(context.Background(), cfg, nil)
		if err != nil {
			for _, started := range servers {
				_ = started.Stop()
			}
			return nil, fmt.Errorf("shard %d: %w", i+1, err)
		}
		servers = append(servers, s)
	}
	return servers, nil
}

// freePorts picks n distinct free loopback ports, holding each until all are
// picked.
func freePorts(n int) ([]int, error) {
	var ports []int
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("picking a free port: %w", err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func createDatabase(adminDSN, db string) error {
	opts, err := clickhouse.ParseDSN(adminDSN)
	if err != nil {
		return err
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	return conn.Exec(ctx, "CREATE DATABASE "+quoteIdent(db))
}
