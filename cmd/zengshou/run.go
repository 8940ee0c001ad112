package main

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

func runRun(ctx context.Context, args []string) error {
	s := newSettings("run", "run --inbox DIR --period YYYY-MM [--to YYYY-MM] [--clickhouse DSN] [--hmac-key-file FILE]")
	var inbox, from, to string
	var acceptCount bool
	s.fs.StringVar(&inbox, "inbox", "", "收件箱目录 <inbox>/<YYYY-MM>/<source>.csv (ZENGSHOU_INBOX)")
	s.fs.StringVar(&from, "period", "", "统计期 YYYY-MM")
	s.fs.StringVar(&to, "to", "", "最后一个统计期 YYYY-MM (逐月依次运行)")
	s.fs.BoolVar(&acceptCount, "accept-row-count-change", false, "接受数据源行数相对上期的大幅变化 (已核实交付无误; row_count_change)")
	if err := s.parse(args); err != nil {
		return err
	}
	if inbox == "" {
		inbox = s.cfg.Inbox
	}
	if inbox == "" && len(s.cfg.Sources) == 0 {
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
	key, err := s.cfg.HMACKey(os.Getenv)
	if err != nil {
		return usageError{err}
	}
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
	runner := pipeline.NewRunner(w.sink, s.cfg.ReferenceParams(), regions, key, mem, logger)
	runner.RowCountChange, runner.AcceptRowCountChange = s.cfg.RowCountChange, acceptCount
	deliveries := jobs.Deliveries{Inbox: inbox, Databases: s.cfg.Sources, Getenv: os.Getenv, Encodings: s.cfg.Encodings}
	runs, err := deliveries.RunPeriods(ctx, runner, first, last, mem)
	for _, r := range runs {
		printRun(r)
	}
	return err
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
	if r.Error != "" {
		fmt.Printf("    错误: %s\n", r.Error)
	}
}

func statusMark(status string) string {
	if status == pipeline.StatusPublished {
		return "✓"
	}
	return "✗"
}
