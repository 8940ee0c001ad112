// Package csvfile reads one department extract delivered as a CSV file in the
// inbox (<inbox>/<YYYY-MM>/<source>.csv, or .csv.gz) and streams it as raw
// Arrow batches with the source's raw schema: every logical column as text,
// the line each row starts on, and a row-level read error. Values are not
// parsed here; transforms normalise and validate them, and quarantine rows
// whose read error is set.
package csvfile

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/schemas"
)

// errNoHeader is returned for a file without a single record.
var errNoHeader = errors.New("file is empty, expected a header row")

// Source reads one CSV extract file.
type Source struct {
	cfg    Config
	src    schemas.Source
	name   string
	mem    memory.Allocator
	schema *arrow.Schema
}

var _ pipeline.Source = (*Source)(nil)

// New returns a Source reading the file cfg.Path as an extract of src, with
// batches allocated from mem. name identifies the file in errors, accounting
// and quarantine rows: its path relative to the inbox (2025-06/employment.csv);
// when empty, cfg.Path is used. New does no I/O; Read opens the file.
func New(cfg Config, src schemas.Source, name string, mem memory.Allocator) *Source {
	if name == "" {
		name = cfg.Path
	}
	return &Source{cfg: cfg, src: src, name: name, mem: mem, schema: src.RawSchema()}
}

// Name returns the file's name relative to the inbox.
func (s *Source) Name() string { return s.name }

// Read streams the file as batches of at most cfg.BatchRows rows. Every
// record after the header becomes exactly one row, malformed ones included
// (with their _error set), so that rows read = accepted + quarantined holds
// downstream. Read fails for the file as a whole when it cannot be opened or
// decompressed, has no header, lacks a required column or repeats one.
func (s *Source) Read(ctx context.Context, emit func(arrow.RecordBatch) error) (pipeline.ExtractInfo, error) {
	var info pipeline.ExtractInfo
	if err := s.cfg.Validate(); err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	if err := ctx.Err(); err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	forced, _ := normaliseEncoding(s.cfg.Encoding)
	tf, err := openText(s.cfg.Path, forced)
	if err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	defer tf.Close()
	info.Encoding = tf.encoding

	r := csv.NewReader(tf.text)
	r.LazyQuotes = true    // Excel and hand edits leave stray quotes in text
	r.FieldsPerRecord = -1 // a ragged row is a bad row, not a bad file
	r.ReuseRecord = true

	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return info, fmt.Errorf("reading %s: %w", s.name, errNoHeader)
	}
	if err != nil {
		return info, fmt.Errorf("reading %s line 1: %w", s.name, err)
	}
	l, err := mapHeader(s.src, header)
	info.ExtraColumns = l.extra
	if err != nil {
		return info, fmt.Errorf("reading %s: %w", s.name, err)
	}
	lastLine := recordEnd(r, header)

	b := newBatchBuilder(s.mem, s.schema, len(s.src.Columns), tf.encoding == EncodingUTF8)
	defer b.release()
	b.nameField = nameField(s.src, l, header)
	return info, s.prefetch(ctx, emit, func(ctx context.Context, send func(batch) error) error {
		return s.records(ctx, r, l, b, lastLine, send)
	})
}

// batch is one emitted batch and the last line it holds, for errors.
type batch struct {
	rec  arrow.RecordBatch
	line int
}

// prefetchDepth is how many batches the decoding goroutine may build ahead
// of the one emit is handling.
const prefetchDepth = 2

// prefetch runs produce (decompression, transcoding, CSV splitting and
// building the batches) on its own goroutine and hands the batches to emit
// on the calling goroutine, in order, so that decoding the next batch
// overlaps with what emit does with this one (normalising and joining, on
// the other core). The first emit error or cancellation ends the read:
// the goroutine is stopped, the batches it built ahead are released
// unemitted, and the error names the batch's last line as before.
func (s *Source) prefetch(ctx context.Context, emit func(arrow.RecordBatch) error, produce func(context.Context, func(batch) error) error) error {
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	queue := make(chan batch, prefetchDepth)
	produced := make(chan error, 1)
	go func() {
		defer close(queue)
		produced <- produce(pctx, func(bt batch) error {
			select {
			case queue <- bt:
				return nil
			case <-pctx.Done():
				bt.rec.Release()
				return pctx.Err()
			}
		})
	}()
	var failed error
	for bt := range queue {
		if failed != nil {
			bt.rec.Release()
			continue
		}
		err := emit(bt.rec)
		bt.rec.Release()
		switch {
		case err != nil:
			failed = fmt.Errorf("emitting %s rows up to line %d: %w", s.name, bt.line, err)
		case ctx.Err() != nil:
			failed = fmt.Errorf("reading %s line %d: %w", s.name, bt.line, ctx.Err())
		}
		if failed != nil {
			stop()
		}
	}
	if err := <-produced; failed == nil {
		return err
	}
	return failed
}

// records reads the records after the header into batches of at most
// cfg.BatchRows rows and sends each (its ownership with it).
func (s *Source) records(ctx context.Context, r *csv.Reader, l layout, b *batchBuilder, lastLine int, send func(batch) error) error {
	flush := func() error {
		if err := send(batch{rec: b.build(), line: lastLine}); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("reading %s line %d: %w", s.name, lastLine, err)
		}
		return nil
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var rowErr string
		if err == nil {
			line, _ = r.FieldPos(0)
			lastLine = recordEnd(r, rec)
		} else {
			pe, ok := recoverable(err)
			if !ok {
				return fmt.Errorf("reading %s line %d: %w", s.name, lastLine+1, err)
			}
			// The reader has skipped past the bad record and can go on:
			// keep the row, marked, for quarantine.
			line, rowErr, lastLine = pe.StartLine, pe.Error(), pe.Line
		}
		b.append(rec, l, line, rowErr)
		if b.rows < s.cfg.BatchRows {
			continue
		}
		if err := flush(); err != nil {
			return err
		}
	}
	if b.rows > 0 {
		return flush()
	}
	return nil
}

// recordEnd returns the line the record just read by r ends on: the line its
// last field starts on plus the line breaks quoted inside that field.
func recordEnd(r *csv.Reader, rec []string) int {
	last := len(rec) - 1
	line, _ := r.FieldPos(last)
	return line + strings.Count(rec[last], "\n")
}

// recoverable returns the csv parse error err is when the reader can go on
// after it: errors about quotes and field counts concern one record only.
// (With LazyQuotes and FieldsPerRecord = -1 the reader reports none of them
// today; this keeps a bad record a bad row should that change.)
func recoverable(err error) (*csv.ParseError, bool) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return nil, false
	}
	ok := errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrFieldCount)
	return pe, ok
}
