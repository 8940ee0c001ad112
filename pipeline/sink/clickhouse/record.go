package clickhouse

import (
	"context"

	"zengshou/pipeline"
)

// Record writes the run's state as it is into etl_run (a new version of
// the run's row), for runs the period Runner does not drive: a job skipped
// or failed before it started.
func (s *Sink) Record(ctx context.Context, run *pipeline.Run) error {
	return s.writeRun(ctx, run)
}
