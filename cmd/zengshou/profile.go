package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"

	"zengshou/pipeline"
)

// profiling holds the flags a user reporting a slow run passes: CPU and
// heap profiles, the per-stage timings as JSON, and the GC's memory limit.
type profiling struct {
	cpuProfile, memProfile, statsJSON string
	memoryLimit                       string
}

func (p *profiling) register(s *settings) {
	s.fs.StringVar(&p.cpuProfile, "cpuprofile", "", "将 CPU 剖析写入文件 (go tool pprof)")
	s.fs.StringVar(&p.memProfile, "memprofile", "", "运行结束时将堆剖析写入文件 (go tool pprof)")
	s.fs.StringVar(&p.statsJSON, "stats-json", "", "将每次运行各阶段的耗时写入 JSON 文件")
	s.fs.StringVar(&p.memoryLimit, "memory-limit", "", "Go 垃圾回收的软内存上限, 如 1500MiB、2GiB (默认沿用 GOMEMLIMIT; 0 为不设)")
}

// start applies the memory limit and starts the CPU profile; stop ends it.
func (p *profiling) start() (stop func(), err error) {
	if p.memoryLimit != "" {
		n, err := parseBytes(p.memoryLimit)
		if err != nil {
			return nil, usagef("--memory-limit: %v", err)
		}
		if n > 0 {
			debug.SetMemoryLimit(n)
		}
	}
	if p.cpuProfile == "" {
		return func() {}, nil
	}
	f, err := os.Create(p.cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("creating the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close() //nolint:errcheck // the profile is not written anyway
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close() //nolint:errcheck // a profile, not data
	}, nil
}

// finish writes the heap profile and the stage timings of runs.
func (p *profiling) finish(runs []*pipeline.Run) error {
	if p.memProfile != "" {
		f, err := os.Create(p.memProfile)
		if err != nil {
			return fmt.Errorf("creating the heap profile: %w", err)
		}
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing the heap profile: %w", err)
		}
	}
	if p.statsJSON == "" {
		return nil
	}
	type runStats struct {
		RunID   string               `json:"run_id"`
		Period  string               `json:"period"`
		Status  string               `json:"status"`
		Seconds float64              `json:"seconds"`
		Stages  []pipeline.StageTime `json:"stages"`
	}
	out := make([]runStats, 0, len(runs))
	for _, r := range runs {
		out = append(out, runStats{RunID: r.ID, Period: r.Period.String(), Status: r.Status,
			Seconds: r.Finished.Sub(r.Started).Seconds(), Stages: r.Stages})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the stage timings: %w", err)
	}
	if err := os.WriteFile(p.statsJSON, b, 0o644); err != nil {
		return fmt.Errorf("writing the stage timings: %w", err)
	}
	return nil
}

// parseBytes reads a size such as 2GiB, 1500MiB, 512KiB or 1000000.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size such as 2GiB or 1500MiB", s)
	}
	return n * mult, nil
}
