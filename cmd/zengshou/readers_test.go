package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"zengshou/internal/crashpoint"
	"zengshou/internal/testenv"
	"zengshou/pipeline/sink/clickhouse/snapshot"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

// tableView is what a reader saw of one published table's 2025-01 rows: the
// row count and an order-independent hash of the rows (run_id and
// timestamps aside), and the runs the rows belong to.
type tableView struct {
	rows uint64
	hash string
	runs []string
}

func (v tableView) content() string { return fmt.Sprintf("%d rows %s", v.rows, v.hash) }

// view is what a reader saw of every published table of 2025-01.
type view map[string]tableView

// readView reads every published table of 2025-01, one query per table,
// as a reader of the warehouse does.
func readView(ctx context.Context, conn driver.Conn) (view, error) {
	out := view{}
	for _, t := range schemas.Tables {
		if !t.Published {
			continue
		}
		var cols []string
		for _, c := range t.Columns {
			if c.Name != "run_id" && !strings.Contains(c.Type, "DateTime") {
				cols = append(cols, asText(c))
			}
		}
		var v tableView
		err := conn.QueryRow(ctx, fmt.Sprintf("SELECT count(), toString(sum(cityHash64(%s))), arraySort(groupUniqArray(run_id)) FROM %s WHERE toYYYYMM(period) = 202501",
			strings.Join(cols, ", "), t.Name)).Scan(&v.rows, &v.hash, &v.runs)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", t.Name, err)
		}
		out[t.Name] = v
	}
	return out, nil
}

// whole says which publication a view is entirely, "" when it is a mix:
// every table has that publication's content, and one run holds the rows of
// every table.
func (v view) whole(pubs map[string]view) string {
	var runs []string
	for _, tv := range v {
		runs = append(runs, tv.runs...)
	}
	slices.Sort(runs)
	if len(slices.Compact(runs)) > 1 {
		return ""
	}
	for name, pub := range pubs {
		ok := true
		for table, tv := range v {
			ok = ok && tv.content() == pub[table].content()
		}
		if ok {
			return name
		}
	}
	return ""
}

// content is the view without the run ids.
func (v view) content() map[string]string {
	out := map[string]string{}
	for name, tv := range v {
		out[name] = tv.content()
	}
	return out
}

// TestReadersSeeOnePublicationOfEveryTable re-publishes a period while
// readers query every published table of it. Two deliveries A and B of
// 2025-01 (different synthetic provinces) are published in turn, so each
// table's content tells which one a reader saw.
//
// A reader querying the tables one after another without looking at the
// publication mark sees a mix: with the publisher stopped right after its
// person_month swap, person_month is the new delivery's and household_year
// the old one's. A reader going through snapshot.Read does not read while a
// run is publishing (the mark says so: stopped there, a read with a short
// wait gives up without calling its function), and reads the new
// publication whole once it is done. reports.Build builds no report while
// the publisher is stopped, and one from the new run once it is done. Then three readers loop through
// snapshot.Read while the publisher alternates the deliveries: every
// snapshot they get is A whole or B whole, one run across all tables.
func TestReadersSeeOnePublicationOfEveryTable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	sc := newFaultScene(t, testenv.ClickHouse(t))
	inboxB := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Households, cfg.From, cfg.To, cfg.Seed = faultHouseholds, "2025-01", "2025-01", cfg.Seed+1
	_, err := synth.Generate(ctx, cfg, inboxB)
	require.NoError(t, err)
	inboxes := map[string]string{"A": sc.inbox, "B": inboxB}
	runFrom := func(name string, env ...string) *child {
		return startChild(t, env, "run", "--inbox", inboxes[name], "--period", "2025-01", "--clickhouse", sc.dsn,
			"--data-dir", sc.dataDir, "--hmac-key-file", sc.key, "--log-level", "warn")
	}
	publish := func(name string) {
		t.Helper()
		c := runFrom(name)
		require.Equal(t, exitOK, c.wait(t), "publishing %s; stderr: %s", name, c.stderr.String())
	}

	pubs := map[string]view{}
	for _, name := range []string{"B", "A"} {
		publish(name)
		pubs[name], err = readView(ctx, sc.conn)
		require.NoError(t, err)
	}
	for _, table := range []string{schemas.PersonMonthTable.Name, schemas.HouseholdYearTable.Name, schemas.IndicatorTable.Name} {
		require.NotEqual(t, pubs["A"][table].content(), pubs["B"][table].content(), "%s differs between the deliveries", table)
	}
	require.Equal(t, "A", pubs["A"].whole(pubs))

	t.Run("a reader that ignores the mark sees a mix; one through snapshot.Read waits", func(t *testing.T) {
		point := "after-swap:" + schemas.PersonMonthTable.Name
		c := runFrom("B", crashpoint.Env+"="+point+":pause")
		c.reached(t, point)

		naive, err := readView(ctx, sc.conn)
		require.NoError(t, err)
		require.Equal(t, "", naive.whole(pubs), "stopped between swaps, the tables are a mix")
		// person_month is the new delivery's; the tables after it (at least
		// the last, quarantine) still the old one's.
		require.Equal(t, pubs["B"][schemas.PersonMonthTable.Name].content(), naive[schemas.PersonMonthTable.Name].content())
		require.Equal(t, pubs["A"][schemas.QuarantineTable.Name].content(), naive[schemas.QuarantineTable.Name].content(),
			"A %v, B %v, read %v", pubs["A"], pubs["B"], naive)

		mark, err := snapshot.ReadMark(ctx, sc.conn)
		require.NoError(t, err)
		require.Equal(t, uint64(1), mark.Publishing, "the mark says a run is publishing")
		calls, err := snapshot.Read(ctx, sc.conn, snapshot.Options{Wait: time.Second, Poll: 50 * time.Millisecond},
			func(context.Context) error { return nil })
		require.ErrorIs(t, err, snapshot.ErrBusy)
		require.Zero(t, calls, "no read while a run is publishing")

		type result struct {
			v     view
			calls int
			err   error
		}
		done := make(chan result, 1)
		go func() {
			var v view
			calls, err := snapshot.Read(ctx, sc.conn, snapshot.Options{Poll: 20 * time.Millisecond}, func(ctx context.Context) (err error) {
				v, err = readView(ctx, sc.conn)
				return err
			})
			done <- result{v, calls, err}
		}()
		// A report reads through snapshot.Read too: while the publisher is
		// stopped it builds nothing (here it gives up when its context ends).
		opts := reports.DefaultOptions()
		opts.Period, opts.OutDir, opts.PDF = values.NewMonth(2025, 1), t.TempDir(), reports.PDFOff
		short, cancelShort := context.WithTimeout(ctx, time.Second)
		_, err = reports.Build(short, sc.conn, opts)
		cancelShort()
		require.ErrorIs(t, err, context.DeadlineExceeded, "no report from a half-swapped period")
		recorded, err := reports.Latest(ctx, sc.conn)
		require.NoError(t, err)
		require.Empty(t, recorded)

		require.NoError(t, c.cmd.Process.Signal(syscall.SIGCONT))
		require.Equal(t, exitOK, c.wait(t), "stderr: %s", c.stderr.String())
		got := <-done
		require.NoError(t, got.err)
		require.Equal(t, "B", got.v.whole(pubs), "the publication the reader waited for, whole: %v", got.v.content())
		pubs["B"] = got.v // the new run's ids
		_, err = reports.Build(ctx, sc.conn, opts)
		require.NoError(t, err)
		recorded, err = reports.Latest(ctx, sc.conn)
		require.NoError(t, err)
		require.Len(t, recorded, 1)
		require.Equal(t, got.v[schemas.IndicatorTable.Name].runs, recorded[0].SourceRuns, "the report is built from the new publication")
	})

	t.Run("concurrent readers during re-publications", func(t *testing.T) {
		const readers, republications = 3, 6
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]int{}
		calls, mixedNaive := 0, 0
		var failures []string
		current := func() map[string]view {
			mu.Lock()
			defer mu.Unlock()
			return map[string]view{"A": pubs["A"], "B": pubs["B"]}
		}
		for r := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Duration(5+10*r) * time.Millisecond):
					}
					var v view
					n, err := snapshot.Read(ctx, sc.conn, snapshot.Options{Poll: 20 * time.Millisecond}, func(ctx context.Context) (err error) {
						v, err = readView(ctx, sc.conn)
						return err
					})
					naive, nerr := readView(ctx, sc.conn)
					mixed := err == nil && nerr == nil && naive.whole(current()) == ""
					mu.Lock()
					calls += n
					if mixed {
						mixedNaive++
					}
					mu.Unlock()
					if errors.Is(err, context.Canceled) || errors.Is(nerr, context.Canceled) {
						return
					}
					if err != nil {
						mu.Lock()
						failures = append(failures, err.Error())
						mu.Unlock()
						continue
					}
					which := v.whole(current())
					mu.Lock()
					if which == "" {
						failures = append(failures, fmt.Sprintf("reader %d saw a mix: %v", r, v))
					}
					seen[which]++
					mu.Unlock()
				}
			}()
		}
		started := time.Now()
		for i := range republications {
			name := []string{"B", "A"}[i%2]
			publish(name)
			v, err := readView(ctx, sc.conn)
			require.NoError(t, err)
			require.Equal(t, name, v.whole(current()))
			mu.Lock()
			pubs[name] = v
			mu.Unlock()
		}
		close(stop)
		wg.Wait()
		require.Empty(t, failures)
		snapshots := seen["A"] + seen["B"]
		require.Positive(t, snapshots)
		t.Logf("%d re-publications in %s; %d readers took %d snapshots (A %d, B %d) in %d reads (%d repeated); readers ignoring the mark saw %d mixes",
			republications, time.Since(started).Round(time.Millisecond), readers, snapshots, seen["A"], seen["B"], calls, calls-snapshots, mixedNaive)
	})
}
