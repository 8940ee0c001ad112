package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Runner runs the period job: extract → normalise → join → compute → load.
type Runner struct {
	sink    Sink
	params  config.Params
	regions *schemas.Regions
	hmacKey []byte
	mem     memory.Allocator
	logger  *slog.Logger
	// ChunkHouseholds bounds how many households' rows are built and staged
	// at once.
	ChunkHouseholds int
	// RowCountChange is the share by which a source's rows read may differ
	// from the latest published period's before the run fails (0.5: half
	// as many or 1.5 times as many); 0 turns the check off.
	RowCountChange float64
	// AcceptRowCountChange lets a run through a row-count change (the
	// operator checked the delivery).
	AcceptRowCountChange bool
}

// rowCountFloor is the smaller of two counts below which the row-count
// check does not apply: small extracts swing by chance.
const rowCountFloor = 100

// NewRunner returns a Runner publishing to sink.
func NewRunner(sink Sink, params config.Params, regions *schemas.Regions, hmacKey []byte, mem memory.Allocator, logger *slog.Logger) *Runner {
	return &Runner{sink: sink, params: params, regions: regions, hmacKey: hmacKey, mem: mem, logger: logger, ChunkHouseholds: 50000}
}

// ErrRosterMissing is returned when a period has no roster: without it there
// is no target population to join onto.
var ErrRosterMissing = errors.New("the roster (帮扶对象名册) was not delivered")

// ErrRosterEmpty is returned when the roster holds no acceptable row (a
// header-only file, or every row quarantined): there is nobody to join onto.
var ErrRosterEmpty = errors.New("the roster (帮扶对象名册) has no acceptable row: check the delivery")

// Run runs the period with the delivered extracts. It returns the run record
// whatever happened; a non-nil error means the period was not published and
// its previous publication, if any, is still in place.
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
		log.Error("publication interrupted; it is completed at the next connection", "error", err)
		return run, fmt.Errorf("running period %s: publication interrupted (completed at the next start): %w", period, err)
	}
	if err != nil {
		run.Status, run.Error = StatusFailed, err.Error()
		// Record the failure even when ctx was cancelled.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if ferr := r.sink.Fail(fctx, run); ferr != nil {
			log.Error("recording failed run", "error", ferr)
		}
		log.Error("run failed", "error", err)
		return run, fmt.Errorf("running period %s: %w", period, err)
	}
	log.Info("run published", "seconds", run.Finished.Sub(run.Started).Seconds())
	return run, nil
}

// NewRunID returns a sortable, unique run identifier.
func NewRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:])
}
