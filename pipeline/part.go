package pipeline

import (
	"context"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/model"
	"zengshou/transforms/values"
)

// Per-city runs (docs/scale-out.md): the monthly job split by city across
// machines. Each part is a run of the whole delivery with Runner.Cities
// set: it keeps the roster and sales rows of its cities only (the other
// cities' rows are accepted but unmatched in its accounting, as a
// department row of nobody on the roster is), computes everything about
// its households, and hands its tables, its accounting and its indicator
// partials to a sink that keeps them (pipeline/sink/parts writes them to a
// directory) instead of publishing. Once every city is in, Runner.Combine
// publishes the period from the parts in one ordinary run: the parts'
// rows, the province and group indicator rows rolled up from their
// partials, and the accounting of the whole delivery.

// Part is what a per-city run hands over besides its tables.
type Part struct {
	// Cities are the city codes the part ran.
	Cities []string `json:"cities"`
	// Fingerprint identifies the pseudonymisation key the part used.
	Fingerprint string `json:"key_fingerprint"`
	// Partials are its indicator partials (its counties' sums only).
	Partials []indicators.Partial `json:"partials"`
	// PrevYear holds December of Y-1's province and group indicator values
	// the part read, which the roll-up's growth rows need.
	PrevYear []PrevIndicator `json:"prev_year"`
}

// PrevIndicator is one indicator value of December of Y-1.
type PrevIndicator struct {
	Code   string  `json:"code"`
	Level  string  `json:"level"`
	Region string  `json:"region"`
	Value  float64 `json:"value"`
}

// PartResult is a finished part as Combine reads it back.
type PartResult struct {
	// Run is the part's run: its ID, period, sources' accounting, missing
	// and empty sources, and Part.
	Run *Run
	// Dir is where the part was read from (for messages).
	Dir string
	// Batches streams the part's batches of a published table, in the
	// order they were staged; fn must not keep rec after it returns.
	Batches func(ctx context.Context, table schemas.Table, fn func(rec arrow.RecordBatch) error) error
}

// prevYearOfProvince picks the province and group values of December of
// Y-1 from the history, in a fixed order.
func prevYearOfProvince(h *model.History) []PrevIndicator {
	var out []PrevIndicator
	for k, v := range h.PrevYearIndicators {
		if indicators.ProvinceAndGroups(k.Level, k.Region) {
			out = append(out, PrevIndicator{Code: k.Code, Level: k.Level, Region: k.Region, Value: v})
		}
	}
	sortPrev(out)
	return out
}

func sortPrev(ps []PrevIndicator) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		return a.Region < b.Region
	})
}

// ScopedHistory is a sink that can read the history of some counties'
// households only (clickhouse.Sink.HistoryOf): a per-city run reads its
// own through it.
type ScopedHistory interface {
	HistoryOf(ctx context.Context, period values.Month, counties []string) (*model.History, error)
}

// counties lists the counties of a per-city run's cities.
func (r *Runner) counties() []string {
	elsewhere := r.elsewhere()
	var out []string
	for _, c := range r.regions.Counties() {
		if !elsewhere(c.Code) {
			out = append(out, c.Code)
		}
	}
	return out
}

// elsewhere returns, for a per-city run, whether a county belongs to
// another run's cities; nil for a run of the whole province.
func (r *Runner) elsewhere() func(county string) bool {
	if len(r.Cities) == 0 {
		return nil
	}
	mine := map[string]bool{}
	for _, c := range r.Cities {
		mine[c] = true
	}
	return func(county string) bool {
		c, ok := r.regions.County(county)
		return !ok || !mine[c.CityCode]
	}
}
