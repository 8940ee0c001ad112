package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/internal/crashpoint"
	"zengshou/schemas"
	"zengshou/transforms/privacy"
	"zengshou/transforms/values"
)

// Runner runs the period job: extract → normalise → join → compute → load.
type Runner struct {
	sink    Sink
	params  config.Params
	regions *schemas.Regions
	hmacKey []byte
	// fingerprint identifies hmacKey in the warehouse (never the key).
	fingerprint string
	mem         memory.Allocator
	logger      *slog.Logger
	// ChunkHouseholds bounds how many households' rows are built and staged
	// at once.
	ChunkHouseholds int
	// AllowMissing lets a run replace a publication that read a source
	// with a delivery lacking it; without it such a run is refused.
	AllowMissing bool
	// RowCountChange is the share by which a source's rows read may differ
	// from the latest published period's before the run fails (0.5: half
	// as many or 1.5 times as many); 0 turns the check off.
	RowCountChange float64
	// AcceptRowCountChange lets a run through a row-count change (the
	// operator checked the delivery).
	AcceptRowCountChange bool
	// Progress, if set, is told the stage and rows as the run goes (one call
	// at a time, also while several extracts are read at once).
	Progress   ProgressFunc
	progressMu sync.Mutex
	// ReadWorkers is how many department extracts are read at once after
	// the roster (0: two, or one on a single core).
	ReadWorkers int
	// Cities, when set, makes every run a part of a per-city run
	// (part.go): it keeps these cities' roster and sales rows only and
	// hands its sink Run.Part, for Combine.
	Cities []string
}

// rowCountFloor is the smaller of two counts below which the row-count
// check does not apply: small extracts swing by chance.
const rowCountFloor = 100

// NewRunner returns a Runner publishing to sink.
func NewRunner(sink Sink, params config.Params, regions *schemas.Regions, hmacKey []byte, mem memory.Allocator, logger *slog.Logger) *Runner {
	return &Runner{sink: sink, params: params, regions: regions, hmacKey: hmacKey, fingerprint: privacy.Fingerprint(hmacKey),
		mem: mem, logger: logger, ChunkHouseholds: 50000}
}

// ErrRosterMissing is returned when a period has no roster: without it there
// is no target population to join onto.
var ErrRosterMissing = errors.New("the roster (帮扶对象名册) was not delivered")

// ErrKeyMismatch is returned (wrapped) when the run's pseudonymisation key is
// not the one the warehouse was built with: its person and household keys
// would match no history. The run is refused before anything is written.
var ErrKeyMismatch = errors.New("the pseudonymisation key is not the warehouse's")

// MissingSourcesError refuses a run that would replace a publication which
// read some sources with a delivery lacking them (Runner.AllowMissing
// overrides). Nothing is changed; the run is recorded as failed.
type MissingSourcesError struct {
	Period values.Month
	// RunID is the run of the current publication.
	RunID string
	// Sources are the sources it read that this delivery lacks.
	Sources []string
}

func (e *MissingSourcesError) Error() string {
	return fmt.Sprintf("refusing to replace the publication of %s by run %s with a delivery lacking %s, which it had",
		e.Period, e.RunID, strings.Join(e.Sources, ", "))
}

// ErrRosterEmpty is returned when the roster holds no acceptable row (a
// header-only file, or every row quarantined): there is nobody to join onto.
var ErrRosterEmpty = errors.New("the roster (帮扶对象名册) has no acceptable row: check the delivery")

// Run runs the period with the delivered extracts. It returns the run record
// whatever happened; a non-nil error means the period was not published and
// its previous publication, if any, is still in place — unless run.Status is
// published: then only marking the later periods stale failed, and the next
// run catches up on the marks before it begins.
func (r *Runner) Run(ctx context.Context, period values.Month, extracts []Extract) (*Run, error) {
	return r.RunAs(ctx, NewRunID(), period, extracts)
}

// RunAs is Run under a run ID the caller chose (the one its period lock
// names).
func (r *Runner) RunAs(ctx context.Context, id string, period values.Month, extracts []Extract) (*Run, error) {
	run := &Run{ID: id, Job: "period", Period: period, Started: time.Now().UTC(), Status: StatusRunning}
	delivered := map[string]bool{}
	for _, ex := range extracts {
		delivered[ex.Contract.Name] = true
	}
	for _, s := range schemas.Sources {
		if !delivered[s.Name] {
			run.Missing = append(run.Missing, s.Name)
		}
	}
	log := r.logger.With("run_id", run.ID, "period", period.String())
	return r.runWith(ctx, run, log, func() error {
		log.Info("run started", "extracts", len(extracts), "missing", run.Missing)
		return r.execute(ctx, run, extracts, log)
	})
}

// runWith runs exec as the work of run between Begin and Publish: the key
// check and stale catch-up before, the failure record or the stale marks
// after.
func (r *Runner) runWith(ctx context.Context, run *Run, log *slog.Logger, exec func() error) (*Run, error) {
	period := run.Period
	if err := r.sink.CheckKey(ctx, r.fingerprint, run.ID); err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	// Catch up on stale marks a process killed after publishing left out.
	if _, err := r.sink.MarkStale(ctx); err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	// Begin records the run as running before it creates the run's staging
	// tables: when it fails half-way (ctx cancelled, ClickHouse gone) the
	// run is recorded as failed like any other failure, never left running.
	err := r.sink.Begin(ctx, run)
	if err == nil {
		crashpoint.Hit("after-begin")
		err = exec()
	}
	run.Finished = time.Now().UTC()
	if err != nil && run.Status == StatusPublishing {
		// The swaps may be half done: the run stays recorded as publishing
		// and the sink completes it from the intact staging partitions the
		// next time it connects.
		return run, fmt.Errorf("running period %s: publication interrupted (completed at the next start): %w", period, err)
	}
	if err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		// Record the failure even when ctx was cancelled.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if ferr := r.sink.Fail(fctx, run); ferr != nil {
			return run, fmt.Errorf("running period %s: %w (and %v)", period, err, ferr)
		}
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	for _, st := range run.Stages {
		log.Debug("stage timed", "stage", st.Stage, "rows", st.Rows, "seconds", st.Seconds)
	}
	log.Info("run published", "seconds", run.Finished.Sub(run.Started).Seconds())
	crashpoint.Hit("after-publish")
	// Later published periods were computed from what this run replaced.
	stale, err := r.sink.MarkStale(ctx)
	if err != nil {
		return run, fmt.Errorf("running period %s: published, but %w", period, err)
	}
	run.Stale = stale
	return run, nil
}

// Refused records an attempt that failed before it could start (the
// inbox could not be read, the period is locked by another run) as a
// failed run with the error, so that every attempt leaves a trace in
// etl_run. It returns the run record.
func (r *Runner) Refused(ctx context.Context, id string, period values.Month, cause error) *Run {
	now := time.Now().UTC()
	run := &Run{ID: id, Job: "period", Period: period, Started: now, Finished: now, Status: StatusFailed, Error: cause.Error()}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := r.sink.Fail(fctx, run); err != nil {
		r.logger.Error("recording refused run", "run_id", id, "period", period.String(), "error", err)
	}
	return run
}

// Settle settles the runs of period left by dead processes (see
// Sink.Settle); the caller holds the period's lock.
func (r *Runner) Settle(ctx context.Context, period values.Month, self string) error {
	return r.sink.Settle(ctx, period, self)
}

// NewRunID returns a sortable, unique run identifier.
func NewRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:])
}
