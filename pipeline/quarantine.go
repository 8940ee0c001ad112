package pipeline

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/schemas"
	"zengshou/transforms/privacy"
)

// quarantine collects the rejected rows of a run as quarantine table rows.
type quarantine struct {
	run *Run
	mu  sync.Mutex // extracts read at once add rows concurrently
	b   *schemas.RowBuilder
}

func newQuarantine(run *Run, mem memory.Allocator) *quarantine {
	return &quarantine{run: run, b: schemas.NewRowBuilder(schemas.QuarantineTable, mem)}
}

// add appends one rejected row. Detail and row were masked where they were
// built; every ID-shaped value is masked once more here, whichever step
// rejected the row, as the last guard before the warehouse.
func (q *quarantine) add(source, file string, x schemas.Rejected) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.b.Str("run_id", q.run.ID)
	q.b.Date("period", q.run.Period.FirstDay())
	q.b.Str("source", source)
	q.b.Str("file", file)
	q.b.U32("line", uint32(x.Line))
	q.b.Str("reason_code", x.Reason)
	q.b.Str("detail", privacy.MaskIDs(x.Detail))
	q.b.Str("row", privacy.MaskIDs(x.Row))
	q.b.EndRow()
}

func (q *quarantine) finish() (arrow.RecordBatch, error) { return q.b.Finish() }

func (q *quarantine) release() { q.b.Release() }
