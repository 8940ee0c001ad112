// Package jobs wires the pipeline into jobs: finding a period's extracts in
// the inbox, running periods in order, and (with the scheduler) cron
// schedules, locks and run history.
package jobs

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/pipeline/source/csvfile"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// fileForms are the file names an extract may arrive under, per source.
var fileForms = []string{".csv", ".csv.gz"}

// InboxExtracts finds the extracts delivered for period in
// <inbox>/<YYYY-MM>/. A source with no file is simply not delivered; a
// missing period folder, or a source delivered twice (.csv and .csv.gz), is
// an error.
func InboxExtracts(inbox string, period values.Month, mem memory.Allocator) ([]pipeline.Extract, error) {
	dir := filepath.Join(inbox, period.String())
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("finding extracts of %s: no folder %s", period, dir)
	}
	var out []pipeline.Extract
	for _, src := range schemas.Sources {
		var found []string
		for _, ext := range fileForms {
			if _, err := os.Stat(filepath.Join(dir, src.Name+ext)); err == nil {
				found = append(found, src.Name+ext)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, src.Name+".xlsx")); err == nil {
			return nil, fmt.Errorf("finding extracts of %s: %s.xlsx: XLSX extracts are not supported yet; export it as CSV", period, src.Name)
		}
		switch len(found) {
		case 0:
			continue
		case 1:
		default:
			return nil, fmt.Errorf("finding extracts of %s: %s delivered twice (%v); keep one", period, src.Name, found)
		}
		cfg := csvfile.DefaultConfig()
		cfg.Path = filepath.Join(dir, found[0])
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		name := period.String() + "/" + found[0]
		out = append(out, pipeline.Extract{Contract: src, Source: csvfile.New(cfg, src, name, mem)})
	}
	return out, nil
}
