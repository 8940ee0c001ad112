package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"

	"zengshou/synth"
)

func runGenerate(ctx context.Context, args []string) error {
	s := newSettings("generate", "generate --out DIR [--households N] [--from YYYY-MM] [--to YYYY-MM] [--seed N] [--clean] [--xlsx-share F] [--synth-config FILE]")
	cfg := synth.DefaultConfig()
	var out, synthFile string
	var clean bool
	s.fs.StringVar(&out, "out", "", "输出收件箱目录 (inbox to write)")
	s.fs.IntVar(&cfg.Households, "households", cfg.Households, "户数 (households)")
	s.fs.StringVar(&cfg.From, "from", cfg.From, "第一个统计期 YYYY-MM")
	s.fs.StringVar(&cfg.To, "to", cfg.To, "最后一个统计期 YYYY-MM")
	s.fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "随机种子 (same seed, same files)")
	xlsxShare := s.fs.Float64("xlsx-share", cfg.XLSXShare, "写成 Excel 工作簿 (.xlsx) 的文件比例 0..1 (share of extracts written as XLSX)")
	s.fs.BoolVar(&clean, "clean", false, "不生成脏数据 (no dirty rows, plain UTF-8)")
	s.fs.StringVar(&synthFile, "synth-config", "", "合成参数 YAML (synth.Config: dirty rates, file forms, missing sources)")
	if err := s.parse(args); err != nil {
		return err
	}
	if out == "" {
		return usagef("--out is required")
	}
	if synthFile != "" {
		b, err := os.ReadFile(synthFile)
		if err != nil {
			return usagef("reading %s: %v", synthFile, err)
		}
		if err := yaml.Unmarshal(b, &cfg); err != nil {
			return usagef("reading %s: %v", synthFile, err)
		}
	}
	if clean {
		c := synth.Clean()
		c.Seed, c.Households, c.From, c.To = cfg.Seed, cfg.Households, cfg.From, cfg.To
		cfg = c
	}
	s.fs.Visit(func(f *flag.Flag) {
		if f.Name == "xlsx-share" {
			cfg.XLSXShare = *xlsxShare
		}
	})
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	start := time.Now()
	truth, err := synth.Generate(ctx, cfg, out)
	if err != nil {
		return err
	}
	var persons int64
	for _, p := range truth.Periods {
		persons = max(persons, p.RosterPersons)
	}
	fmt.Printf("已生成 %s: %d 户, 约 %d 人, %s..%s, 用时 %.1f 秒 (truth: %s/truth.json)\n",
		out, cfg.Households, persons, cfg.From, cfg.To, time.Since(start).Seconds(), out)
	return nil
}
