// Package clickhouse is the warehouse sink: it creates and migrates the
// schema, reads the history a period needs, stages a period's tables and
// publishes them with ALTER TABLE … REPLACE PARTITION. SQL stays within what
// ClickHouse 18.16 and current releases both run (warehouse.md).
package clickhouse

import (
	"fmt"
	"net/url"
	"regexp"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
)

// Config configures the sink.
type Config struct {
	// DSN names the server and database, e.g.
	// clickhouse://user:pass@host:9000/zengshou. The database is created if
	// missing; without one in the DSN, DefaultDatabase applies.
	DSN string `yaml:"dsn"`
	// BatchRows is how many rows one INSERT sends.
	BatchRows int `yaml:"batch_rows"`
	// DialTimeout bounds connecting to the server.
	DialTimeout time.Duration `yaml:"dial_timeout"`
	// CleanupTimeout bounds how long a publication waits for the server to
	// delete the parts it replaced (a restart before that would revive
	// them; Connect repairs such a period).
	CleanupTimeout time.Duration `yaml:"cleanup_timeout"`
}

// DefaultDatabase is the database used when the DSN names none.
const DefaultDatabase = "zengshou"

// DefaultConfig returns the defaults (no DSN: the caller supplies one).
func DefaultConfig() Config {
	return Config{BatchRows: 50000, DialTimeout: 10 * time.Second, CleanupTimeout: time.Minute}
}

// Validate checks the configuration without I/O.
func (c Config) Validate() error {
	if c.DSN == "" {
		return fmt.Errorf("clickhouse dsn: empty")
	}
	if _, err := ch.ParseDSN(c.DSN); err != nil {
		return fmt.Errorf("clickhouse dsn %q: %w", redact(c.DSN), err)
	}
	if u, err := url.Parse(c.DSN); err == nil && u.Scheme != "clickhouse" && u.Scheme != "tcp" {
		return fmt.Errorf("clickhouse dsn %q: scheme %s is not clickhouse:// (the native protocol; the HTTP interface is not supported)", redact(c.DSN), u.Scheme)
	}
	if c.BatchRows < 1 {
		return fmt.Errorf("clickhouse batch_rows: %d must be at least 1", c.BatchRows)
	}
	if c.DialTimeout <= 0 {
		return fmt.Errorf("clickhouse dial_timeout: %s must be positive", c.DialTimeout)
	}
	if c.CleanupTimeout <= 0 {
		return fmt.Errorf("clickhouse cleanup_timeout: %s must be positive", c.CleanupTimeout)
	}
	return nil
}

// redact hides a password in a DSN for messages, whether or not the DSN
// parses.
func redact(dsn string) string {
	opts, err := ch.ParseDSN(dsn)
	if err != nil {
		return dsnPassword.ReplaceAllString(dsn, "${1}***@")
	}
	if opts.Auth.Password == "" {
		return dsn
	}
	return fmt.Sprintf("clickhouse://%s:***@%v/%s", opts.Auth.Username, opts.Addr, opts.Auth.Database)
}

// dsnPassword is the user:password@ of a URL, even one that does not parse.
var dsnPassword = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
