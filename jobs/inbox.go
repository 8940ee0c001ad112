// Package jobs wires the pipeline into jobs: finding a period's extracts in
// the inbox, running periods in order, and (with the scheduler) cron
// schedules, locks and run history.
package jobs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/pipeline/source/csvfile"
	"zengshou/pipeline/source/xlsxfile"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// fileForms are the file names an extract may arrive under, per source.
var fileForms = []string{".csv", ".csv.gz", ".xlsx"}

// InboxExtracts finds the extracts delivered for period in
// <inbox>/<YYYY-MM>/; extensions match whatever their case (.CSV,
// .Csv.GZ, .XLSX), source names exactly. A source with no file is simply not delivered; a
// missing period folder, a source delivered twice (.csv and .xlsx, or
// .csv and .CSV), and a CSV or XLSX file that names no source (a misnamed extract would otherwise
// pass for a missing one) are errors.
func InboxExtracts(inbox string, period values.Month, mem memory.Allocator) ([]pipeline.Extract, error) {
	return inboxExtracts(inbox, period, nil, mem)
}

// inboxExtracts is InboxExtracts with an encoding forced per source name
// for CSV files (empty or absent: detect).
func inboxExtracts(inbox string, period values.Month, encodings map[string]string, mem memory.Allocator) ([]pipeline.Extract, error) {
	dir := filepath.Join(inbox, period.String())
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("finding extracts of %s: no folder %s", period, dir)
	}
	files, err := checkFileNames(dir)
	if err != nil {
		return nil, fmt.Errorf("finding extracts of %s: %w", period, err)
	}
	if err := checkUnreadableForms(dir); err != nil {
		return nil, fmt.Errorf("finding extracts of %s: %w", period, err)
	}
	var out []pipeline.Extract
	for _, src := range schemas.Sources {
		var found []string
		for _, ext := range fileForms {
			found = append(found, files[src.Name+ext]...)
		}
		switch len(found) {
		case 0:
			continue
		case 1:
		default:
			return nil, fmt.Errorf("finding extracts of %s: %s delivered twice (%v); keep one", period, src.Name, found)
		}
		s, err := fileSource(src, filepath.Join(dir, found[0]), period.String()+"/"+found[0], encodings[src.Name], mem)
		if err != nil {
			return nil, err
		}
		out = append(out, pipeline.Extract{Contract: src, Source: s})
	}
	return out, nil
}

// fileSource returns the reader of the extract file at path: a workbook for
// .xlsx, else CSV (gzip-compressed for .csv.gz).
func fileSource(src schemas.Source, path, name, encoding string, mem memory.Allocator) (pipeline.Source, error) {
	if strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		cfg := xlsxfile.DefaultConfig()
		cfg.Path = path
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		return xlsxfile.New(cfg, src, name, mem), nil
	}
	cfg := csvfile.DefaultConfig()
	cfg.Path, cfg.Encoding = path, encoding
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config encodings[%s]: %w", src.Name, err)
	}
	return csvfile.New(cfg, src, name, mem), nil
}

// extractForms are the extensions that make a file look like an extract,
// longest first; they match whatever their case (roster.CSV from Windows).
var extractForms = []string{".csv.gz", ".csv", ".xlsx"}

// splitExtract splits an extract-like file name into its stem and its
// lower-cased extension; ok is false for any other file.
func splitExtract(name string) (stem, ext string, ok bool) {
	for _, form := range extractForms {
		if n := len(name) - len(form); n >= 0 && strings.EqualFold(name[n:], form) {
			return name[:n], form, true
		}
	}
	return "", "", false
}

// checkFileNames lists the extract-like files of dir by source name and
// lower-cased extension ("roster.csv" → [roster.CSV]) and rejects those
// whose stem is no source name. Stems are matched exactly: source names are
// the contract, only the extension's case varies.
func checkFileNames(dir string) (map[string][]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, src := range schemas.Sources {
		known[src.Name] = true
	}
	files := map[string][]string{}
	for _, e := range entries {
		name := e.Name()
		stem, ext, looksLikeExtract := splitExtract(name)
		if !looksLikeExtract {
			continue
		}
		if !known[stem] {
			var names []string
			for _, src := range schemas.Sources {
				names = append(names, src.Name)
			}
			return nil, fmt.Errorf("file %s names no source; rename it to <source>.csv with source one of %s",
				filepath.Join(dir, name), strings.Join(names, ", "))
		}
		files[stem+ext] = append(files[stem+ext], name)
	}
	return files, nil
}
