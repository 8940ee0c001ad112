package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/pipeline/sink/clickhouse/embedded"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/synth"
	"zengshou/transforms/values"
)

func runDemo(ctx context.Context, args []string) error {
	s := newSettings("demo", "demo [--data-dir DIR] [--households N]")
	scfg := synth.DefaultConfig()
	// A few departments deliver Excel workbooks, as in the province.
	scfg.XLSXShare = 0.05
	// Two years, so that income growth, income decline and
	// INCOME_SPIKE_UNBACKED have a December before them.
	scfg.From = demoFrom
	// Every department the pipeline reads, the optional ones (housing,
	// water, collective) too, so that the reports and dashboards show
	// their rules and indicators.
	scfg.Departments = slices.Clone(synth.Departments)
	s.fs.IntVar(&scfg.Households, "households", scfg.Households, "合成省份户数 (households)")
	if err := s.parse(args); err != nil {
		return err
	}
	if err := checkWarehouseSettings(s.cfg); err != nil {
		return usageError{err}
	}
	if s.fs.Lookup("log-level").Value.String() == "" && os.Getenv("ZENGSHOU_LOG_LEVEL") == "" {
		s.cfg.LogLevel = "warn"
	}
	logger := s.logger()
	dataDir, err := filepath.Abs(s.cfg.DataDir)
	if err != nil {
		return err
	}
	s.cfg.DataDir = dataDir
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return fmt.Errorf("creating data directory %s: %w", dataDir, err)
	}
	key, err := demoKey(dataDir)
	if err != nil {
		return err
	}

	inbox := filepath.Join(dataDir, "demo-inbox")
	fmt.Printf("① 生成合成省份: %d 户, %s 至 %s → %s\n", scfg.Households, scfg.From, scfg.To, inbox)
	start := time.Now()
	if err := os.RemoveAll(inbox); err != nil {
		return fmt.Errorf("clearing %s: %w", inbox, err)
	}
	truth, err := synth.Generate(ctx, scfg, inbox)
	if err != nil {
		return err
	}
	fmt.Printf("   用时 %.1f 秒\n", time.Since(start).Seconds())

	fmt.Println("② 启动内置 ClickHouse (数据在 " + filepath.Join(dataDir, "clickhouse") + ")")
	w, err := openWarehouse(ctx, s.cfg, logger, usesEmbedded(s.cfg))
	if err != nil {
		return err
	}
	defer w.sink.Close() //nolint:errcheck // the server stays up for queries

	regions, err := schemas.LoadRegions()
	if err != nil {
		return err
	}
	mem := memory.NewGoAllocator()
	runner := pipeline.NewRunner(w.sink, s.cfg.ReferenceParams(), regions, key, mem, logger)
	from, _ := values.ParseMonth(scfg.From)
	to, _ := values.ParseMonth(scfg.To)
	fmt.Println("③ 逐月运行流水线: 抽取 → 校验身份证号 → 关联 → 计算收入与指标 → 入库")
	quarantined := map[string]int64{}
	for m := from; m <= to; m++ {
		t0 := time.Now()
		// The loop runs every month in order: a cascade after each would
		// re-run the later months a previous demo published, again and again.
		runs, err := jobs.RunPeriodsWith(ctx, runner, runLocking(s.cfg, 0), inbox, m, m, mem, jobs.Options{NoCascade: true})
		if err != nil {
			for _, r := range runs {
				printRun(r)
			}
			return runError(err)
		}
		var in, q, un int64
		for _, st := range runs[0].Sources {
			in += st.In
			q += st.Quarantined
			un += st.Unmatched
			for reason, n := range st.Reasons {
				quarantined[reason] += n
			}
		}
		fmt.Printf("   ✓ %s  读入 %7d 行, 隔离 %5d 行, 未匹配 %4d 行, 缺失数据源 %d 个, %.1f 秒\n",
			m, in, q, un, len(runs[0].Missing), time.Since(t0).Seconds())
	}

	heads, err := reports.Headlines(ctx, w.sink.Conn(), to)
	if err != nil {
		return err
	}
	printHeadlines(to, heads, truth.Periods[to.String()].RosterPersons)
	findings, err := reports.Findings(ctx, w.sink.Conn(), to)
	if err != nil {
		return err
	}
	printFindings(to, findings)
	printQuarantine(quarantined)
	if err := demoReports(ctx, w.sink.Conn(), to, filepath.Join(dataDir, "reports")); err != nil {
		return err
	}
	printHowToQuery(w.dsn, w.sink.Database(), usesEmbedded(s.cfg), dataDir)
	return printGrafanaHowTo(dataDir, w.dsn, usesEmbedded(s.cfg))
}

// demoReports writes the monthly and the quarterly report of the demo's last
// month and prints their paths.
func demoReports(ctx context.Context, conn driver.Conn, period values.Month, dir string) error {
	fmt.Println("\n⑦ 月报和季报 (zengshou report):")
	for _, kind := range []reports.Kind{reports.Monthly, reports.Quarterly} {
		opts := reports.DefaultOptions()
		opts.Period, opts.Kind, opts.OutDir = period, kind, dir
		res, err := reports.Build(ctx, conn, opts)
		if err != nil {
			return err
		}
		fmt.Printf("   %s %s: 台账 %d 条, 一户一策 %d 户\n", res.Label, kind, res.Findings, res.Actions)
		for _, f := range res.Files {
			fmt.Println("     " + f)
		}
	}
	return nil
}

// demoFrom is the first month of the demo province (to synth's 2025-12).
const demoFrom = "2024-01"

// demoKey returns the demo's pseudonymisation key, made once and kept in the
// data directory.
func demoKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, "hmac.key")
	b, err := os.ReadFile(path)
	if err == nil {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading demo key %s: %w", path, err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("making demo key: %w", err)
	}
	k := hex.EncodeToString(raw[:])
	if err := os.WriteFile(path, []byte(k+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing demo key %s: %w", path, err)
	}
	return []byte(k), nil
}

func printHeadlines(period values.Month, heads []reports.Headline, persons int64) {
	fmt.Printf("\n④ 全省核心指标 (%d年%d月, 年初至本期; 合成省份 %d 人, 约为全省脱贫人口的 %.1f%%, 绝对量目标仅作对照)\n",
		period.Year(), period.Number(), persons, float64(persons)/3000000*100)
	for _, h := range heads {
		target := "—"
		progress := ""
		if h.Target != nil {
			target = formatValue(*h.Target, h.Unit)
			if *h.Target != 0 {
				progress = fmt.Sprintf("  完成 %.1f%%", h.Value / *h.Target * 100)
			}
		}
		mark := ""
		if !h.Complete {
			mark = "  (数据不完整)"
		}
		if h.Stale {
			mark += "  (数据过期: 更早的统计期已重新发布)"
		}
		fmt.Printf("   %s %s   目标 %s%s%s\n", padRight(h.Title, 34), padLeft(formatValue(h.Value, h.Unit), 16),
			padLeft(target, 16), progress, mark)
	}
}

func formatValue(v float64, unit string) string {
	switch unit {
	case "比例":
		return fmt.Sprintf("%.1f%%", v*100)
	case "元":
		if v >= 1e8 {
			return fmt.Sprintf("%.2f 亿元", v/1e8)
		}
		return fmt.Sprintf("%.2f 万元", v/1e4)
	case "人":
		return fmt.Sprintf("%.0f 人", v)
	default:
		return fmt.Sprintf("%.0f %s", v, unit)
	}
}

func printFindings(period values.Month, findings []reports.FindingCount) {
	fmt.Printf("\n⑤ 数据比对发现 (discrepancy 表, %d年%d月, 按规则):\n", period.Year(), period.Number())
	severity := map[string]string{"high": "高", "medium": "中", "low": "低"}
	for _, f := range findings {
		fmt.Printf("   [%s] %s %6d\n", severity[f.Severity], padRight(f.Rule, 28), f.Count)
	}
}

func printQuarantine(byReason map[string]int64) {
	fmt.Println("\n⑥ 各期隔离行合计 (quarantine 表, 按原因):")
	for _, r := range []string{schemas.ReasonIDInvalid, schemas.ReasonDuplicateID, schemas.ReasonPeriodMismatch,
		schemas.ReasonAmountInconsistent, schemas.ReasonUnknownRegion, schemas.ReasonBadValue,
		schemas.ReasonMissingValue, schemas.ReasonMalformed, schemas.ReasonFieldCount, schemas.ReasonDuplicateHousehold} {
		if n := byReason[r]; n > 0 {
			fmt.Printf("   %-22s %6d\n", r, n)
		}
	}
}

func printHowToQuery(dsn, database string, embeddedServer bool, dataDir string) {
	host, port := "127.0.0.1", "9000"
	if rest, ok := strings.CutPrefix(dsn, "clickhouse://"); ok {
		if at := strings.Index(rest, "@"); at >= 0 {
			rest = rest[at+1:]
		}
		hostport, _, _ := strings.Cut(rest, "/")
		if h, p, ok := strings.Cut(hostport, ":"); ok {
			host, port = h, p
		}
	}
	fmt.Printf(`
⑧ 查询数据仓库 (ClickHouse 保持运行):
   clickhouse-client --host %[1]s --port %[2]s --database %[3]s
   例: SELECT region_name, value FROM indicator WHERE indicator_code = 'PER_CAPITA_NET_INCOME'
         AND region_level = 'city' AND period = (SELECT max(period) FROM indicator) ORDER BY value
   表与字段说明: docs/data-dictionary.md
`, host, port, database)
	if embeddedServer {
		// Analysts read as the read-only account.
		pw, _ := embedded.AnalystPasswordFile(embedded.Config{DataDir: dataDir})
		fmt.Printf("   只读账号 (分析人员请用): 加 --user %s --password \"$(cat %s)\"\n", embedded.AnalystUser, pw)
		fmt.Printf("   停止服务器: ./bin/zengshou warehouse down --data-dir %s\n", dataDir)
	}
}
