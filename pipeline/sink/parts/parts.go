// Package parts keeps what a per-city run (pipeline.Runner.Cities) hands
// over, in a directory, for the run that publishes the period once every
// city is in (pipeline.Runner.Combine): one Arrow IPC stream per published
// table (<table>.arrows, the batches as staged) and manifest.json (the
// run's accounting and its pipeline.Part). A part never writes the
// warehouse; it reads the period's history from it.
//
// The directory appears whole or not at all: the part is written to
// <dir>.tmp-<run>, and renamed to <dir> when it is complete (a part
// written again replaces the earlier one the same way).
package parts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/internal/crashpoint"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// Format is the manifest's format version.
const Format = 1

// Manifest is manifest.json.
type Manifest struct {
	Format   int                    `json:"format"`
	RunID    string                 `json:"run_id"`
	Period   string                 `json:"period"`
	Started  time.Time              `json:"started"`
	Finished time.Time              `json:"finished"`
	Sources  []pipeline.SourceStats `json:"sources"`
	Missing  []string               `json:"missing"`
	Empty    []string               `json:"empty"`
	Part     *pipeline.Part         `json:"part"`
	// Rows counts the rows of each table's stream.
	Rows map[string]int64 `json:"rows"`
}

// Writer is the sink of a per-city run: it reads from the warehouse and
// writes the part to a directory.
type Writer struct {
	warehouse pipeline.Sink
	dir, tmp  string
	files     map[string]*stream
	rows      map[string]int64
}

type stream struct {
	f *os.File
	w *ipc.Writer
}

// NewWriter returns a Writer reading history from warehouse and writing
// the part to dir.
func NewWriter(warehouse pipeline.Sink, dir string) *Writer {
	return &Writer{warehouse: warehouse, dir: filepath.Clean(dir)}
}

var _ pipeline.Sink = (*Writer)(nil)

// History reads the period's history from the warehouse.
func (w *Writer) History(ctx context.Context, period values.Month) (*model.History, error) {
	return w.warehouse.History(ctx, period)
}

// HistoryOf reads the history of counties' households from the
// warehouse, when it can narrow its reads (pipeline.ScopedHistory), and
// the whole province's otherwise.
func (w *Writer) HistoryOf(ctx context.Context, period values.Month, counties []string) (*model.History, error) {
	if scoped, ok := w.warehouse.(pipeline.ScopedHistory); ok {
		return scoped.HistoryOf(ctx, period, counties)
	}
	return w.warehouse.History(ctx, period)
}

// Begin creates the part's temporary directory, removing what killed runs
// of the same part left (their temporary directories, an old part whose
// replacement was renamed into place).
func (w *Writer) Begin(_ context.Context, run *pipeline.Run) error {
	for _, pattern := range []string{w.dir + ".tmp-*", w.dir + ".old-*"} {
		left, _ := filepath.Glob(pattern)
		for _, d := range left {
			if err := os.RemoveAll(d); err != nil {
				return fmt.Errorf("writing the part of %s: removing %s a killed run left: %w", run.Period, d, err)
			}
		}
	}
	w.tmp = w.dir + ".tmp-" + run.ID
	w.files, w.rows = map[string]*stream{}, map[string]int64{}
	if err := os.MkdirAll(w.tmp, 0o750); err != nil {
		return fmt.Errorf("writing the part of %s: %w", run.Period, err)
	}
	return nil
}

// Stage appends a batch to the table's stream.
func (w *Writer) Stage(_ context.Context, t schemas.Table, rec arrow.RecordBatch) error {
	s, ok := w.files[t.Name]
	if !ok {
		f, err := os.Create(filepath.Join(w.tmp, t.Name+".arrows"))
		if err != nil {
			return fmt.Errorf("writing the part's %s: %w", t.Name, err)
		}
		s = &stream{f: f, w: ipc.NewWriter(f, ipc.WithSchema(rec.Schema()))}
		w.files[t.Name] = s
	}
	if err := s.w.Write(rec); err != nil {
		return fmt.Errorf("writing the part's %s: %w", t.Name, err)
	}
	first := w.rows[t.Name] == 0
	w.rows[t.Name] += rec.NumRows()
	if first {
		crashpoint.Hit("staged:" + t.Name)
	}
	return nil
}

// closeAll closes every stream, returning the first error.
func (w *Writer) closeAll() error {
	var first error
	for name, s := range w.files {
		if err := s.w.Close(); err != nil && first == nil {
			first = fmt.Errorf("writing the part's %s: %w", name, err)
		}
		if err := s.f.Sync(); err != nil && first == nil {
			first = fmt.Errorf("writing the part's %s: %w", name, err)
		}
		if err := s.f.Close(); err != nil && first == nil {
			first = fmt.Errorf("writing the part's %s: %w", name, err)
		}
	}
	w.files = map[string]*stream{}
	return first
}

// Publish completes the part: the streams and the manifest are written,
// then the directory is renamed into place.
func (w *Writer) Publish(_ context.Context, run *pipeline.Run) error {
	if run.Part == nil {
		return fmt.Errorf("writing the part of %s: the run is not a per-city run (no cities)", run.Period)
	}
	if err := w.closeAll(); err != nil {
		return err
	}
	m := Manifest{Format: Format, RunID: run.ID, Period: run.Period.String(), Started: run.Started, Finished: time.Now().UTC(),
		Sources: run.Sources, Missing: run.Missing, Empty: run.Empty, Part: run.Part, Rows: w.rows}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the part's manifest: %w", err)
	}
	if err := writeSynced(filepath.Join(w.tmp, "manifest.json"), b); err != nil {
		return fmt.Errorf("writing the part's manifest: %w", err)
	}
	old := w.dir + ".old-" + run.ID
	if err := os.Rename(w.dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replacing the part in %s: %w", w.dir, err)
	}
	crashpoint.Hit("publishing")
	if err := os.Rename(w.tmp, w.dir); err != nil {
		return fmt.Errorf("writing the part to %s: %w", w.dir, err)
	}
	run.Status = pipeline.StatusPublished
	return os.RemoveAll(old)
}

func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Fail removes what the run wrote; an earlier part in the directory stays.
func (w *Writer) Fail(_ context.Context, _ *pipeline.Run) error {
	err := w.closeAll()
	if w.tmp != "" {
		if rerr := os.RemoveAll(w.tmp); rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}

// ReplaceDimension does nothing: the publishing run replaces dimensions.
func (w *Writer) ReplaceDimension(context.Context, *pipeline.Run, schemas.Table, arrow.RecordBatch) error {
	return nil
}

// Settle does nothing: a part leaves nothing in the warehouse to settle.
func (w *Writer) Settle(context.Context, values.Month, string) error { return nil }

// CheckKey checks the key against the warehouse's.
func (w *Writer) CheckKey(ctx context.Context, fingerprint, runID string) error {
	return w.warehouse.CheckKey(ctx, fingerprint, runID)
}

// Publication returns the warehouse's publication of the period.
func (w *Writer) Publication(ctx context.Context, period values.Month) (*pipeline.Publication, error) {
	return w.warehouse.Publication(ctx, period)
}

// MarkStale does nothing: a part publishes nothing.
func (w *Writer) MarkStale(context.Context) ([]values.Month, error) { return nil, nil }

// Read reads back the part in dir; its batches are allocated from mem.
func Read(dir string, mem memory.Allocator) (pipeline.PartResult, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return pipeline.PartResult{}, fmt.Errorf("reading the part in %s: %w (is it a finished part? zengshou run --cities writes one)", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return pipeline.PartResult{}, fmt.Errorf("reading the part in %s: manifest.json: %w", dir, err)
	}
	if m.Format != Format {
		return pipeline.PartResult{}, fmt.Errorf("reading the part in %s: format %d, this zengshou reads %d", dir, m.Format, Format)
	}
	period, err := values.ParseMonth(m.Period)
	if err != nil {
		return pipeline.PartResult{}, fmt.Errorf("reading the part in %s: period: %w", dir, err)
	}
	if m.Part == nil {
		return pipeline.PartResult{}, fmt.Errorf("reading the part in %s: the manifest names no cities", dir)
	}
	run := &pipeline.Run{ID: m.RunID, Job: "period", Period: period, Started: m.Started, Finished: m.Finished,
		Status: pipeline.StatusPublished, Sources: m.Sources, Missing: m.Missing, Empty: m.Empty, Part: m.Part}
	return pipeline.PartResult{Run: run, Dir: dir, Batches: func(ctx context.Context, t schemas.Table, fn func(rec arrow.RecordBatch) error) error {
		f, err := os.Open(filepath.Join(dir, t.Name+".arrows"))
		if errors.Is(err, os.ErrNotExist) && m.Rows[t.Name] == 0 {
			return nil // the part staged no row of the table
		}
		if err != nil {
			return fmt.Errorf("reading the part's %s in %s: %w", t.Name, dir, err)
		}
		defer f.Close()
		r, err := ipc.NewReader(f, ipc.WithAllocator(mem))
		if err != nil {
			return fmt.Errorf("reading the part's %s in %s: %w", t.Name, dir, err)
		}
		defer r.Release()
		var rows int64
		for r.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			rec := r.RecordBatch()
			rows += rec.NumRows()
			if err := fn(rec); err != nil {
				return err
			}
		}
		if err := r.Err(); err != nil {
			return fmt.Errorf("reading the part's %s in %s: %w", t.Name, dir, err)
		}
		if rows != m.Rows[t.Name] {
			return fmt.Errorf("reading the part's %s in %s: %d rows, the manifest says %d", t.Name, dir, rows, m.Rows[t.Name])
		}
		return nil
	}}, nil
}
