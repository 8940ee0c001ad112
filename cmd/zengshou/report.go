package main

import (
	"context"
	"fmt"

	"zengshou/internal/querytime"
	"zengshou/reports"
	"zengshou/transforms/values"
)

func runReport(ctx context.Context, args []string) error {
	s := newSettings("report", "report --period YYYY-MM --kind monthly|quarterly --out DIR [--pdf auto|on|off] [--clickhouse DSN] [--query-times FILE]")
	opts := reports.DefaultOptions()
	var period, kind string
	s.fs.StringVar(&period, "period", "", "统计期 YYYY-MM (季报: 季度内任一月份)")
	s.fs.StringVar(&kind, "kind", string(opts.Kind), "报告类型 monthly (月报) | quarterly (季报)")
	s.fs.StringVar(&opts.OutDir, "out", opts.OutDir, "输出目录")
	s.fs.StringVar(&opts.PDF, "pdf", opts.PDF, "PDF: auto (有 chromium 时输出) | on | off")
	s.fs.StringVar(&opts.Chromium, "chromium", "", "chromium 程序 (默认在 PATH 中查找 chromium)")
	times := s.fs.String("query-times", "", "将生成报告时每个查询的耗时写入此 JSON 文件 ([{query, caller, ms, rows}])")
	if err := s.parse(args); err != nil {
		return err
	}
	m, err := values.ParseMonth(period)
	if err != nil {
		return usagef("--period: %v", err)
	}
	opts.Period, opts.Kind = m, reports.Kind(kind)
	if err := opts.Validate(); err != nil {
		return usageError{err}
	}
	w, err := openWarehouse(ctx, s.cfg, s.logger(), false)
	if err != nil {
		return err
	}
	defer w.close()
	conn := w.sink.Conn()
	var timer querytime.Timer
	if *times != "" {
		conn = timer.Wrap(conn)
	}
	res, err := reports.Build(ctx, conn, opts)
	if err != nil {
		return err
	}
	printReport(res)
	if *times != "" {
		return querytime.WriteFile(*times, timer.Queries())
	}
	return nil
}

// printReport prints the summary and the files of a built report.
func printReport(res *reports.Result) {
	fmt.Print(res.Summary)
	fmt.Printf("台账 %d 条, 一户一策 %d 户\n", res.Findings, res.Actions)
	for _, f := range res.Files {
		fmt.Println("  " + f)
	}
}
