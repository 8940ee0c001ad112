package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"zengshou/transforms/values"
)

// Per-period locks. Every process that runs a period (`zengshou run`, the
// scheduler daemon) holds the period's lock from before it reads the inbox
// until its run is published or recorded as failed, so two runs of one
// period never overlap on one machine.
//
// A lock is an OS file lock (flock(2), exclusive) on
// <data-dir>/locks/<YYYY-MM>.lock. The kernel releases it when the holding
// process exits in any way (kill -9 included), so a lock is never left
// behind; the file's content says who holds it. A holder that releases the
// lock empties the file, so a process that finds a holder recorded in a
// file it could lock knows that holder died holding it (Abandoned).
//
// The lock holds for the processes of one machine that share the data
// directory. It is not a lease in ClickHouse: ClickHouse 18.16 has no
// compare-and-set (no transactions, no conditional insert, and
// ReplacingMergeTree keeps the highest version only after a merge), so two
// processes could both "take" a lease row. Per-run staging tables keep two
// runs that do overlap (two machines) from mixing their rows.
//
// Use (what RunPeriod does; the scheduler daemon calls RunPeriod, or does
// the same):
//
//	locks := jobs.NewLocks(cfg.DataDir)
//	id := pipeline.NewRunID()
//	lock, err := locks.Lock(ctx, period, jobs.NewHolder(id, "zengshou serve"), wait)
//	// err is a *HeldError when another process holds the period
//	defer lock.Release()
//	runner.Settle(ctx, period, id) // dead runs of the period: failed / completed
//	runner.RunAs(ctx, id, period, extracts)
//
// and the warehouse connection lends the locks to recovery:
// sink.SetGuard(jobs.Guard{Locks: locks, Command: "zengshou serve"}).

// Holder says who holds (or held) a period lock.
type Holder struct {
	// RunID is the etl_run run_id of the run the lock is held for.
	RunID string `json:"run_id"`
	// PID and Host name the holding process.
	PID  int    `json:"pid"`
	Host string `json:"host"`
	// Command is what the process runs, e.g. "zengshou run" or "zengshou serve".
	Command string `json:"command"`
	// Since is when the lock was taken (UTC).
	Since time.Time `json:"since"`
}

// NewHolder describes the calling process holding a lock for run runID.
func NewHolder(runID, command string) Holder {
	host, _ := os.Hostname()
	return Holder{RunID: runID, PID: os.Getpid(), Host: host, Command: command, Since: time.Now().UTC().Truncate(time.Second)}
}

func (h Holder) String() string {
	return fmt.Sprintf("批次 %s (进程 %d, 主机 %s, 命令 %s) 自 %s 起", orUnknown(h.RunID), h.PID, orUnknown(h.Host),
		orUnknown(h.Command), h.Since.Local().Format("2006-01-02 15:04:05"))
}

func orUnknown(s string) string {
	if s == "" {
		return "未知"
	}
	return s
}

// HeldError reports that another process holds the period's lock.
type HeldError struct {
	Period values.Month
	// Holder is what the lock file says; zero if it could not be read.
	Holder Holder
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("统计期 %s 正由另一进程运行: %s持有锁 (等待可加 --wait-lock 时长)", e.Period, e.Holder)
}

// Locks hands out the period locks of one data directory.
type Locks struct {
	dir string
	// poll is how often Lock retries while it waits.
	poll time.Duration
}

// NewLocks returns the locks kept in <dataDir>/locks (created on first use).
func NewLocks(dataDir string) *Locks {
	return &Locks{dir: filepath.Join(dataDir, "locks"), poll: 200 * time.Millisecond}
}

// Path is the lock file of period.
func (l *Locks) Path(period values.Month) string {
	return filepath.Join(l.dir, period.String()+".lock")
}

// PeriodLock is a held period lock; Release lets go of it.
type PeriodLock struct {
	Period values.Month
	Holder Holder
	// Abandoned is the holder the lock file named when the lock was taken:
	// a process that died holding the lock (its run may be left running or
	// publishing in etl_run). Nil when the lock was released cleanly.
	Abandoned *Holder
	f         *os.File
}

// TryLock takes the period's lock for holder if no live process holds it;
// otherwise it returns a *HeldError naming the holder.
func (l *Locks) TryLock(period values.Month, holder Holder) (*PeriodLock, error) {
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return nil, fmt.Errorf("locking %s: %w", period, err)
	}
	path := l.Path(period)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", period, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close() //nolint:errcheck // read-only use so far
		if errors.Is(err, unix.EWOULDBLOCK) {
			held := &HeldError{Period: period}
			if h := l.recorded(period); h != nil {
				held.Holder = *h
			}
			return nil, held
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	lock := &PeriodLock{Period: period, Holder: holder, f: f}
	if prev, err := readHolder(f); err == nil && prev != nil {
		lock.Abandoned = prev
	}
	if err := lock.write(holder); err != nil {
		lock.Release() //nolint:errcheck // already failing
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return lock, nil
}

// Lock takes the period's lock, waiting up to wait for a live holder to
// let go (wait 0: try once). When the wait ends, or ctx is done, it returns
// the *HeldError of the last try.
func (l *Locks) Lock(ctx context.Context, period values.Month, holder Holder, wait time.Duration) (*PeriodLock, error) {
	deadline := time.Now().Add(wait)
	for {
		lock, err := l.TryLock(period, holder)
		var held *HeldError
		if !errors.As(err, &held) || !time.Now().Before(deadline) {
			return lock, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(min(l.poll, time.Until(deadline))):
		}
	}
}

// recorded reads the holder the period's lock file names (nil if none).
// Called when the lock is held by someone else, it names the live holder.
func (l *Locks) recorded(period values.Month) *Holder {
	f, err := os.Open(l.Path(period))
	if err != nil {
		return nil
	}
	defer f.Close() //nolint:errcheck // read-only
	h, _ := readHolder(f)
	return h
}

// SetRunID records the run the lock is held for when it became known
// after the lock was taken.
func (p *PeriodLock) SetRunID(runID string) error {
	p.Holder.RunID = runID
	if err := p.write(p.Holder); err != nil {
		return fmt.Errorf("recording run %s in the lock of %s: %w", runID, p.Period, err)
	}
	return nil
}

// Release empties the lock file (so the next holder does not take this one
// for dead) and lets go of the lock. Calling it again does nothing.
func (p *PeriodLock) Release() error {
	if p == nil || p.f == nil {
		return nil
	}
	f := p.f
	p.f = nil
	terr := f.Truncate(0)
	uerr := unix.Flock(int(f.Fd()), unix.LOCK_UN)
	cerr := f.Close()
	if err := errors.Join(terr, uerr, cerr); err != nil {
		return fmt.Errorf("releasing the lock of %s: %w", p.Period, err)
	}
	return nil
}

func (p *PeriodLock) write(h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := p.f.Truncate(0); err != nil {
		return err
	}
	if _, err := p.f.WriteAt(append(b, '\n'), 0); err != nil {
		return err
	}
	return p.f.Sync()
}

// readHolder parses a lock file's content: nil when it is empty; a Holder
// with only what could be read when it is damaged (a crash mid-write).
func readHolder(f *os.File) (*Holder, error) {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil, nil
	}
	var h Holder
	if err := json.Unmarshal(b, &h); err != nil {
		return &Holder{}, nil
	}
	return &h, nil
}
