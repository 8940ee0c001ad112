package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"zengshou/synth"
)

func runGenerate(ctx context.Context, args []string) error {
	s := newSettings("generate", "generate --out DIR [--households N] [--from YYYY-MM] [--to YYYY-MM] [--seed N] [--clean] [--xlsx-share F] [--departments LIST] [--synth-config FILE]")
	cfg := synth.DefaultConfig()
	var out, synthFile, departments string
	var clean bool
	s.fs.StringVar(&out, "out", "", "输出收件箱目录 (inbox to write)")
	s.fs.IntVar(&cfg.Households, "households", cfg.Households, "户数 (households)")
	s.fs.StringVar(&cfg.From, "from", cfg.From, "第一个统计期 YYYY-MM")
	s.fs.StringVar(&cfg.To, "to", cfg.To, "最后一个统计期 YYYY-MM")
	s.fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "随机种子 (same seed, same files)")
	xlsxShare := s.fs.Float64("xlsx-share", cfg.XLSXShare, "写成 Excel 工作簿 (.xlsx) 的文件比例 0..1 (share of extracts written as XLSX)")
	s.fs.BoolVar(&clean, "clean", false, "不生成脏数据 (no dirty rows, plain UTF-8)")
	s.fs.StringVar(&departments, "departments", "", "另外生成的部门, 逗号分隔: housing (农村住房安全), water (农村饮水安全), collective (村集体经济收益分配), 或 all; 默认不生成 (extra departments; off by default: a pipeline that does not know them refuses the inbox)")
	s.fs.StringVar(&synthFile, "synth-config", "", "合成参数 YAML (synth.Config: dirty rates, file forms, missing sources, departments)")
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
		c.Seed, c.Households, c.From, c.To, c.Departments = cfg.Seed, cfg.Households, cfg.From, cfg.To, cfg.Departments
		cfg = c
	}
	s.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "xlsx-share":
			cfg.XLSXShare = *xlsxShare
		case "departments":
			cfg.Departments = parseDepartments(departments)
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

// parseDepartments reads --departments: names separated by commas, "all"
// for every extra department, "" or "none" for none.
func parseDepartments(list string) []string {
	var out []string
	for _, d := range strings.Split(list, ",") {
		switch d = strings.TrimSpace(d); d {
		case "", "none":
		case "all":
			out = append(out, synth.Departments...)
		default:
			out = append(out, d)
		}
	}
	return out
}
