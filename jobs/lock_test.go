package jobs_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zengshou/jobs"
	"zengshou/transforms/values"
)

var lockPeriod = values.NewMonth(2025, 1)

// TestAPeriodLockHasOneHolder: while one holder has a period, a second
// TryLock (another open of the file, as another process makes) gets a
// HeldError naming the holder; other periods are free; after Release the
// period can be taken again and nobody is reported as abandoned.
func TestAPeriodLockHasOneHolder(t *testing.T) {
	dir := t.TempDir()
	a, b := jobs.NewLocks(dir), jobs.NewLocks(dir)
	first := jobs.NewHolder("run-1", "zengshou run")
	lock, err := a.TryLock(lockPeriod, first)
	require.NoError(t, err)
	require.Nil(t, lock.Abandoned)

	_, err = b.TryLock(lockPeriod, jobs.NewHolder("run-2", "zengshou run"))
	var held *jobs.HeldError
	require.True(t, errors.As(err, &held), "second TryLock: %v", err)
	require.Equal(t, first, held.Holder)
	require.Equal(t, lockPeriod, held.Period)
	require.NotContains(t, err.Error(), "\n", "one line")
	for _, want := range []string{"2025-01", "run-1", "zengshou run", first.Host} {
		require.Contains(t, err.Error(), want)
	}

	other, err := b.TryLock(values.NewMonth(2025, 2), jobs.NewHolder("run-3", "zengshou run"))
	require.NoError(t, err, "another period is free")
	require.NoError(t, other.Release())

	require.NoError(t, lock.Release())
	require.NoError(t, lock.Release(), "a second Release does nothing")
	again, err := b.TryLock(lockPeriod, jobs.NewHolder("run-2", "zengshou run"))
	require.NoError(t, err)
	require.Nil(t, again.Abandoned, "a released lock is not abandoned")
	require.NoError(t, again.Release())
}

// TestALockLeftByADeadHolderIsRecovered: a lock file that still names a
// holder but that nobody holds (the kernel released the flock of a killed
// process) is taken at once and reports the dead holder as Abandoned.
func TestALockLeftByADeadHolderIsRecovered(t *testing.T) {
	dir := t.TempDir()
	locks := jobs.NewLocks(dir)
	dead := jobs.NewHolder("run-dead", "zengshou run")
	dead.PID = 999999
	lock, err := locks.TryLock(lockPeriod, dead)
	require.NoError(t, err)
	// What a killed process leaves: the file with its holder, no flock.
	content, err := os.ReadFile(locks.Path(lockPeriod))
	require.NoError(t, err)
	require.NoError(t, lock.Release())
	require.NoError(t, os.WriteFile(locks.Path(lockPeriod), content, 0o644))

	next, err := locks.TryLock(lockPeriod, jobs.NewHolder("run-next", "zengshou run"))
	require.NoError(t, err)
	defer next.Release()
	require.NotNil(t, next.Abandoned)
	require.Equal(t, dead, *next.Abandoned)

	t.Run("a damaged lock file still counts as abandoned", func(t *testing.T) {
		require.NoError(t, next.Release())
		require.NoError(t, os.WriteFile(locks.Path(lockPeriod), []byte(`{"run_id":"tru`), 0o644))
		l, err := locks.TryLock(lockPeriod, jobs.NewHolder("run-x", "zengshou run"))
		require.NoError(t, err)
		defer l.Release()
		require.NotNil(t, l.Abandoned)
	})
}

// TestLockWaitsForTheHolder: Lock with a wait takes the period once the
// holder lets go; with no wait it returns the HeldError at once.
func TestLockWaitsForTheHolder(t *testing.T) {
	dir := t.TempDir()
	a, b := jobs.NewLocks(dir), jobs.NewLocks(dir)
	lock, err := a.TryLock(lockPeriod, jobs.NewHolder("run-1", "zengshou serve"))
	require.NoError(t, err)

	_, err = b.Lock(t.Context(), lockPeriod, jobs.NewHolder("run-2", "zengshou run"), 0)
	require.ErrorAs(t, err, new(*jobs.HeldError))

	released := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		released <- lock.Release()
	}()
	got, err := b.Lock(t.Context(), lockPeriod, jobs.NewHolder("run-2", "zengshou run"), time.Minute)
	require.NoError(t, err)
	require.NoError(t, <-released)
	require.NoError(t, got.SetRunID("run-2b"))
	content, err := os.ReadFile(b.Path(lockPeriod))
	require.NoError(t, err)
	require.True(t, strings.Contains(string(content), `"run_id":"run-2b"`), "the lock file names the run: %s", content)
	require.NoError(t, got.Release())
}
