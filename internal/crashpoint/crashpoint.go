// Package crashpoint lets the fault tests stop or kill a zengshou process at
// a named point of a run. It is compiled into every build and inert unless
// the environment variable ZENGSHOU_TEST_CRASHPOINT is set; nothing in
// zengshou sets it, and no configuration file or flag reaches it.
//
// ZENGSHOU_TEST_CRASHPOINT=<name>:<action>, where name is one of the points
// below (the ones taking a table are "<point>:<table>", e.g.
// "staged:person_month:exit") and action is
//
//   - exit:  the process sends itself SIGKILL at the point — exactly what a
//     kill -9 there would do (no deferred function, no clean-up runs);
//   - pause: the process writes "crashpoint <name> reached" on stderr and
//     sends itself SIGSTOP; the test kills it, or resumes it with SIGCONT
//     after doing something to the world (e.g. restarting ClickHouse).
//
// The points of a period run, in order (Points lists them):
//
//	after-begin              etl_run says running, the staging tables exist
//	before-dimension-swap    dim_county's new content staged, not swapped
//	after-dimension          dim_county replaced
//	staged:<table>           a batch of <table> staged (the first one)
//	before-publish           everything staged, the run not yet publishing
//	publishing               etl_run says publishing, no table swapped
//	before-swap:<table>      the swaps before <table> done
//	after-swap:<table>       <table> swapped
//	before-cleanup-wait      every table swapped, replaced parts not awaited
//	published                etl_run says published, staging not dropped
//	after-publish            staging dropped, later periods not marked stale
//
// A run on a cluster (clickhouse.Cluster) passes the same points, the
// per-table ones once per shard, and two more of its own, "<n>" being a
// shard's number (1-based, remote_servers order):
//
//	shard-publishing:<n>     shards 1..n say publishing, the later ones
//	                         still running (not on the last shard: that is
//	                         publishing)
//	publishing               every shard says publishing, none swapped
//	shard-published:<n>      shards 1..n swapped and say published, the
//	                         later ones still publishing (the last shard's:
//	                         every shard published, staging not dropped)
//
// Points leaves these out: a single node never passes them.
package crashpoint

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
)

// Env names the variable that arms a crash point.
const Env = "ZENGSHOU_TEST_CRASHPOINT"

// Points are the crash points of a period run, in the order a run passes
// them; "<table>" stands for each published table.
var Points = []string{
	"after-begin", "before-dimension-swap", "after-dimension", "staged:<table>", "before-publish", "publishing",
	"before-swap:<table>", "after-swap:<table>", "before-cleanup-wait", "published", "after-publish",
}

// Hit is a crash point: when ZENGSHOU_TEST_CRASHPOINT arms name, the
// process is killed or stopped here; otherwise Hit does nothing.
func Hit(name string) {
	armed := os.Getenv(Env)
	if armed == "" {
		return
	}
	i := strings.LastIndexByte(armed, ':')
	if i < 0 || armed[:i] != name {
		return
	}
	switch armed[i+1:] {
	case "exit":
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	case "pause":
		fmt.Fprintf(os.Stderr, "crashpoint %s reached\n", name)
		// SIGSTOP sent to the process goes to one of its threads (the
		// kernel picks the group leader), and until that thread stops the
		// group, the goroutine that hit the point runs on: it could send the
		// next statement (a readers test once caught household_year swapped
		// after a pause at person_month's swap). Sent to this very thread,
		// it is handled before the thread returns from the system call.
		runtime.LockOSThread()
		_ = syscall.Tgkill(os.Getpid(), syscall.Gettid(), syscall.SIGSTOP)
		runtime.UnlockOSThread()
	}
}
