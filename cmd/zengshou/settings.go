package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"zengshou/config"
)

// settings are the common settings of every command: flag, environment
// variable and config-file key (cli.md).
type settings struct {
	fs         *flag.FlagSet
	configFile string
	cfg        config.Config
	flagged    config.Config
	usage      func()
}

func newSettings(name, usage string) *settings {
	s := &settings{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	s.fs.StringVar(&s.configFile, "config", "", "YAML 配置文件 (config file; unknown keys are an error)")
	s.fs.StringVar(&s.flagged.ClickHouse, "clickhouse", "", "ClickHouse DSN, 如 clickhouse://user:pass@host:9000/zengshou ("+config.EnvClickHouse+"); 为空时使用内置服务器")
	s.fs.StringVar(&s.flagged.ClickHouseBin, "clickhouse-bin", "", "内置服务器使用的 clickhouse-server 程序 ("+config.EnvClickHouseBin+")")
	s.fs.IntVar(&s.flagged.ClickHousePort, "clickhouse-port", 0, "内置服务器的固定端口, 0 为沿用数据目录中记住的端口 ("+config.EnvClickHousePort+")")
	s.fs.StringVar(&s.flagged.DataDir, "data-dir", "", "数据目录, 默认 ./.zengshou ("+config.EnvDataDir+")")
	s.fs.StringVar(&s.flagged.HMACKeyFile, "hmac-key-file", "", "假名化密钥文件 ("+config.EnvHMACKeyFile+", 或以 "+config.EnvHMACKey+" 直接给出密钥)")
	s.fs.StringVar(&s.flagged.LogLevel, "log-level", "", "日志级别 debug/info/warn/error ("+config.EnvLogLevel+")")
	// The flag package would print a parse error itself and main prints it
	// again: it stays quiet, and parse prints the usage when -h asks for it.
	s.fs.SetOutput(io.Discard)
	s.fs.Usage = func() {}
	s.usage = func() {
		fmt.Fprintf(os.Stderr, "用法: zengshou %s\n\n", usage)
		s.fs.SetOutput(os.Stderr)
		s.fs.PrintDefaults()
	}
	return s
}

// errHelp reports that -h was asked for; the usage is printed, exit 0.
var errHelp = errors.New("help requested")

// parse parses args and resolves the configuration: defaults < file <
// environment < flags.
func (s *settings) parse(args []string) error {
	if err := s.fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			s.usage()
			return errHelp
		}
		return usageError{err}
	}
	if s.fs.NArg() > 0 {
		return usagef("unexpected argument %q", s.fs.Arg(0))
	}
	s.cfg = config.Default()
	if s.configFile != "" {
		c, err := config.Load(s.configFile)
		if err != nil {
			return usageError{err}
		}
		s.cfg = c
	}
	s.cfg.ApplyEnv(os.Getenv)
	s.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "clickhouse":
			s.cfg.ClickHouse = s.flagged.ClickHouse
		case "clickhouse-bin":
			s.cfg.ClickHouseBin = s.flagged.ClickHouseBin
		case "clickhouse-port":
			s.cfg.ClickHousePort = s.flagged.ClickHousePort
		case "data-dir":
			s.cfg.DataDir = s.flagged.DataDir
		case "hmac-key-file":
			s.cfg.HMACKeyFile = s.flagged.HMACKeyFile
		case "log-level":
			s.cfg.LogLevel = s.flagged.LogLevel
		}
	})
	if err := s.cfg.Validate(); err != nil {
		return usageError{err}
	}
	return nil
}

// logger returns the structured logger (stderr, text) at the configured level.
func (s *settings) logger() *slog.Logger {
	return newLogger(os.Stderr, s.cfg.LogLevel)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
