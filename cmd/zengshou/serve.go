package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"zengshou/jobs"
	"zengshou/pipeline"
	"zengshou/reports"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

func runServe(ctx context.Context, args []string) error {
	s := newSettings("serve", "serve --config FILE [--inbox DIR] [--listen ADDR]")
	var inbox, listen string
	s.fs.StringVar(&inbox, "inbox", "", "收件箱目录 <inbox>/<YYYY-MM>/<source>.csv (ZENGSHOU_INBOX)")
	s.fs.StringVar(&listen, "listen", "", "观测 HTTP 监听地址 /metrics /healthz /readyz (serve.listen, 默认 127.0.0.1:9464)")
	if err := s.parse(args); err != nil {
		return err
	}
	if inbox == "" {
		inbox = s.cfg.Inbox
	}
	if inbox == "" {
		return usagef("--inbox (or inbox: in the config file) is required")
	}
	if listen != "" {
		s.cfg.Serve.Listen = listen
		if err := s.cfg.Validate(); err != nil {
			return usageError{err}
		}
	}
	key, err := s.cfg.HMACKey(os.Getenv)
	if err != nil {
		return usageError{err}
	}
	logger := newFormatLogger(os.Stderr, s.cfg.LogLevel, s.cfg.Serve.LogFormat)
	regions, err := schemas.LoadRegions()
	if err != nil {
		return err
	}
	dsn := s.cfg.ClickHouse
	if usesEmbedded(s.cfg) {
		// The embedded server runs as long as the daemon.
		w, err := openWarehouse(ctx, s.cfg, logger, false)
		if err != nil {
			return err
		}
		defer w.stop()
		w.sink.Close() //nolint:errcheck // the daemon opens its own connections
		dsn = w.dsn
	}
	mem := memory.NewGoAllocator()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	params := s.cfg.ReferenceParams()
	d, err := jobs.NewDaemon(jobs.DaemonOptions{
		Config: s.cfg.Serve,
		Inbox:  inbox,
		Connect: func(ctx context.Context) (jobs.Warehouse, error) {
			sink, err := newSink(s.cfg, dsn, logger)
			if err != nil {
				return nil, err
			}
			// Recovery at Connect touches only periods no live run holds.
			sink.SetGuard(jobs.Guard{Locks: jobs.NewLocks(s.cfg.DataDir), Command: "zengshou serve (recovery)"})
			if err := sink.Connect(ctx); err != nil {
				sink.Close() //nolint:errcheck // already failing
				return nil, err
			}
			return sink, nil
		},
		NewRunner: func(sink pipeline.Sink) *pipeline.Runner {
			return pipeline.NewRunner(sink, params, regions, key, mem, logger)
		},
		Mem:      mem,
		Locks:    jobs.NewLocks(s.cfg.DataDir),
		Reports:  reportBuilder(filepath.Join(s.cfg.DataDir, "reports")),
		Registry: reg,
		Logger:   logger,
	})
	if err != nil {
		return usageError{err}
	}
	return d.Run(ctx)
}

// reportBuilder returns the report jobs' builder: the report of the kind
// and period from the warehouse (reports.Build), written under dir
// (<data_dir>/reports), the PDF when chromium is present.
func reportBuilder(dir string) jobs.ReportBuilder {
	return func(ctx context.Context, w jobs.Warehouse, kind string, period values.Month) error {
		opts := reports.DefaultOptions()
		opts.Period, opts.Kind, opts.OutDir = period, reports.Kind(kind), dir
		_, err := reports.Build(ctx, w.Conn(), opts)
		return err
	}
}

// newFormatLogger is the structured logger in text or JSON.
func newFormatLogger(w io.Writer, level, format string) *slog.Logger {
	if format != "json" {
		return newLogger(w, level)
	}
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
