package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/jobs"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// errCheckFailed is returned when the deliveries have problems (exit 1).
var errCheckFailed = errors.New("the deliveries have problems")

func runCheck(ctx context.Context, args []string) error {
	s := newSettings("check", "check --inbox DIR --period YYYY-MM [--config FILE]")
	var inbox, period string
	s.fs.StringVar(&inbox, "inbox", "", "收件箱目录 (ZENGSHOU_INBOX)")
	s.fs.StringVar(&period, "period", "", "统计期 YYYY-MM")
	if err := s.parse(args); err != nil {
		return err
	}
	if inbox == "" {
		inbox = s.cfg.Inbox
	}
	if inbox == "" && len(s.cfg.Sources) == 0 {
		return usagef("--inbox is required (or database sources in the config file)")
	}
	m, err := values.ParseMonth(period)
	if err != nil {
		return usagef("--period: %v", err)
	}
	regions, err := schemas.LoadRegions()
	if err != nil {
		return err
	}
	d := jobs.Deliveries{Inbox: inbox, Databases: s.cfg.Sources, Getenv: os.Getenv, Encodings: s.cfg.Encodings}
	rep := d.Check(ctx, m, regions, s.cfg.RowCountChange, memory.NewGoAllocator())
	fmt.Printf("交付检查 统计期 %s\n", rep.Period)
	for _, cs := range rep.Sources {
		prev := ""
		if cs.Previous >= 0 {
			prev = fmt.Sprintf("  上月 %d 行", cs.Previous)
		}
		fmt.Printf("    %-18s 读入 %8d 行%s  %s\n", cs.Source, cs.In, prev, cs.Name)
		reasons := make([]string, 0, len(cs.Reasons))
		for r := range cs.Reasons {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			fmt.Printf("    %-18s   将隔离 %-20s %6d 行\n", "", r, cs.Reasons[r])
		}
		if len(cs.Extra) > 0 {
			fmt.Printf("    %-18s   忽略未知列: %v\n", "", cs.Extra)
		}
		if cs.Err == "" && cs.In == 0 {
			fmt.Printf("    %-18s   空交付 (只有表头), 相关指标将不完整\n", "")
		}
	}
	if len(rep.Missing) > 0 {
		fmt.Printf("    缺失数据源: %v\n", rep.Missing)
	}
	if len(rep.Problems) == 0 {
		fmt.Println("✓ 未发现问题")
		return nil
	}
	fmt.Printf("✗ 发现 %d 个问题:\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Printf("    - %s\n", p)
	}
	return errCheckFailed
}
