package jobs

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zengshou/schemas"
)

// Handler serves /metrics (the daemon's own registry), /healthz (the
// process answers) and /readyz (ClickHouse reachable and its schema at this
// program's latest migration).
func (d *Daemon) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(d.opts.Registry, promhttp.HandlerOpts{Registry: d.opts.Registry}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		if err := d.ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return mux
}

// ready checks that ClickHouse answers and its schema is at the latest
// migration this program knows.
func (d *Daemon) ready(ctx context.Context) error {
	w, err := d.warehouse(ctx)
	if err != nil {
		return err
	}
	if err := w.Conn().Ping(ctx); err != nil {
		d.dropWarehouse()
		return fmt.Errorf("pinging clickhouse: %w", err)
	}
	migrations, err := schemas.Migrations()
	if err != nil {
		return err
	}
	want := migrations[len(migrations)-1].Version
	var have uint32
	if err := w.Conn().QueryRow(ctx, "SELECT max(version) FROM schema_migrations").Scan(&have); err != nil {
		return fmt.Errorf("reading schema_migrations: %w", err)
	}
	if have != want {
		return fmt.Errorf("schema at migration %d, this program expects %d", have, want)
	}
	return nil
}
