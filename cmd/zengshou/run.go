package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/config"
	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

func runRun(ctx context.Context, args []string) error {
	s := newSettings("run", "run --inbox DIR --period YYYY-MM [--to YYYY-MM] [--no-cascade] [--allow-missing] [--wait-lock DURATION] [--accept-row-count-change] [--cities CODES --part-out DIR | --combine DIRS] [--clickhouse DSN] [--hmac-key-file FILE] [--stats-json FILE] [--cpuprofile FILE] [--memprofile FILE] [--memory-limit SIZE]")
	var inbox, from, to string
	var opts jobs.Options
	var allowMissing bool
	var waitLock time.Duration
	var acceptCount bool
	var prof profiling
	var cities, partOut, combine string
	s.fs.StringVar(&cities, "cities", "", "按市分批运行: 只计算这些设区市 (逗号分隔的市代码, 如 360700,360800), 结果写入 --part-out 目录, 不发布 (docs/scale-out.md)")
	s.fs.StringVar(&partOut, "part-out", "", "按市分批运行: 本批结果写入的目录 (与 --cities 同用)")
	s.fs.StringVar(&combine, "combine", "", "按市分批运行: 各批都已完成后, 由这些目录 (逗号分隔) 的结果计算全省行并发布该统计期")
	s.fs.StringVar(&inbox, "inbox", "", "收件箱目录 <inbox>/<YYYY-MM>/<source>.csv (ZENGSHOU_INBOX)")
	s.fs.StringVar(&from, "period", "", "统计期 YYYY-MM")
	s.fs.StringVar(&to, "to", "", "最后一个统计期 YYYY-MM (逐月依次运行)")
	s.fs.BoolVar(&opts.NoCascade, "no-cascade", false, "不重跑其后已发布的统计期, 只将它们标记为过期 (indicator.stale = 1, stale_period)")
	s.fs.BoolVar(&allowMissing, "allow-missing", false, "允许以缺少数据源的交付替换含有这些数据源的已发布统计期")
	s.fs.DurationVar(&waitLock, "wait-lock", 0, "统计期正由另一进程运行时最多等待多久 (如 10m); 0 表示立即以状态 2 退出")
	s.fs.BoolVar(&acceptCount, "accept-row-count-change", false, "接受数据源行数相对上期的大幅变化 (已核实交付无误; row_count_change)")
	prof.register(s)
	if err := s.parse(args); err != nil {
		return err
	}
	if inbox == "" {
		inbox = s.cfg.Inbox
	}
	if (cities == "") != (partOut == "") {
		return usagef("--cities and --part-out go together: a per-city part is written to its directory")
	}
	if combine != "" && cities != "" {
		return usagef("--combine publishes the parts; it takes no --cities")
	}
	if inbox == "" && len(s.cfg.Sources) == 0 && combine == "" {
		return usagef("--inbox is required (or database sources in the config file)")
	}
	first, err := values.ParseMonth(from)
	if err != nil {
		return usagef("--period: %v", err)
	}
	last := first
	if to != "" {
		if last, err = values.ParseMonth(to); err != nil {
			return usagef("--to: %v", err)
		}
	}
	if last < first {
		return usagef("--to %s is before --period %s", last, first)
	}
	if (cities != "" || combine != "") && last != first {
		return usagef("--cities and --combine run one period: drop --to")
	}
	params := s.cfg.ReferenceParams()
	for y := first.Year(); y <= last.Year(); y++ {
		if _, err := params.Year(y); err != nil {
			return usageError{err}
		}
	}
	if err := checkWarehouseSettings(s.cfg); err != nil {
		return usageError{err}
	}
	key, err := s.cfg.HMACKey(os.Getenv)
	if err != nil {
		return usageError{err}
	}
	stopProfile, err := prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	logger := s.logger()
	w, err := openWarehouse(ctx, s.cfg, logger, false)
	if err != nil {
		return err
	}
	defer w.close()
	regions, err := schemas.LoadRegions()
	if err != nil {
		return err
	}
	mem := memory.NewGoAllocator()
	if cities != "" || combine != "" {
		return runPerCity(ctx, s.cfg, w, params, regions, key, logger, first, perCity{
			cities: splitList(cities), partOut: partOut, combine: splitList(combine), inbox: inbox,
			allowMissing: allowMissing, acceptCount: acceptCount, waitLock: waitLock})
	}
	runner := pipeline.NewRunner(w.sink, params, regions, key, mem, logger)
	runner.AllowMissing = allowMissing
	runner.RowCountChange, runner.AcceptRowCountChange = s.cfg.RowCountChange, acceptCount
	bar := newProgress(os.Stderr)
	runner.Progress = bar.report()
	deliveries := jobs.Deliveries{Inbox: inbox, Databases: s.cfg.Sources, Getenv: os.Getenv, Encodings: s.cfg.Encodings}
	runs, err := deliveries.RunPeriods(ctx, runner, runLocking(s.cfg, waitLock), first, last, mem, opts)
	bar.done()
	if perr := prof.finish(runs); perr != nil && err == nil {
		err = perr
	}
	var held *jobs.HeldError
	if errors.As(err, &held) {
		// One line on stderr (exit 2) says who holds the period.
		for _, r := range runs[:len(runs)-1] {
			printRun(r)
		}
		return usageError{held}
	}
	cascading := false
	for _, r := range runs {
		if r.Period > last && !cascading {
			cascading = true
			fmt.Printf("↻ %s 之后已发布的统计期依据了被替换的数据, 依次重新运行:\n", last)
		}
		printRun(r)
	}
	if len(runs) > 0 {
		printStale(runs[len(runs)-1].Stale)
	}
	return runError(err)
}

// runError maps a run's error to its exit status: a key that is not the
// warehouse's is a configuration error (2); a refused partial delivery is a
// failed run (1) and says how to allow it.
func runError(err error) error {
	var missing *pipeline.MissingSourcesError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pipeline.ErrKeyMismatch):
		return usageError{err}
	case errors.As(err, &missing):
		return fmt.Errorf("%w; pass --allow-missing to publish without them", err)
	}
	return err
}

// printStale says which published periods are built on superseded data.
func printStale(stale []values.Month) {
	if len(stale) == 0 {
		return
	}
	names := make([]string, len(stale))
	for i, m := range stale {
		names[i] = m.String()
	}
	fmt.Printf("⚠ 以下已发布的统计期依据了此后被替换的数据, 已标记为过期 (indicator.stale = 1, 见 stale_period 表): %s\n"+
		"  重新运行 zengshou run --period %s 即可 (其后的过期统计期随之依次重跑)\n", strings.Join(names, ", "), names[0])
}

// runLocking is how the commands that run periods take their locks: files
// in the data directory.
func runLocking(cfg config.Config, wait time.Duration) jobs.Locking {
	return jobs.Locking{Locks: jobs.NewLocks(cfg.DataDir), Wait: wait, Command: "zengshou run"}
}

// printRun prints the accounting of a run, one line per extract.
func printRun(r *pipeline.Run) {
	fmt.Printf("%s  统计期 %s  状态 %s  批次 %s\n", statusMark(r.Status), r.Period, r.Status, r.ID)
	for _, s := range r.Sources {
		fmt.Printf("    %-18s 读入 %8d  接收 %8d  隔离 %6d  未匹配 %6d  %s\n", s.Source, s.In, s.Accepted, s.Quarantined, s.Unmatched, s.File)
		if len(s.Extra) > 0 {
			fmt.Printf("    %-18s 忽略未知列: %v\n", "", s.Extra)
		}
	}
	if len(r.Missing) > 0 {
		fmt.Printf("    缺失数据源: %v\n", r.Missing)
	}
	if len(r.Empty) > 0 {
		fmt.Printf("    空交付数据源 (只有表头, 相关指标不完整): %v\n", r.Empty)
	}
	// The error itself is printed once, on stderr, by main.
}

func statusMark(status string) string {
	if status == pipeline.StatusPublished {
		return "✓"
	}
	return "✗"
}
