package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/parts"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// perCity is what `zengshou run --cities … --part-out …` and
// `zengshou run --combine …` were given.
type perCity struct {
	cities       []string
	partOut      string
	combine      []string
	inbox        string
	allowMissing bool
	acceptCount  bool
	waitLock     time.Duration
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// runPerCity runs a part of a per-city run of period, or combines the
// parts and publishes the period (docs/scale-out.md, "Per-city runs").
func runPerCity(ctx context.Context, cfg config.Config, w *warehouse, params config.Params, regions *schemas.Regions, key []byte,
	logger *slog.Logger, period values.Month, pc perCity) error {
	mem := memory.NewGoAllocator()
	if len(pc.combine) > 0 {
		runner := pipeline.NewRunner(w.sink, params, regions, key, mem, logger)
		run, err := jobs.CombinePeriod(ctx, runner, runLocking(cfg, pc.waitLock), period, pc.combine, mem)
		if run != nil {
			printRun(run)
			printStale(run.Stale)
		}
		return runError(err)
	}
	known := map[string]bool{}
	for _, c := range regions.Counties() {
		known[c.CityCode] = true
	}
	for _, c := range pc.cities {
		if !known[c] {
			return usagef("--cities: %s is not a city code of regions.csv (6 digits, e.g. 360700 赣州市)", c)
		}
	}
	runner := pipeline.NewRunner(parts.NewWriter(w.sink, pc.partOut), params, regions, key, mem, logger)
	runner.Cities = pc.cities
	runner.AllowMissing = pc.allowMissing
	runner.RowCountChange, runner.AcceptRowCountChange = cfg.RowCountChange, pc.acceptCount
	deliveries := jobs.Deliveries{Inbox: pc.inbox, Databases: cfg.Sources, Getenv: os.Getenv, Encodings: cfg.Encodings}
	run, err := deliveries.RunPart(ctx, runner, period, mem)
	if run != nil {
		printRun(run)
		if err == nil {
			fmt.Printf("  本批 (%s) 已写入 %s; 各批完成后运行 zengshou run --period %s --combine <各批目录>\n",
				strings.Join(pc.cities, ","), pc.partOut, period)
		}
	}
	return runError(err)
}
