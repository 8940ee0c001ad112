// Command chserver starts and stops the throwaway ClickHouse server that
// make test runs the integration tests against.
//
//	chserver up DATA_DIR       start (or reuse) a detached server, print its DSN
//	chserver analyst DATA_DIR  print the read-only analyst account's DSN
//	chserver down DATA_DIR     stop it; no error if none is running
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"zengshou/pipeline/sink/clickhouse/embedded"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "up" && os.Args[1] != "down" && os.Args[1] != "analyst") {
		fmt.Fprintln(os.Stderr, "usage: chserver up|analyst|down DATA_DIR")
		os.Exit(2)
	}
	cfg := embedded.DefaultConfig()
	cfg.DataDir = os.Args[2]
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	switch os.Args[1] {
	case "up":
		dsn, err := embedded.StartDetached(context.Background(), cfg, logger)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chserver:", err)
			os.Exit(1)
		}
		fmt.Println(dsn)
	case "analyst":
		dsn, err := embedded.AnalystDSN(cfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chserver:", err)
			os.Exit(1)
		}
		fmt.Println(dsn)
	case "down":
		if err := embedded.StopDetached(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "chserver:", err)
			os.Exit(1)
		}
	}
}
