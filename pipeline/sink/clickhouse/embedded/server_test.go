package embedded

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A binary that dies at once must give an error quoting its output rather
// than a wait for the whole start timeout.
func TestStartReportsEarlyExitWithLogTail(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "clickhouse-server")
	script := "#!/bin/sh\necho 'Logging warning to somewhere'\necho 'DB::Exception: bad config' >&2\nexit 3\n"
	require.NoError(t, os.WriteFile(fake, []byte(script), 0o755))

	cfg := DefaultConfig()
	cfg.Binary = fake
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.StartTimeout = 30 * time.Second

	started := time.Now()
	s, err := Start(context.Background(), cfg, nil)
	require.Nil(t, s)
	require.ErrorContains(t, err, "starting clickhouse-server from "+fake)
	require.ErrorContains(t, err, "exit status 3")
	require.ErrorContains(t, err, "DB::Exception: bad config")
	require.NotContains(t, err.Error(), "Logging warning")
	require.Less(t, time.Since(started), 10*time.Second)
}

func TestStartHonoursStartTimeout(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "clickhouse-server")
	require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep 60\n"), 0o755))

	cfg := DefaultConfig()
	cfg.Binary = fake
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.StartTimeout = 500 * time.Millisecond

	_, err := Start(context.Background(), cfg, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}
