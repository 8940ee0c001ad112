package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the program configuration. Every setting is a command-line
// flag, an environment variable and a key of the YAML config file; flags
// win over the environment, which wins over the file.
type Config struct {
	// ClickHouse is the warehouse DSN (ZENGSHOU_CLICKHOUSE); empty means the
	// embedded server started from the local binary, unless Cluster is set
	// (the two exclude each other).
	ClickHouse string `yaml:"clickhouse"`
	// ClickHouseBin names the server binary of the embedded default
	// (ZENGSHOU_CLICKHOUSE_BIN).
	ClickHouseBin string `yaml:"clickhouse_bin"`
	// ClickHousePort pins the native port of the embedded server; 0 keeps
	// the port remembered in the data directory (picked at its first start).
	ClickHousePort int `yaml:"clickhouse_port"`
	// clickHousePortEnv is an unparsable ZENGSHOU_CLICKHOUSE_PORT, reported
	// by Validate.
	clickHousePortEnv string
	// DataDir holds the embedded server's files and the demo's key and inbox
	// (ZENGSHOU_DATA_DIR).
	DataDir string `yaml:"data_dir"`
	// HMACKeyFile holds the pseudonymisation key (ZENGSHOU_HMAC_KEY_FILE);
	// ZENGSHOU_HMAC_KEY may give the key itself instead.
	HMACKeyFile string `yaml:"hmac_key_file"`
	// Inbox is the drop folder of department extracts (ZENGSHOU_INBOX).
	Inbox string `yaml:"inbox"`
	// LogLevel is debug, info, warn or error (ZENGSHOU_LOG_LEVEL).
	LogLevel string `yaml:"log_level"`
	// Params replaces the embedded reference parameters when set.
	Params *Params `yaml:"params"`
	// Serve configures the scheduler daemon (zengshou serve).
	Serve Serve `yaml:"serve"`
	// RowCountChange is the share by which a source's rows may change
	// against the last published period before a run fails (default 0.5;
	// 0 turns the check off; --accept-row-count-change lets one run pass).
	RowCountChange float64 `yaml:"row_count_change"`
	// Encodings forces the text encoding of a source's CSV files (source
	// name: utf-8, gb18030 or gbk) when detection gets a department's files
	// wrong; absent sources are detected.
	Encodings map[string]string `yaml:"encodings"`
	// Sources are the extracts read from department databases instead of
	// inbox files (see DatabaseSource).
	Sources []DatabaseSource `yaml:"sources"`
	// Cluster names the ClickHouse cluster and its shards
	// (docs/scale-out.md): the commands then write to and read from the
	// cluster instead of ClickHouse. nil, the default, is one server.
	Cluster *Cluster `yaml:"cluster"`
}

// Environment variables of the settings.
const (
	EnvClickHouse    = "ZENGSHOU_CLICKHOUSE"
	EnvClickHouseBin = "ZENGSHOU_CLICKHOUSE_BIN"
	EnvDataDir       = "ZENGSHOU_DATA_DIR"
	EnvHMACKeyFile   = "ZENGSHOU_HMAC_KEY_FILE"
	EnvHMACKey       = "ZENGSHOU_HMAC_KEY"
	EnvInbox         = "ZENGSHOU_INBOX"
	EnvLogLevel      = "ZENGSHOU_LOG_LEVEL"
)

// EnvClickHousePort pins the embedded server's port.
const EnvClickHousePort = "ZENGSHOU_CLICKHOUSE_PORT"

// Default returns the configuration when nothing is set.
func Default() Config {
	return Config{DataDir: ".zengshou", LogLevel: "info", RowCountChange: 0.5, Serve: DefaultServe()}
}

// Load reads a YAML config file over the defaults; unknown keys are an error.
func Load(path string) (Config, error) {
	c := Default()
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("reading config %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			// yaml says one error a line; the command says it in one line,
			// naming each unknown key.
			return c, fmt.Errorf("reading config %s: %s", path, strings.Join(unknownKeys(te.Errors), "; "))
		}
		return c, fmt.Errorf("reading config %s: %w", path, err)
	}
	return c, nil
}

// unknownKeys rewords yaml's "line 3: field bogus not found in type
// config.Config" as "line 3: unknown key bogus".
func unknownKeys(errs []string) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		if line, rest, ok := strings.Cut(e, ": field "); ok {
			if key, _, ok := strings.Cut(rest, " not found in type "); ok {
				e = line + ": unknown key " + key
			}
		}
		out[i] = e
	}
	return out
}

// ApplyEnv overrides settings from the environment.
func (c *Config) ApplyEnv(getenv func(string) string) {
	for env, field := range map[string]*string{
		EnvClickHouse: &c.ClickHouse, EnvClickHouseBin: &c.ClickHouseBin, EnvDataDir: &c.DataDir,
		EnvHMACKeyFile: &c.HMACKeyFile, EnvInbox: &c.Inbox, EnvLogLevel: &c.LogLevel,
	} {
		if v := getenv(env); v != "" {
			*field = v
		}
	}
	if v := getenv(EnvClickHousePort); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.clickHousePortEnv = v
		} else {
			c.ClickHousePort = n
		}
	}
}

// Validate checks the configuration without I/O.
func (c Config) Validate() error {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config log_level: %q is not debug, info, warn or error", c.LogLevel)
	}
	if c.DataDir == "" {
		return fmt.Errorf("config data_dir: empty")
	}
	if c.clickHousePortEnv != "" {
		return fmt.Errorf("config clickhouse_port: %s %q is not a number", EnvClickHousePort, c.clickHousePortEnv)
	}
	if c.ClickHousePort < 0 || c.ClickHousePort > 65535 {
		return fmt.Errorf("config clickhouse_port: %d is not between 0 (remembered) and 65535", c.ClickHousePort)
	}
	if c.RowCountChange < 0 {
		return fmt.Errorf("config row_count_change: %v is negative", c.RowCountChange)
	}
	if c.Params != nil {
		if err := c.Params.Validate(); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, s := range c.Sources {
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.Source] {
			return fmt.Errorf("config sources[%s]: configured twice", s.Source)
		}
		seen[s.Source] = true
	}
	if c.Cluster != nil {
		if err := c.Cluster.Validate(); err != nil {
			return err
		}
		if c.ClickHouse != "" {
			return fmt.Errorf("config clickhouse (%s, --clickhouse) and cluster are both set: a cluster's shards give their own DSNs (cluster.shards[].dsn); set one of the two", EnvClickHouse)
		}
	}
	return c.Serve.Validate()
}

// ReferenceParams returns the configured reference parameters, or the
// embedded defaults.
func (c Config) ReferenceParams() Params {
	if c.Params != nil {
		return *c.Params
	}
	return DefaultParams()
}

// ErrNoKey is returned when no pseudonymisation key is configured.
var ErrNoKey = errors.New("no pseudonymisation key: set --hmac-key-file or ZENGSHOU_HMAC_KEY")

// MinHMACKeyBytes is the shortest pseudonymisation key accepted.
const MinHMACKeyBytes = 16

// HMACKey returns the pseudonymisation key: ZENGSHOU_HMAC_KEY itself, else
// the contents of HMACKeyFile (surrounding white space removed). A key
// shorter than MinHMACKeyBytes is an error wherever it comes from, so that a
// run refuses it before doing anything.
func (c Config) HMACKey(getenv func(string) string) ([]byte, error) {
	if k := strings.TrimSpace(getenv(EnvHMACKey)); k != "" {
		if len(k) < MinHMACKeyBytes {
			return nil, fmt.Errorf("%s: key shorter than %d bytes", EnvHMACKey, MinHMACKeyBytes)
		}
		return []byte(k), nil
	}
	if c.HMACKeyFile == "" {
		return nil, ErrNoKey
	}
	info, err := os.Stat(c.HMACKeyFile)
	if err != nil {
		return nil, fmt.Errorf("reading HMAC key file %s: %w", c.HMACKeyFile, err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("reading HMAC key file %s: mode %04o lets others read it; chmod 600 it", c.HMACKeyFile, perm)
	}
	b, err := os.ReadFile(c.HMACKeyFile)
	if err != nil {
		return nil, fmt.Errorf("reading HMAC key file %s: %w", c.HMACKeyFile, err)
	}
	k := bytes.TrimSpace(b)
	if len(k) < MinHMACKeyBytes {
		return nil, fmt.Errorf("reading HMAC key file %s: key shorter than %d bytes", c.HMACKeyFile, MinHMACKeyBytes)
	}
	return k, nil
}
