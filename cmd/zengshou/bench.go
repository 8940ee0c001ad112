package main

import (
	"context"
	"fmt"
	"os"

	"zengshou/internal/bench"
)

func runBench(ctx context.Context, args []string) error {
	s := newSettings("bench", "bench [--households N] [--december=false] [--work-dir DIR] [--out docs/performance.md] [--memory-limit SIZE]")
	cfg := bench.DefaultConfig()
	var out string
	s.fs.IntVar(&cfg.Households, "households", cfg.Households, "基准户数 (1×); 伸缩测量 0.25×、0.5×、1×; 全省规模为 1000000")
	s.fs.BoolVar(&cfg.December, "december", cfg.December, "同时测量基准户数的 12 月 (先运行 2—11 月)")
	s.fs.StringVar(&cfg.WorkDir, "work-dir", cfg.WorkDir, "生成的收件箱 (按户数和种子复用) 和临时仓库的目录")
	s.fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "生成器的随机种子")
	s.fs.StringVar(&cfg.ClickHouseClient, "clickhouse-client", cfg.ClickHouseClient, "基线导入使用的 clickhouse-client")
	s.fs.StringVar(&cfg.MemoryLimit, "memory-limit", cfg.MemoryLimit, "每次运行的 --memory-limit (空为不设)")
	s.fs.StringVar(&out, "out", "docs/performance.md", "写入 Markdown 结果的文件 (空为只打印)")
	if err := s.parse(args); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the zengshou binary: %w", err)
	}
	cfg.Zengshou = exe
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	res, err := bench.New(cfg, os.Stderr).Run(ctx)
	if err != nil {
		return err
	}
	md := res.Markdown()
	fmt.Print(md)
	if out == "" {
		return nil
	}
	if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}
