package pipeline

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// Sink is where a period is published: the warehouse. A run stages every
// table of its period, then publishes them together; until Publish the
// previous publication of the period stays in place.
type Sink interface {
	// History returns what the period's computation needs from earlier
	// publications of the same year, December of the year before, and the
	// facts that outlive the year (deaths, 雨露计划 aid) from every earlier
	// published period.
	History(ctx context.Context, period values.Month) (*model.History, error)
	// Begin records the run as running and creates its own (empty)
	// staging area.
	Begin(ctx context.Context, run *Run) error
	// Stage appends a batch of a published table to the staging area of
	// the run its rows name (run_id).
	Stage(ctx context.Context, table schemas.Table, rec arrow.RecordBatch) error
	// Publish replaces the period in every published table with what was
	// staged, and records the run as published.
	Publish(ctx context.Context, run *Run) error
	// Fail records the run as failed; the previous publication stays. A
	// run refused before Begin is recorded too.
	Fail(ctx context.Context, run *Run) error
	// ReplaceDimension replaces a dimension table (dim_county) whole,
	// through a staging table of the run's own.
	ReplaceDimension(ctx context.Context, run *Run, table schemas.Table, rec arrow.RecordBatch) error
	// Settle settles the runs of period that dead processes left: one left
	// publishing is completed, one left running is marked failed. The caller
	// holds the period's lock; its own run self is left alone.
	Settle(ctx context.Context, period values.Month, self string) error
	// CheckKey compares the fingerprint of the pseudonymisation key with
	// the warehouse's (recording it on the first run); a different key is
	// an error wrapping ErrKeyMismatch.
	CheckKey(ctx context.Context, fingerprint, runID string) error
	// Publication returns the period's current publication, nil if none.
	Publication(ctx context.Context, period values.Month) (*Publication, error)
	// MarkStale marks the published periods built on data since replaced
	// (an earlier period re-published after them), clears the marks of
	// periods re-published since, and returns the stale periods in order.
	MarkStale(ctx context.Context) ([]values.Month, error)
}

// Publication is the run whose rows a period's tables hold.
type Publication struct {
	Period values.Month
	RunID  string
	// Sources are the sources that run read.
	Sources []string
}

// Run is one run of the period job: its identity, accounting and outcome,
// as recorded in etl_run.
type Run struct {
	ID       string
	Job      string
	Period   values.Month
	Started  time.Time
	Finished time.Time
	// Status is running, publishing, published or failed.
	Status string
	// Sources holds the accounting of each extract read, in read order.
	Sources []SourceStats
	// Missing lists the sources not delivered for the period.
	Missing []string
	// Empty lists the sources delivered without a single row (a header-only
	// file); like missing ones they make the indicators needing them
	// incomplete.
	Empty []string
	// Error says why the run failed.
	Error string
	// Stale lists, after the run published, every published period built
	// on data since replaced (periods after this one when it was re-run).
	Stale []values.Month
	// Part is set by a per-city run (Runner.Cities) for its sink to keep.
	Part *Part
	// Stages holds the wall time of each stage, in the order they began
	// (logged at debug level; `zengshou run --stats-json` writes them).
	Stages []StageTime
}

// Run statuses recorded in etl_run.
const (
	StatusRunning    = "running"
	StatusPublishing = "publishing"
	StatusPublished  = "published"
	StatusFailed     = "failed"
)

// SourceStats is the row accounting of one extract:
// In = Accepted + Quarantined always; Unmatched ⊆ Accepted.
type SourceStats struct {
	Source      string
	File        string
	Encoding    string
	Extra       []string
	In          int64
	Accepted    int64
	Quarantined int64
	Unmatched   int64
	// Reasons counts quarantined rows by reason code.
	Reasons map[string]int64
}

// Present lists the sources that were delivered (read) in the run.
func (r *Run) Present() []string {
	out := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		out = append(out, s.Source)
	}
	return out
}
