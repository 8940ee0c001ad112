// Command zengshou is the one binary of 增收监测: it generates synthetic
// inboxes, runs the monthly pipeline into ClickHouse and runs the demo.
// main only parses flags and wires the packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses (cli.md).
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

type command struct {
	name, help string
	run        func(ctx context.Context, args []string) error
}

var commands = []command{
	{"demo", "生成合成省份数据, 逐月运行流水线并打印核心指标 (make demo)", runDemo},
	{"run", "运行一个或多个统计期: 抽取 → 关联 → 计算 → 入库", runRun},
	{"check", "检查一个统计期的交付 (不入库): 文件、表头、行数、隔离原因", runCheck},
	{"generate", "生成合成的部门数据收件箱 (含脏数据)", runGenerate},
	{"warehouse", "启动/停止内置 ClickHouse: warehouse up|down", runWarehouse},
	{"report", "生成月报/季报 (HTML、XLSX、摘要, 有 chromium 时含 PDF) 并登记到 report 表", runReport},
	{"dashboards", "生成 Grafana 仪表板 JSON: dashboards --out dashboards/", runDashboards},
	{"serve", "调度守护进程: 定时运行流水线和报告, 提供 /metrics /healthz /readyz", runServe},
	{"runs", "列出 etl_run 中最近的运行 (统计期, 作业, 状态, 耗时, 行数, 错误)", runRuns},
	{"bench", "性能测量: 与 clickhouse-client 直接导入同一批文件对比, 写入 docs/performance.md (make bench)", runBench},
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage()
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:])
		switch {
		case err == nil, errors.Is(err, errHelp):
			return exitOK
		case errors.As(err, new(usageError)):
			fmt.Fprintln(os.Stderr, "zengshou "+c.name+": "+err.Error())
			return exitUsage
		default:
			fmt.Fprintln(os.Stderr, "zengshou "+c.name+": "+err.Error())
			return exitFailed
		}
	}
	fmt.Fprintf(os.Stderr, "zengshou: unknown command %q\n", args[0])
	printUsage()
	return exitUsage
}

func printUsage() {
	fmt.Fprintln(os.Stderr, "增收监测 zengshou — 脱贫人口和防止返贫监测对象增收监测数据流水线\n\n用法: zengshou <命令> [参数]\n\n命令:")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", c.name, c.help)
	}
	fmt.Fprintln(os.Stderr, "\n每个命令的参数: zengshou <命令> -h")
}
