package jobs

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"zengshou/transforms/values"
)

// InboxPeriod is a period folder of the inbox that is complete and quiet.
type InboxPeriod struct {
	Period values.Month
	// Newest is the latest modification time of the folder's files.
	Newest time.Time
	// Signature changes whenever a file is added, removed or rewritten.
	Signature string
}

// CompletePeriods lists, oldest first, the period folders of the inbox
// (<inbox>/<YYYY-MM>/) that hold every required source (as .csv or
// .csv.gz) and whose files are all older than quiet at now. Other folders
// and files are ignored here; the run itself rejects a bad folder.
func CompletePeriods(inbox string, required []string, quiet time.Duration, now time.Time) ([]InboxPeriod, error) {
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return nil, fmt.Errorf("watching inbox %s: %w", inbox, err)
	}
	var out []InboxPeriod
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		period, err := values.ParseMonth(e.Name())
		if err != nil || period.String() != e.Name() {
			continue
		}
		p, complete, err := scanPeriod(filepath.Join(inbox, e.Name()), required)
		if err != nil {
			return nil, fmt.Errorf("watching inbox %s: %w", inbox, err)
		}
		if !complete || (quiet > 0 && now.Sub(p.Newest) < quiet) {
			continue
		}
		p.Period = period
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Period < out[j].Period })
	return out, nil
}

// scanPeriod reads a period folder: whether every required source is
// there, its newest file and its signature.
func scanPeriod(dir string, required []string) (InboxPeriod, bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return InboxPeriod{}, false, err
	}
	var p InboxPeriod
	var sig strings.Builder
	present := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return InboxPeriod{}, false, err
		}
		if info.ModTime().After(p.Newest) {
			p.Newest = info.ModTime()
		}
		fmt.Fprintf(&sig, "%s:%d:%d;", e.Name(), info.Size(), info.ModTime().UnixNano())
		for _, ext := range fileForms {
			if stem, ok := strings.CutSuffix(e.Name(), ext); ok {
				present[stem] = true
			}
		}
	}
	p.Signature = sig.String()
	for _, src := range required {
		if !present[src] {
			return p, false, nil
		}
	}
	return p, true, nil
}
