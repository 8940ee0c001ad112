package pipeline

import "time"

// StageTime is the wall time a run spent in one of its stages, and the rows
// that stage handled (0 where rows mean nothing). Stages that run in pieces
// (a table built chunk by chunk) are summed under one name.
type StageTime struct {
	Stage   string  `json:"stage"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
}

// ProgressFunc is told, as a run goes, which stage it is in and how many
// rows that stage has handled so far. It is called from the run's goroutine
// once per batch: it must be quick.
type ProgressFunc func(stage string, rows int64)

// addStage adds the time since start and rows to the run's stage.
func (run *Run) addStage(stage string, rows int64, start time.Time) {
	d := time.Since(start).Seconds()
	for i := range run.Stages {
		if run.Stages[i].Stage == stage {
			run.Stages[i].Rows += rows
			run.Stages[i].Seconds += d
			return
		}
	}
	run.Stages = append(run.Stages, StageTime{Stage: stage, Rows: rows, Seconds: d})
}

// progress reports to the runner's ProgressFunc, if any.
func (r *Runner) progress(stage string, rows int64) {
	if r.Progress != nil {
		r.progressMu.Lock()
		defer r.progressMu.Unlock()
		r.Progress(stage, rows)
	}
}
