package main

import (
	"context"
	"flag"
	"fmt"

	"zengshou/dashboards"
)

func runDashboards(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("dashboards", flag.ContinueOnError)
	out := fs.String("out", "dashboards", "输出目录 (one <uid>.json per dashboard)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: zengshou dashboards [--out DIR]\n\n生成 Grafana 仪表板 JSON (目标追踪、收入结构、数据比对与预警、运行监控).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return errHelp
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	paths, err := dashboards.Write(*out)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Println(p)
	}
	return nil
}
