package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// portAttempts bounds the retries when a port not pinned by the config was
// taken by someone else between picking and binding.
const portAttempts = 3

// launch writes the configuration, starts the process and waits for it to
// answer. detached puts the server in its own session so it outlives us.
func launch(ctx context.Context, cfg Config, logger *slog.Logger, detached bool) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	bin, err := resolveBinary(cfg.Binary)
	if err != nil {
		return nil, fmt.Errorf("starting clickhouse server: %w", err)
	}
	l, err := newLayout(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
	}
	// Checked before writing config.xml: a running server rereads its
	// config files, and must not see them change under it.
	if err := checkDirFree(l); err != nil {
		return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
	}
	if err := os.MkdirAll(l.dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating directory %s: %w", l.dir, err)
	}
	if err := removeTemporaryParts(l, logger); err != nil {
		return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
	}
	password, err := ensurePasswords(l)
	if err != nil {
		return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.StartTimeout)
	defer cancel()

	// A pinned port is used as given; otherwise the remembered one while it
	// is free, else a new free one, which is remembered once the server
	// answers on it.
	port := cfg.Port
	if port == 0 {
		if p := rememberedPort(l); p != 0 {
			if portFree(p) {
				port = p
			} else {
				logger.Warn("remembered port is taken, picking another", "port", p, "file", l.portFile())
			}
		}
	}
	for attempt := 1; ; attempt++ {
		try := port
		if try == 0 {
			if try, err = freePort(); err != nil {
				return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
			}
		}
		s, err := launchOnce(ctx, l, bin, logger, detached, try, password, cfg.Clusters)
		if err == nil {
			if cfg.Port == 0 {
				if err := writeFileAtomic(l.portFile(), strconv.Itoa(try)+"\n"); err != nil {
					_ = s.terminate()
					return nil, err
				}
			}
			return s, nil
		}
		if cfg.Port == 0 && attempt < portAttempts && errors.Is(err, errPortTaken) && ctx.Err() == nil {
			logger.Warn("port was taken, retrying with another", "port", try, "attempt", attempt)
			port = 0
			continue
		}
		return nil, fmt.Errorf("starting clickhouse-server from %s: %w", bin.path, err)
	}
}

// errPortTaken marks an early exit caused by a lost race for the port.
var errPortTaken = errors.New("port already in use")

func launchOnce(ctx context.Context, l layout, bin command, logger *slog.Logger, detached bool, port int, pw passwords, clusters []RemoteCluster) (*Server, error) {
	if err := writeConfig(l, port, pw, clusters); err != nil {
		return nil, err
	}
	logs := markLogs(l)
	console, err := os.OpenFile(l.consoleLog(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", l.consoleLog(), err)
	}
	defer console.Close() // the child keeps its own copy

	args := append(append([]string(nil), bin.args...), "--config-file="+l.configFile())
	cmd := exec.Command(bin.path, args...)
	cmd.Dir = l.dir
	cmd.Stdout = console
	cmd.Stderr = console
	cmd.SysProcAttr = procAttr(detached)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running %s: %w", bin.path, err)
	}
	s := &Server{
		layout: l,
		addr:   net.JoinHostPort(loopbackHost, strconv.Itoa(port)),
		cmd:    cmd,
		pw:     pw,
		exited: make(chan struct{}),
		logger: logger,
	}
	if detached {
		// Written before the wait so that StopDetached can end a server
		// whose starter died half-way.
		if err := writeFileAtomic(l.pidFile(), strconv.Itoa(cmd.Process.Pid)+"\n"); err != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
			return nil, err
		}
	}
	// Reaping in the background also keeps a detached server that dies while
	// we run from lingering as a zombie that looks alive.
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		_ = s.terminate()
		if detached {
			removeState(l)
		}
		tail := logs.tail()
		if strings.Contains(tail, "Address already in use") {
			err = fmt.Errorf("%w: %w", errPortTaken, err)
		}
		if tail != "" {
			return nil, fmt.Errorf("%w; server log (%s): %s", err, l.logDir(), tail)
		}
		return nil, err
	}
	logger.Info("clickhouse-server started",
		"addr", s.addr, "pid", cmd.Process.Pid, "dir", l.dir, "binary", bin.path,
		"detached", detached, "took", time.Since(started).Round(time.Millisecond))
	return s, nil
}

// waitReady polls with a native-protocol ping until the server answers, the
// process exits, or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := ping(ctx, s.addr)
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("server exited before answering (%v)", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s to answer (last ping: %v): %w", s.addr, err, context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// freePort asks the kernel for a free loopback port. The listener is closed
// before the server binds, hence the retry on errPortTaken.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(loopbackHost, "0"))
	if err != nil {
		return 0, fmt.Errorf("picking a free port on %s: %w", loopbackHost, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// checkDirFree tries the lock that ClickHouse itself holds on <path>/status
// for as long as it runs.
func checkDirFree(l layout) error {
	status := filepath.Join(l.dataPath(), "status")
	f, err := os.Open(status)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("opening %s: %w", status, err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("checking %s: %w", status, ErrDataDirInUse)
	}
	if err != nil {
		return fmt.Errorf("locking %s: %w", status, err)
	}
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
