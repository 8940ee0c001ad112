// Package pipeline is the engine of zengshou: the Source and Sink contracts,
// run accounting (rows read = accepted + quarantined) and the period run loop.
// Sources and sinks live in one small package each below it.
package pipeline

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// Source is one delivered extract of one department for one period: a file in
// the inbox or a table in a department database.
type Source interface {
	// Name identifies the extract in accounting and quarantine rows
	// (the file name relative to the inbox, or the database table).
	Name() string
	// Read streams the extract as raw Arrow record batches with the schema
	// schemas.Source.RawSchema(): one utf8 column per logical column, then
	// the line number and a row-level read error. The batch passed to emit is
	// released by the source when emit returns: emit must Retain what it keeps.
	// Read returns what it learned about the extract; a returned error means
	// the extract as a whole could not be read (missing required column,
	// unreadable file, lost connection) and is not a row problem. Its
	// errors, emit's included, name the extract (and the line where there is
	// one): callers do not wrap them with the name again.
	Read(ctx context.Context, emit func(arrow.RecordBatch) error) (ExtractInfo, error)
}

// ExtractInfo is what a source reports about the extract it read.
type ExtractInfo struct {
	// Encoding is the text encoding detected or configured (files only).
	Encoding string
	// ExtraColumns are header names the contract does not know; they are
	// ignored and reported once per extract.
	ExtraColumns []string
}
