package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"zengshou/jobs"
)

func runRuns(ctx context.Context, args []string) error {
	s := newSettings("runs", "runs [--limit N] [--clickhouse DSN]")
	limit := s.fs.Int("limit", 20, "显示最近多少次运行")
	if err := s.parse(args); err != nil {
		return err
	}
	if *limit < 1 {
		return usagef("--limit %d: must be at least 1", *limit)
	}
	w, err := openWarehouse(ctx, s.cfg, s.logger(), false)
	if err != nil {
		return err
	}
	defer w.close()
	runs, err := jobs.RecentRuns(ctx, w.sink.Conn(), *limit)
	if err != nil {
		return err
	}
	loc, err := jobs.Location()
	if err != nil {
		return err
	}
	printRuns(os.Stdout, runs, loc)
	return nil
}

// runColumns are the headers of `zengshou runs` and their widths.
var runColumns = []struct {
	title string
	width int
	right bool
}{
	{"统计期", 8, false}, {"作业", 16, false}, {"状态", 10, false}, {"开始 (北京时间)", 19, false},
	{"耗时", 8, true}, {"读入行", 10, true}, {"隔离行", 8, true}, {"缺失数据源", 20, false}, {"错误/原因", 0, false},
}

// printRuns prints the runs as a table, newest first.
func printRuns(out io.Writer, runs []jobs.RunSummary, loc *time.Location) {
	row := func(cells ...string) {
		var b strings.Builder
		for i, c := range cells {
			col := runColumns[i]
			switch {
			case col.width == 0:
				b.WriteString(c)
			case col.right:
				b.WriteString(padLeft(c, col.width))
			default:
				b.WriteString(padRight(c, col.width))
			}
			if i < len(cells)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(out, strings.TrimRight(b.String(), " "))
	}
	titles := make([]string, len(runColumns))
	for i, c := range runColumns {
		titles[i] = c.title
	}
	row(titles...)
	if len(runs) == 0 {
		fmt.Fprintln(out, "(etl_run 中还没有运行记录)")
		return
	}
	for _, r := range runs {
		took := "-"
		if r.Finished != nil {
			took = r.Duration().Round(time.Second).String()
		}
		missing := strings.Join(r.Missing, ",")
		if missing == "" {
			missing = "-"
		}
		row(r.Period.String(), r.Job, r.Status, r.Started.In(loc).Format("2006-01-02 15:04:05"), took,
			fmt.Sprint(r.RowsIn), fmt.Sprint(r.Quarantined), missing, oneLine(r.Error, 100))
	}
}

// oneLine keeps an error on one line of at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
