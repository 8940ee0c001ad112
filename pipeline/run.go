package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
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
	// Progress, if set, is told the stage and rows as the run goes.
	Progress ProgressFunc
}

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

// Run runs the period with the delivered extracts. It returns the run record
// whatever happened; a non-nil error means the period was not published and
// its previous publication, if any, is still in place — unless run.Status is
// published: then only marking the later periods stale failed, and the next
// run catches up on the marks before it begins.
func (r *Runner) Run(ctx context.Context, period values.Month, extracts []Extract) (*Run, error) {
	run := &Run{ID: NewRunID(), Job: "period", Period: period, Started: time.Now().UTC(), Status: StatusRunning}
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
	if err := r.sink.CheckKey(ctx, r.fingerprint, run.ID); err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	// Catch up on stale marks a process killed after publishing left out.
	if _, err := r.sink.MarkStale(ctx); err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	log.Info("run started", "extracts", len(extracts), "missing", run.Missing)
	if err := r.sink.Begin(ctx, run); err != nil {
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	err := r.execute(ctx, run, extracts, log)
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
	// Later published periods were computed from what this run replaced.
	stale, err := r.sink.MarkStale(ctx)
	if err != nil {
		return run, fmt.Errorf("running period %s: published, but %w", period, err)
	}
	run.Stale = stale
	return run, nil
}

// NewRunID returns a sortable, unique run identifier.
func NewRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:])
}
