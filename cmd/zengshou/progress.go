package main

import (
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"zengshou/pipeline"
)

// progress shows, on a terminal, the stage a run is in with its rows and
// rows per second. It is nil (quiet) when stderr is not a terminal.
type progress struct {
	bar   *progressbar.ProgressBar
	stage string
}

func newProgress(f *os.File) *progress {
	if !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("行"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
	)}
}

// report is the run's pipeline.ProgressFunc (nil when quiet).
func (p *progress) report() pipeline.ProgressFunc {
	if p == nil {
		return nil
	}
	return func(stage string, rows int64) {
		if stage != p.stage {
			p.stage = stage
			p.bar.Reset()
			p.bar.Describe(stage)
		}
		_ = p.bar.Set64(rows) // writing to the terminal; nothing to do if it fails
	}
}

// done clears the bar.
func (p *progress) done() {
	if p != nil {
		_ = p.bar.Finish()
	}
}
