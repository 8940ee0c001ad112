package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long Stop waits after SIGTERM before SIGKILL.
const stopGrace = 20 * time.Second

// ErrDataDirInUse reports that another server already runs on the data
// directory; ClickHouse allows one per directory.
var ErrDataDirInUse = errors.New("another clickhouse-server is already running in this data directory")

// Server is a running clickhouse-server child process.
type Server struct {
	layout  layout
	addr    string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // valid after exited is closed
	logger  *slog.Logger
	pw      passwords // the named accounts' passwords

	stopOnce sync.Once
	stopErr  error
}

// Start runs a private ClickHouse server in the foreground as a child process
// in its own process group, and returns once it answers a native-protocol
// ping. The caller must call Stop. ctx bounds the start only.
func Start(ctx context.Context, cfg Config, logger *slog.Logger) (*Server, error) {
	return launch(ctx, cfg, logger, false)
}

// DSN returns the administrator's clickhouse-go DSN of the server, without
// a database: clickhouse://default@127.0.0.1:PORT/. zengshou itself
// connects as the writer (WriterDSN).
func (s *Server) DSN() string { return dsnFor(s.addr) }

// WriterDSN returns the pipeline writer's DSN, without a database:
// clickhouse://zengshou_writer:PASSWORD@127.0.0.1:PORT/.
func (s *Server) WriterDSN() string { return accountDSN(WriterUser, s.addr, s.pw.writer) }

// AnalystDSN returns the read-only analyst account's DSN, without a
// database: clickhouse://analyst:PASSWORD@127.0.0.1:PORT/.
func (s *Server) AnalystDSN() string { return accountDSN(AnalystUser, s.addr, s.pw.analyst) }

// Addr returns the host:port of the native TCP interface.
func (s *Server) Addr() string { return s.addr }

// Stop sends SIGTERM to the server's process group, waits up to 20 s for it
// to exit, then kills it. Calling Stop again returns the first result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopErr = s.terminate()
		if s.stopErr == nil {
			s.logger.Info("clickhouse-server stopped", "addr", s.addr, "dir", s.layout.dir)
		}
	})
	return s.stopErr
}

func (s *Server) terminate() error {
	pid := s.cmd.Process.Pid
	select {
	case <-s.exited:
		return nil
	default:
	}
	if err := syscall.Kill(-pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stopping clickhouse-server pid %d: %w", pid, err)
	}
	select {
	case <-s.exited:
		return nil
	case <-time.After(stopGrace):
	}
	s.logger.Warn("clickhouse-server ignored SIGTERM, killing it", "pid", pid, "grace", stopGrace)
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing clickhouse-server pid %d: %w", pid, err)
	}
	select {
	case <-s.exited:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("stopping clickhouse-server pid %d: still running after SIGKILL", pid)
	}
}

func dsnFor(addr string) string { return "clickhouse://default@" + addr + "/" }

// Kill ends the server at once with SIGKILL, as a crash or `kill -9` does
// (no shutdown, no clean-up), and waits until it is gone. Tests use it to
// check what survives a crash of the server.
func (s *Server) Kill() error {
	var err error
	s.stopOnce.Do(func() {
		pid := s.cmd.Process.Pid
		if kerr := syscall.Kill(-pid, syscall.SIGKILL); kerr != nil && !errors.Is(kerr, syscall.ESRCH) {
			err = fmt.Errorf("killing clickhouse-server pid %d: %w", pid, kerr)
			s.stopErr = err
			return
		}
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			err = fmt.Errorf("killing clickhouse-server pid %d: still running after SIGKILL", pid)
		}
		s.stopErr = err
	})
	return err
}
