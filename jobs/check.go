package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/normalize"
	"zengshou/transforms/values"
)

// CheckedSource is what checking one delivered extract found.
type CheckedSource struct {
	Source, Name string
	// In is the rows read; Reasons the rows normalisation would quarantine,
	// by reason (duplicates, which need the whole roster, are not counted).
	In      int64
	Reasons map[string]int64
	Extra   []string
	// Err is the file-level error, if the extract cannot be read.
	Err string
	// Previous is the rows of the same source in the previous month's
	// folder, -1 when that month was not delivered.
	Previous int64
}

// CheckReport is every problem of a period's deliveries.
type CheckReport struct {
	Period  values.Month
	Sources []CheckedSource
	Missing []string
	// Problems are what would fail the run or lose data: unreadable
	// deliveries, header errors, a missing or empty roster, row-count jumps.
	Problems []string
}

// Check reads the period's deliveries without loading anything: every file
// and database source is read and normalised, and every problem is listed
// at once rather than the first one failing a run. A source whose row count
// changed by more than rowChange (a share; 0 skips the check) against the
// previous month's folder is a problem.
func (d Deliveries) Check(ctx context.Context, period values.Month, regions *schemas.Regions, rowChange float64, mem memory.Allocator) *CheckReport {
	rep := &CheckReport{Period: period}
	extracts, err := d.Extracts(period, mem)
	if err != nil {
		rep.Problems = append(rep.Problems, err.Error())
		return rep
	}
	var prev map[string]int64
	if d.Inbox != "" {
		if _, err := os.Stat(filepath.Join(d.Inbox, period.Add(-1).String())); err == nil {
			prev = map[string]int64{}
			if pex, err := InboxExtracts(d.Inbox, period.Add(-1), mem); err == nil {
				for _, ex := range pex {
					if n, err := countRows(ctx, ex); err == nil {
						prev[ex.Contract.Name] = n
					}
				}
			}
		}
	}
	delivered := map[string]bool{}
	for _, ex := range extracts {
		delivered[ex.Contract.Name] = true
		cs := CheckedSource{Source: ex.Contract.Name, Name: ex.Source.Name(), Reasons: map[string]int64{}, Previous: -1}
		norm := normalize.New(ex.Contract, period, regions, mem)
		info, err := ex.Source.Read(ctx, func(raw arrow.RecordBatch) error {
			cs.In += raw.NumRows()
			typed, rej, err := norm.Normalize(raw)
			if err != nil {
				return err
			}
			typed.Release()
			for _, x := range rej {
				cs.Reasons[x.Reason]++
			}
			return nil
		})
		cs.Extra = info.ExtraColumns
		if err != nil {
			cs.Err = err.Error()
			rep.Problems = append(rep.Problems, err.Error())
		}
		if n, ok := prev[cs.Source]; ok {
			cs.Previous = n
			if rowChange > 0 && cs.Err == "" && max(n, cs.In) >= 100 {
				if change := float64(cs.In-n) / float64(n); change > rowChange || change < -rowChange {
					rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %d rows, %d in %s (%+.0f%%): check the delivery", cs.Name, cs.In, n, period.Add(-1), 100*change))
				}
			}
		}
		if cs.Err == "" && cs.In == 0 {
			if cs.Source == schemas.Roster {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the roster has no rows", cs.Name))
			}
		}
		rep.Sources = append(rep.Sources, cs)
	}
	for _, s := range schemas.Sources {
		if !delivered[s.Name] {
			rep.Missing = append(rep.Missing, s.Name)
			if s.Name == schemas.Roster {
				rep.Problems = append(rep.Problems, pipeline.ErrRosterMissing.Error())
			}
		}
	}
	sort.Strings(rep.Missing)
	return rep
}

// countRows reads an extract only to count its rows.
func countRows(ctx context.Context, ex pipeline.Extract) (int64, error) {
	var n int64
	_, err := ex.Source.Read(ctx, func(rec arrow.RecordBatch) error { n += rec.NumRows(); return nil })
	return n, err
}
