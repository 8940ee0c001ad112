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

// analystDSN builds the analyst's DSN for a server at addr.
func analystDSN(addr, password string) string {
	u := url.URL{Scheme: "clickhouse", User: url.UserPassword(AnalystUser, password), Host: addr, Path: "/"}
	return u.String()
}

// ensureAnalystPassword returns the analyst's password, generating it (32
// hex digits) into <DataDir>/clickhouse/analyst.password, mode 0600, at the
// first start. The file is never rewritten, so the password stays stable.
func ensureAnalystPassword(l layout) (string, error) {
	if pw, err := readAnalystPassword(l); err == nil {
		return pw, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("generating the analyst password: %w", err)
	}
	pw := hex.EncodeToString(raw[:])
	f, err := os.OpenFile(l.analystFile(), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return readAnalystPassword(l) // written by a concurrent start
	}
	if err != nil {
		return "", fmt.Errorf("creating %s: %w", l.analystFile(), err)
	}
	if _, err := f.WriteString(pw + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("writing %s: %w", l.analystFile(), err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", l.analystFile(), err)
	}
	return pw, nil
}

func readAnalystPassword(l layout) (string, error) {
	b, err := os.ReadFile(l.analystFile())
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", l.analystFile(), err)
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("reading %s: empty password", l.analystFile())
	}
	return pw, nil
}

// AnalystDSN returns the read-only analyst's DSN (without a database) of the
// detached server running for cfg.DataDir:
// clickhouse://analyst:PASSWORD@127.0.0.1:PORT/.
func AnalystDSN(cfg Config) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	dsn, err := readDSN(l)
	if err != nil {
		return "", err
	}
	pw, err := readAnalystPassword(l)
	if err != nil {
		return "", err
	}
	return analystDSN(addrOf(dsn), pw), nil
}

// AnalystPasswordFile is where the analyst's password of cfg.DataDir is kept.
func AnalystPasswordFile(cfg Config) (string, error) {
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	return l.analystFile(), nil
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
