package embedded

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StartDetached starts a server that outlives the calling program (own
// session, as with setsid) and records it in <DataDir>/clickhouse/server.pid
// and <DataDir>/clickhouse/dsn. If a detached server for the same data
// directory is already running and answering, it is reused and its DSN
// returned. Stop it with StopDetached.
func StartDetached(ctx context.Context, cfg Config, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return "", err
	}
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(l.dir, 0o750); err != nil {
		return "", fmt.Errorf("creating directory %s: %w", l.dir, err)
	}
	// Two programs starting the demo at once must not both launch a server.
	unlock, err := lockFile(ctx, l.lockFile())
	if err != nil {
		return "", err
	}
	defer unlock()

	if pid, ok := runningPID(l); ok {
		dsn, err := readDSN(l)
		if err == nil {
			if err = ping(ctx, addrOf(dsn)); err == nil {
				logger.Debug("reusing running clickhouse-server", "pid", pid, "dsn", dsn, "dir", l.dir)
				return dsn, nil
			}
		}
		return "", fmt.Errorf("reusing clickhouse-server pid %d in %s: not answering (%w); stop it with StopDetached", pid, l.dir, err)
	}
	removeState(l)

	s, err := launch(ctx, cfg, logger, true)
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(l.dsnFile(), s.DSN()+"\n"); err != nil {
		_ = s.terminate()
		removeState(l)
		return "", err
	}
	return s.DSN(), nil
}

// StopDetached stops the detached server of cfg.DataDir named by its pid
// file: SIGTERM, up to 20 s grace, then SIGKILL. It is no error if none is
// running; stale pid and dsn files are removed either way.
func StopDetached(cfg Config) error {
	if strings.TrimSpace(cfg.DataDir) == "" {
		return fmt.Errorf("embedded clickhouse: data_dir %q: must not be empty", cfg.DataDir)
	}
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return err
	}
	pid, ok := runningPID(l)
	if !ok {
		removeState(l)
		return nil
	}
	if err := signalGroup(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stopping clickhouse-server pid %d: %w", pid, err)
	}
	if !waitGone(l, pid, stopGrace) {
		if err := signalGroup(pid, syscall.SIGKILL); err != nil {
			return fmt.Errorf("killing clickhouse-server pid %d: %w", pid, err)
		}
		if !waitGone(l, pid, 5*time.Second) {
			return fmt.Errorf("stopping clickhouse-server pid %d: still running after SIGKILL", pid)
		}
	}
	removeState(l)
	return nil
}

// signalGroup signals the server's process group (the detached server leads
// its own session), falling back to the process itself.
func signalGroup(pid int, sig syscall.Signal) error {
	err := syscall.Kill(-pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		err = syscall.Kill(pid, sig)
	}
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

func waitGone(l layout, pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if !isServer(l, pid) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return !isServer(l, pid)
}

// runningPID reads the pid file and reports whether that process is still
// our server.
func runningPID(l layout) (int, bool) {
	b, err := os.ReadFile(l.pidFile())
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, isServer(l, pid)
}

// isServer guards against pid reuse: on Linux the process's command line
// must name this data directory's config file. A zombie has an empty
// command line and so counts as gone.
func isServer(l layout, pid int) bool {
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err == nil {
		return bytes.Contains(cmdline, []byte("--config-file="+l.configFile()))
	}
	if _, statErr := os.Stat("/proc/self"); statErr == nil {
		return false // /proc works, so the process is gone
	}
	return syscall.Kill(pid, 0) == nil
}

func readDSN(l layout) (string, error) {
	b, err := os.ReadFile(l.dsnFile())
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", l.dsnFile(), err)
	}
	return strings.TrimSpace(string(b)), nil
}

// addrOf extracts host:port from a DSN written by dsnFor.
func addrOf(dsn string) string {
	rest := strings.TrimPrefix(dsn, "clickhouse://default@")
	addr, _, _ := strings.Cut(rest, "/")
	return addr
}

func removeState(l layout) {
	_ = os.Remove(l.pidFile())
	_ = os.Remove(l.dsnFile())
}

func writeFileAtomic(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o640); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("renaming %s to %s: %w", tmp, path, err)
	}
	return nil
}

// lockFile takes an exclusive flock on path, polling so that ctx is honoured.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening lock file %s: %w", path, err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
