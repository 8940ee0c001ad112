package chcompat

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Engine runs statements on one ClickHouse version; Query returns the result
// as TabSeparated text, formatted by the engine itself.
type Engine interface {
	Version() string
	Exec(ctx context.Context, sql string) error
	Query(ctx context.Context, sql string) (string, error)
	Close() error
}

// Server is a ClickHouse server reached with clickhouse-go (statements
// without a result) and clickhouse-client (results as TabSeparated).
type Server struct {
	conn     driver.Conn
	host     string
	port     string
	database string
	version  string
}

// OpenServer connects to database (created empty: dropped first if it
// exists) on the server of dsn.
func OpenServer(ctx context.Context, dsn, database string) (*Server, error) {
	opts, err := ch.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parsing DSN: %w", err)
	}
	opts.Auth.Database = "default"
	boot, err := ch.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", opts.Addr, err)
	}
	defer boot.Close()
	for _, q := range []string{"DROP DATABASE IF EXISTS " + quoteIdent(database), "CREATE DATABASE " + quoteIdent(database)} {
		if err := boot.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("running %s: %w", q, err)
		}
	}
	opts.Auth.Database = database
	conn, err := ch.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", opts.Addr, err)
	}
	s := &Server{conn: conn, database: database}
	if s.host, s.port, err = splitAddr(opts.Addr[0]); err != nil {
		conn.Close()
		return nil, err
	}
	out, err := s.Query(ctx, "SELECT version()")
	if err != nil {
		conn.Close()
		return nil, err
	}
	s.version = strings.TrimSpace(out)
	return s, nil
}

func splitAddr(addr string) (string, string, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", "", fmt.Errorf("address %q has no port", addr)
	}
	return addr[:i], addr[i+1:], nil
}

// Version is the server's version().
func (s *Server) Version() string { return s.version }

// Exec runs a statement without a result; an INSERT with its VALUES goes
// through clickhouse-client (the 18.16 server does not answer inline
// INSERT data sent by clickhouse-go).
func (s *Server) Exec(ctx context.Context, sql string) error {
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "INSERT") {
		_, err := s.client(ctx, sql)
		return err
	}
	return s.conn.Exec(ctx, sql)
}

// Query runs sql with clickhouse-client and returns its TabSeparated output.
func (s *Server) Query(ctx context.Context, sql string) (string, error) { return s.client(ctx, sql) }

func (s *Server) client(ctx context.Context, sql string) (string, error) {
	cmd := exec.CommandContext(ctx, "clickhouse-client", "--host", s.host, "--port", s.port,
		"--database", s.database, "--format", "TabSeparated")
	cmd.Stdin = strings.NewReader(sql)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// Close closes the connection.
func (s *Server) Close() error { return s.conn.Close() }

// ChdbEnv names the environment variable holding the node_modules folder
// with the npm package chdb (make test installs it in .cache/chdb).
const ChdbEnv = "ZENGSHOU_CHDB_NODE_MODULES"

//go:embed chdb-session.js
var sessionScript string

// Chdb is the current ClickHouse engine of libchdb.so, run in one persistent
// session by chdb-session.js under Node.
type Chdb struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	version string
	stderr  *strings.Builder
}

type chdbReply struct {
	OK    bool   `json:"ok"`
	Out   string `json:"out"`
	Error string `json:"error"`
}

// OpenChdb starts the session with nodeModules as NODE_PATH; statements run
// in database (created) with the server's time zone tz.
func OpenChdb(ctx context.Context, nodeModules, database, tz string) (*Chdb, error) {
	return OpenChdbWithConfig(ctx, nodeModules, database, tz, "")
}

// OpenChdbWithConfig is OpenChdb with the engine started on a server
// configuration file (e.g. remote_servers, which a Distributed table's
// CREATE needs on current releases); empty means none.
func OpenChdbWithConfig(ctx context.Context, nodeModules, database, tz, configFile string) (*Chdb, error) {
	cmd := exec.CommandContext(ctx, "node", "-e", sessionScript)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules, "TZ="+tz, "ZENGSHOU_CHDB_CONFIG_FILE="+configFile)
	c := &Chdb{cmd: cmd, stderr: &strings.Builder{}}
	cmd.Stderr = c.stderr
	var err error
	if c.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.out = bufio.NewReaderSize(stdout, 1<<20)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting node: %w", err)
	}
	first, err := c.read()
	if err != nil {
		c.Close() //nolint:errcheck // the start error says more
		return nil, fmt.Errorf("starting chdb (NODE_PATH=%s): %w", nodeModules, err)
	}
	c.version = strings.TrimSpace(first)
	for _, q := range []string{"CREATE DATABASE IF NOT EXISTS " + quoteIdent(database), "USE " + quoteIdent(database),
		"SET session_timezone = '" + tz + "'",
		// 18.16 writes decimals with all their scale's digits (0.00).
		"SET output_format_decimal_trailing_zeros = 1"} {
		if err := c.Exec(ctx, q); err != nil {
			c.Close() //nolint:errcheck // the statement's error says more
			return nil, fmt.Errorf("running %s on chdb: %w", q, err)
		}
	}
	return c, nil
}

func (c *Chdb) read() (string, error) {
	line, err := c.out.ReadBytes('\n')
	if err != nil {
		return "", fmt.Errorf("reading the chdb session's reply: %w (stderr: %s)", err, strings.TrimSpace(c.stderr.String()))
	}
	var r chdbReply
	if err := json.Unmarshal(line, &r); err != nil {
		return "", fmt.Errorf("decoding the chdb session's reply: %w", err)
	}
	if !r.OK {
		return "", errors.New(r.Error)
	}
	return r.Out, nil
}

// Version is the engine's version().
func (c *Chdb) Version() string { return c.version }

// Exec runs a statement, ignoring any output.
func (c *Chdb) Exec(ctx context.Context, sql string) error {
	_, err := c.Query(ctx, sql)
	return err
}

// Query runs sql and returns its TabSeparated output.
func (c *Chdb) Query(_ context.Context, sql string) (string, error) {
	req, err := json.Marshal(map[string]string{"sql": sql})
	if err != nil {
		return "", err
	}
	if _, err := c.in.Write(append(req, '\n')); err != nil {
		return "", fmt.Errorf("sending to the chdb session: %w", err)
	}
	return c.read()
}

// Close ends the session.
func (c *Chdb) Close() error {
	c.in.Close()
	return c.cmd.Wait()
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }
