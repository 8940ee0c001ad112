// Package embedded starts and stops a private ClickHouse server from the
// local clickhouse-server binary, so that the pipeline, the demo and the
// integration tests have a warehouse without any setup by hand.
//
// The server listens on 127.0.0.1 only, on a stable port (Config.Port, or
// the one picked at its first start and remembered in
// <DataDir>/clickhouse/port), and keeps all its files (configuration, data,
// logs) under <DataDir>/clickhouse/. It has three accounts, loopback only:
// zengshou_writer, the pipeline's writer, and analyst, read-only, each with
// a generated password kept in <DataDir>/clickhouse/writer.password and
// analyst.password (0600); and default, the password-less administrator
// (readiness ping, test harness). It speaks the native TCP protocol only:
// the Debian build (18.16) has no usable HTTP interface for clickhouse-go.
package embedded

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config says which binary to run, where its files live and how long to wait
// for it to answer.
type Config struct {
	// Binary is the server executable. Empty means auto-detect:
	// clickhouse-server on PATH or at /usr/sbin/clickhouse-server, else the
	// official single binary clickhouse run as "clickhouse server".
	Binary string `yaml:"binary"`
	// DataDir is the project data directory; the server's files go under
	// its clickhouse/ subdirectory.
	DataDir string `yaml:"data_dir"`
	// StartTimeout bounds the wait for the server's first successful ping.
	StartTimeout time.Duration `yaml:"start_timeout"`
	// Port pins the native TCP port. 0 means the port remembered in the data
	// directory from an earlier start, or a free one picked (and then
	// remembered) at the first start.
	Port int `yaml:"port"`
	// Clusters are written to the server's remote_servers, so that its
	// Distributed tables can name them (docs/scale-out.md). None by default:
	// a single node needs none.
	Clusters []RemoteCluster `yaml:"-"`
}

// RemoteCluster is a cluster of remote_servers: one replica per shard,
// reached over the native protocol as the password-less default user (the
// embedded servers allow it from loopback only).
type RemoteCluster struct {
	// Name is the cluster name Distributed tables give.
	Name string
	// Shards are the host:port native addresses of the shards, in order.
	Shards []string
	// DefaultDatabase, if set, is the database a shard's part of a
	// distributed query resolves unqualified names in (a JOIN with a
	// dimension); without it, the shard's session database is default.
	DefaultDatabase string
}

// DefaultConfig returns the settings used when nothing else is given:
// auto-detected binary, data under ./.zengshou and a 60 s start timeout.
func DefaultConfig() Config {
	return Config{
		Binary:       "",
		DataDir:      ".zengshou",
		StartTimeout: 60 * time.Second,
	}
}

// Validate checks the settings without touching the file system, naming the
// field and the bad value.
func (c Config) Validate() error {
	if strings.TrimSpace(c.DataDir) == "" {
		return fmt.Errorf("embedded clickhouse: data_dir %q: must not be empty", c.DataDir)
	}
	if c.Binary != "" && strings.TrimSpace(c.Binary) != c.Binary {
		return fmt.Errorf("embedded clickhouse: binary %q: must not have leading or trailing spaces", c.Binary)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("embedded clickhouse: port %d: must be between 0 (remembered or picked) and 65535", c.Port)
	}
	if c.StartTimeout <= 0 {
		return fmt.Errorf("embedded clickhouse: start_timeout %s: must be positive", c.StartTimeout)
	}
	for _, cl := range c.Clusters {
		if !clusterName.MatchString(cl.Name) {
			return fmt.Errorf("embedded clickhouse: cluster name %q: must be an identifier ([A-Za-z_][A-Za-z0-9_]*)", cl.Name)
		}
		if cl.DefaultDatabase != "" && !clusterName.MatchString(cl.DefaultDatabase) {
			return fmt.Errorf("embedded clickhouse: cluster %s: default database %q: must be an identifier", cl.Name, cl.DefaultDatabase)
		}
		if len(cl.Shards) == 0 {
			return fmt.Errorf("embedded clickhouse: cluster %s: no shards", cl.Name)
		}
		for i, addr := range cl.Shards {
			host, port, err := net.SplitHostPort(addr)
			if err != nil || host == "" {
				return fmt.Errorf("embedded clickhouse: cluster %s shard %d: %q is not host:port", cl.Name, i+1, addr)
			}
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("embedded clickhouse: cluster %s shard %d: port %q is not between 1 and 65535", cl.Name, i+1, port)
			}
		}
	}
	return nil
}

// clusterName is a name ClickHouse takes as an XML element and an
// identifier.
var clusterName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ErrNoBinary reports that no ClickHouse server executable could be found.
// Tests use it to skip rather than fail on machines without ClickHouse.
var ErrNoBinary = errors.New("no clickhouse-server or clickhouse binary found (install clickhouse-server, e.g. make deps)")

// debianServerPath is where Debian's clickhouse-server package installs the
// server; /usr/sbin is often missing from a non-root PATH.
const debianServerPath = "/usr/sbin/clickhouse-server"

// command is a resolved executable and the arguments that come before
// --config-file.
type command struct {
	path string
	args []string
}

// resolveBinary finds the executable to run. The official single binary is
// recognised by its base name "clickhouse" and needs the "server" argument.
func resolveBinary(binary string) (command, error) {
	if binary != "" {
		path, err := exec.LookPath(binary)
		if err != nil {
			return command{}, fmt.Errorf("looking up clickhouse binary %s: %w", binary, err)
		}
		return commandFor(path), nil
	}
	if path, err := exec.LookPath("clickhouse-server"); err == nil {
		return commandFor(path), nil
	}
	if path, err := exec.LookPath(debianServerPath); err == nil {
		return commandFor(path), nil
	}
	if path, err := exec.LookPath("clickhouse"); err == nil {
		return commandFor(path), nil
	}
	return command{}, ErrNoBinary
}

func commandFor(path string) command {
	if filepath.Base(path) == "clickhouse" {
		return command{path: path, args: []string{"server"}}
	}
	return command{path: path}
}

// FindBinary reports the executable that Start would run for cfg, or
// ErrNoBinary. It lets callers and tests check for ClickHouse up front.
func FindBinary(cfg Config) (string, error) {
	cmd, err := resolveBinary(cfg.Binary)
	if err != nil {
		return "", err
	}
	return cmd.path, nil
}
