package embedded

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// AnalystUser is the read-only account of the embedded server, meant for
// Grafana and for analysts' own queries.
const AnalystUser = "analyst"

// WriterUser is the pipeline's account on the embedded server: `zengshou
// run`, `serve`, `demo` and `warehouse up` connect as it.
const WriterUser = "zengshou_writer"

// passwords are the generated passwords of the named accounts.
type passwords struct {
	analyst, writer string
}

// accountDSN builds user's DSN, without a database, for a server at addr.
func accountDSN(user, addr, password string) string {
	u := url.URL{Scheme: "clickhouse", User: url.UserPassword(user, password), Host: addr, Path: "/"}
	return u.String()
}

// ensurePasswords returns the accounts' passwords, generating any missing
// one at the first start (see ensurePassword).
func ensurePasswords(l layout) (passwords, error) {
	var p passwords
	var err error
	if p.analyst, err = ensurePassword(l.analystFile(), AnalystUser); err != nil {
		return passwords{}, err
	}
	if p.writer, err = ensurePassword(l.writerFile(), WriterUser); err != nil {
		return passwords{}, err
	}
	return p, nil
}

// ensurePassword returns the password kept in path, generating it (32 hex
// digits) into path, mode 0600, if there is none. The file is never
// rewritten, so the password stays stable.
func ensurePassword(path, user string) (string, error) {
	if pw, err := readPassword(path); err == nil {
		return pw, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("generating the %s password: %w", user, err)
	}
	pw := hex.EncodeToString(raw[:])
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return readPassword(path) // written by a concurrent start
	}
	if err != nil {
		return "", fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := f.WriteString(pw + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return pw, nil
}

func readPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("reading %s: empty password", path)
	}
	return pw, nil
}

// AnalystDSN returns the read-only analyst's DSN (without a database) of the
// detached server running for cfg.DataDir:
// clickhouse://analyst:PASSWORD@127.0.0.1:PORT/.
func AnalystDSN(cfg Config) (string, error) {
	return detachedDSN(cfg, AnalystUser, layout.analystFile)
}

// WriterDSN returns the pipeline writer's DSN (without a database) of the
// detached server running for cfg.DataDir:
// clickhouse://zengshou_writer:PASSWORD@127.0.0.1:PORT/.
func WriterDSN(cfg Config) (string, error) {
	dsn, err := detachedDSN(cfg, WriterUser, layout.writerFile)
	if errors.Is(err, os.ErrNotExist) {
		if _, derr := dsnOf(cfg); derr == nil {
			// Started by a zengshou from before the writer account.
			return "", fmt.Errorf("%w: the running embedded ClickHouse has no %s account yet; restart it (zengshou warehouse down, then up)", err, WriterUser)
		}
	}
	return dsn, err
}

func dsnOf(cfg Config) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	return readDSN(l)
}

// detachedDSN is user's DSN on the detached server of cfg.DataDir, with the
// password kept in the file passwordFile names.
func detachedDSN(cfg Config, user string, passwordFile func(layout) string) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	dsn, err := readDSN(l)
	if err != nil {
		return "", err
	}
	pw, err := readPassword(passwordFile(l))
	if err != nil {
		return "", err
	}
	return accountDSN(user, addrOf(dsn), pw), nil
}

// AnalystPasswordFile is where the analyst's password of cfg.DataDir is kept.
func AnalystPasswordFile(cfg Config) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	return l.analystFile(), nil
}

// WriterPasswordFile is where the writer's password of cfg.DataDir is kept.
func WriterPasswordFile(cfg Config) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	return l.writerFile(), nil
}

// rememberedPort reads the port of an earlier start, 0 if there is none.
func rememberedPort(l layout) int {
	b, err := os.ReadFile(l.portFile())
	if err != nil {
		return 0
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || port <= 0 || port > 65535 {
		return 0
	}
	return port
}

// portFree reports whether port can be bound on the loopback address now.
func portFree(port int) bool {
	ln, err := net.Listen("tcp", net.JoinHostPort(loopbackHost, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
