package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"zengshou/dashboards"
	"zengshou/internal/querytime"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/embedded"
)

func runDashboards(ctx context.Context, args []string) error {
	s := newSettings("dashboards", "dashboards [--out DIR] [--check [--clickhouse DSN | --data-dir DIR] [--query-times FILE]]")
	out := s.fs.String("out", "dashboards", "输出目录 (one <uid>.json per dashboard)")
	check := s.fs.Bool("check", false, "以只读账号在数据仓库上运行每个 SQL 面板的查询并打印行数与耗时 (不写文件; Prometheus 面板由测试验证)")
	times := s.fs.String("query-times", "", "与 --check 同用: 将每个查询的耗时写入此 JSON 文件 ([{query, ms, rows}])")
	if err := s.parse(args); err != nil {
		return err
	}
	if *times != "" && !*check {
		return usagef("--query-times needs --check")
	}
	if !*check {
		paths, err := dashboards.Write(*out)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Println(p)
		}
		return nil
	}
	return checkDashboards(ctx, s, *times)
}

// checkDashboards runs every panel's SQL on the latest period, as the
// read-only analyst of the embedded server (or as the --clickhouse DSN),
// printing each one's rows and wall time; with times, it also writes them
// there as JSON (the query labelled "dashboard / panel").
func checkDashboards(ctx context.Context, s *settings, times string) error {
	dsn := s.cfg.ClickHouse
	if s.cfg.Cluster != nil {
		// The first shard's Distributed tables read the whole cluster.
		dsn = s.cfg.Cluster.Shards[0].DSN
	} else if dsn == "" {
		a, err := embedded.AnalystDSN(embeddedConfig(s.cfg))
		if err != nil {
			return fmt.Errorf("finding the embedded warehouse's analyst account (start it with zengshou warehouse up): %w", err)
		}
		dsn = withDatabase(a, clickhouse.DefaultDatabase)
	}
	opts, err := ch.ParseDSN(dsn)
	if err != nil {
		return usagef("parsing --clickhouse: %v", err)
	}
	conn, err := ch.Open(opts)
	if err != nil {
		return fmt.Errorf("connecting to ClickHouse: %w", err)
	}
	defer conn.Close()
	var period time.Time
	if err := conn.QueryRow(ctx, "SELECT max(period) FROM indicator").Scan(&period); err != nil {
		return fmt.Errorf("reading the latest period: %w", err)
	}
	results, err := dashboards.Check(ctx, conn, dashboards.Values{
		Period: period, From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now(),
	})
	var record []querytime.Query
	for _, r := range results {
		fmt.Printf("%s\t%s\t%d 行\t%.1f ms\n", r.Dashboard, r.Panel, r.Rows, querytime.Millis(r.Took))
		record = append(record, querytime.Query{Query: r.Dashboard + " / " + r.Panel, Ms: querytime.Millis(r.Took), Rows: r.Rows})
	}
	if err != nil {
		return err
	}
	if times != "" {
		return querytime.WriteFile(times, record)
	}
	return nil
}

// printGrafanaHowTo writes the dashboards under the data directory and says
// how to load them into a Grafana (the demo's last step).
func printGrafanaHowTo(dataDir, dsn string, embeddedServer bool) error {
	dir := filepath.Join(dataDir, "dashboards")
	if _, err := dashboards.Write(dir); err != nil {
		return err
	}
	host := "127.0.0.1:9000"
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		host = u.Host
	}
	fmt.Printf("\n⑨ Grafana 仪表板 (目标追踪、收入结构、数据比对与预警、运行监控) → %s\n", dir)
	fmt.Println("   装有 ClickHouse 插件 (grafana-clickhouse-datasource) 的 Grafana: 将 dashboards/provisioning/ 复制到 Grafana 的 provisioning 目录,")
	fmt.Printf("   数据源填 ClickHouse 原生协议 %s, 数据库 %s", host, clickhouse.DefaultDatabase)
	if embeddedServer {
		pw, _ := embedded.AnalystPasswordFile(embedded.Config{DataDir: dataDir})
		fmt.Printf(", 只读账号 %s, 密码在 %s", embedded.AnalystUser, pw)
	}
	fmt.Println("; 详见 docs/dashboards.md")
	fmt.Println("   检查每个面板的查询: ./bin/zengshou dashboards --check --data-dir " + dataDir)
	return nil
}
