package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"zengshou/config"
	"zengshou/jobs"
	"zengshou/pipeline/sink/clickhouse"
	"zengshou/pipeline/sink/clickhouse/embedded"
)

// warehouseSink is what the commands use of a warehouse: one server's
// *clickhouse.Sink, or a cluster's *clickhouse.Cluster (config cluster:),
// whose Conn is the first shard's, reading the whole cluster through its
// Distributed tables.
type warehouseSink interface {
	// jobs.Warehouse is pipeline.Sink, Record, Conn and Close.
	jobs.Warehouse
	// Connect connects, completes interrupted publications and migrates.
	Connect(ctx context.Context) error
	// SetGuard gives the recovery at Connect the period locks.
	SetGuard(g clickhouse.PeriodGuard)
	// Database is the warehouse database.
	Database() string
}

var (
	_ warehouseSink = (*clickhouse.Sink)(nil)
	_ warehouseSink = (*clickhouse.Cluster)(nil)
)

// newSink returns the unconnected sink of the configuration: a cluster
// sink over the shards of cfg.Cluster when it is set, else one server's
// sink on dsn.
func newSink(cfg config.Config, dsn string, logger *slog.Logger) (warehouseSink, error) {
	scfg := clickhouse.DefaultConfig()
	if cfg.Cluster != nil {
		return clickhouse.NewCluster(scfg, *cfg.Cluster, logger)
	}
	scfg.DSN = dsn
	return clickhouse.New(scfg, logger), nil
}

// usesEmbedded says whether the configuration names no warehouse, so that
// the commands start (or reuse) the embedded server.
func usesEmbedded(cfg config.Config) bool { return cfg.ClickHouse == "" && cfg.Cluster == nil }

// warehouse is an open warehouse and how to let go of it.
type warehouse struct {
	sink warehouseSink
	// dsn is the server connected to (a cluster's first shard).
	dsn  string
	stop func()
}

// openWarehouse connects to the configured ClickHouse or cluster, or starts
// the embedded server (stopped by stop, unless detached is set) and
// connects as its writer account.
func openWarehouse(ctx context.Context, cfg config.Config, logger *slog.Logger, detached bool) (*warehouse, error) {
	w := &warehouse{dsn: cfg.ClickHouse, stop: func() {}}
	if cfg.Cluster != nil {
		// The shards are the cluster's servers; none is started here.
		w.dsn = cfg.Cluster.Shards[0].DSN
	} else if w.dsn == "" {
		ecfg := embeddedConfig(cfg)
		// reuse connects to a detached server, started now or left up by
		// `zengshou demo` or `warehouse up`.
		reuse := func() error {
			if _, err := embedded.StartDetached(ctx, ecfg, logger); err != nil {
				return err
			}
			dsn, err := embedded.WriterDSN(ecfg)
			if err != nil {
				return fmt.Errorf("connecting to the embedded warehouse as %s: %w", embedded.WriterUser, err)
			}
			w.dsn = withDatabase(dsn, clickhouse.DefaultDatabase)
			return nil
		}
		if detached {
			if err := reuse(); err != nil {
				return nil, err
			}
		} else {
			srv, err := embedded.Start(ctx, ecfg, logger)
			switch {
			case errors.Is(err, embedded.ErrDataDirInUse):
				if err := reuse(); err != nil {
					return nil, err
				}
			case err != nil:
				return nil, err
			default:
				w.dsn = withDatabase(srv.WriterDSN(), clickhouse.DefaultDatabase)
				w.stop = func() {
					if err := srv.Stop(); err != nil {
						logger.Warn("stopping embedded clickhouse", "error", err)
					}
				}
			}
		}
	}
	sink, err := newSink(cfg, w.dsn, logger)
	if err != nil {
		w.stop()
		return nil, err
	}
	w.sink = sink
	// Recovery and repair at Connect keep away from periods a live run holds.
	w.sink.SetGuard(jobs.Guard{Locks: jobs.NewLocks(cfg.DataDir), Command: "zengshou (recovery)"})
	if err := w.sink.Connect(ctx); err != nil {
		w.stop()
		return nil, err
	}
	return w, nil
}

// checkWarehouseSettings validates the warehouse settings without I/O, so
// that a bad DSN is a usage error before any server starts.
func checkWarehouseSettings(cfg config.Config) error {
	if cfg.Cluster != nil {
		return nil // config.Cluster.Validate checked every shard's DSN
	}
	if cfg.ClickHouse == "" {
		return embeddedConfig(cfg).Validate()
	}
	scfg := clickhouse.DefaultConfig()
	scfg.DSN = cfg.ClickHouse
	return scfg.Validate()
}

func (w *warehouse) close() {
	w.sink.Close() //nolint:errcheck // closing a connection at exit
	w.stop()
}

func embeddedConfig(cfg config.Config) embedded.Config {
	e := embedded.DefaultConfig()
	e.DataDir = cfg.DataDir
	e.Port = cfg.ClickHousePort
	if cfg.ClickHouseBin != "" {
		e.Binary = cfg.ClickHouseBin
	}
	return e
}

// withDatabase puts the database into a DSN without one.
func withDatabase(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil || strings.Trim(u.Path, "/") != "" {
		return dsn
	}
	u.Path = "/" + db
	return u.String()
}

func runWarehouse(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "down") {
		return usagef("usage: zengshou warehouse up|down [--data-dir DIR]")
	}
	s := newSettings("warehouse "+args[0], "warehouse up|down [--data-dir DIR]")
	if err := s.parse(args[1:]); err != nil {
		return err
	}
	ecfg := embeddedConfig(s.cfg)
	if args[0] == "down" {
		if err := embedded.StopDetached(ecfg); err != nil {
			return err
		}
		fmt.Println("内置 ClickHouse 已停止 (embedded ClickHouse stopped)")
		return nil
	}
	// Connecting settles what dead runs left and repairs any period a
	// restart revived superseded rows in (the server stays up).
	w, err := openWarehouse(ctx, s.cfg, s.logger(), true)
	if err != nil {
		return err
	}
	w.close()
	fmt.Println(withoutPassword(w.dsn))
	if pw, err := embedded.WriterPasswordFile(ecfg); err == nil {
		fmt.Printf("写入账号 (pipeline writer): %s, 密码在 %s\n", embedded.WriterUser, pw)
	}
	if pw, err := embedded.AnalystPasswordFile(ecfg); err == nil {
		fmt.Printf("只读账号 (read-only account): %s, 密码在 %s\n", embedded.AnalystUser, pw)
	}
	return nil
}

// withoutPassword drops the password from a DSN that is printed.
func withoutPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
