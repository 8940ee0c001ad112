package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/pipeline"
	"zengshou/pipeline/source/sqldb"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Deliveries says where a period's extracts come from: files in the inbox
// and tables in department databases.
type Deliveries struct {
	// Inbox is the drop folder; empty when every source is a database.
	Inbox string
	// Databases are the sources read from department databases.
	Databases []config.DatabaseSource
	// Getenv reads the databases' password variables.
	Getenv func(string) string
	// Encodings forces the text encoding of a source's CSV files, by source
	// name (utf-8, gb18030, gbk); absent means detect.
	Encodings map[string]string
}

// Extracts finds the period's extracts: the inbox files (InboxExtracts) and
// the configured database sources. A source both delivered as a file and
// configured as a database is an error; with database sources configured, a
// missing period folder only means no files.
func (d Deliveries) Extracts(period values.Month, mem memory.Allocator) ([]pipeline.Extract, error) {
	var files []pipeline.Extract
	if d.Inbox != "" {
		_, statErr := os.Stat(filepath.Join(d.Inbox, period.String()))
		if statErr == nil || len(d.Databases) == 0 {
			var err error
			if files, err = inboxExtracts(d.Inbox, period, d.Encodings, mem); err != nil {
				return nil, err
			}
		}
	}
	getenv := d.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	byName := map[string]pipeline.Extract{}
	for _, ex := range files {
		byName[ex.Contract.Name] = ex
	}
	for _, cfg := range d.Databases {
		src, err := schemas.SourceByName(cfg.Source)
		if err != nil {
			return nil, fmt.Errorf("finding extracts of %s: config sources[%s]: %w", period, cfg.Source, err)
		}
		s, err := sqldb.New(cfg, src, period, getenv, mem)
		if err != nil {
			return nil, fmt.Errorf("finding extracts of %s: %w", period, err)
		}
		if f, dup := byName[src.Name]; dup {
			return nil, fmt.Errorf("finding extracts of %s: %s delivered twice (file %s and database %s); remove the file or the database source", period, src.Name, f.Source.Name(), s.Name())
		}
		byName[src.Name] = pipeline.Extract{Contract: src, Source: s}
	}
	var out []pipeline.Extract
	for _, src := range schemas.Sources {
		if ex, ok := byName[src.Name]; ok {
			out = append(out, ex)
		}
	}
	return out, nil
}

// RunPeriods runs each period of from..to in order from the deliveries,
// each under its period lock, like RunPeriodsWith (cascade included).
func (d Deliveries) RunPeriods(ctx context.Context, r *pipeline.Runner, lk Locking, from, to values.Month, mem memory.Allocator, opts Options) ([]*pipeline.Run, error) {
	return runPeriodsWith(ctx, r, lk, from, to, opts, func(m values.Month) ([]pipeline.Extract, error) { return d.Extracts(m, mem) })
}
