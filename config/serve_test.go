package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestServeDefaultsAreTheIssuesSchedules(t *testing.T) {
	s := DefaultServe()
	require.NoError(t, s.Validate())
	require.Equal(t, "0 2 5 * *", s.ETL.Schedule)
	require.Equal(t, "0 8 6 * *", s.MonthlyReport.Schedule)
	require.Equal(t, "0 8 10 1,4,7,10 *", s.QuarterlyReport.Schedule)
	require.Equal(t, "127.0.0.1:9464", s.Listen, "loopback by default")
	require.Len(t, s.ETL.Watch.RequiredSources(), 8, "a complete period has every source")
}

func TestServeSectionLoadsEveryKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`serve:
  listen: 127.0.0.1:9999
  log_format: json
  etl:
    enabled: true
    schedule: "30 3 5 * *"
    watch: {enabled: true, interval: 30s, quiet: 10m, required: [roster, employment]}
  monthly_report: {enabled: false, schedule: "0 9 6 * *"}
  quarterly_report: {enabled: true, schedule: "0 9 10 1,4,7,10 *"}
  catch_up: {enabled: true, limit: 6}
  retry: {attempts: 3, initial: 2s, max: 1m, jitter: 0.5}
  lock_wait: 1m
  shutdown_grace: 30s
`), 0o644))
	c, err := Load(path)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	s := c.Serve
	require.Equal(t, "json", s.LogFormat)
	require.Equal(t, "30 3 5 * *", s.ETL.Schedule)
	require.Equal(t, Watch{Enabled: true, Interval: 30 * time.Second, Quiet: 10 * time.Minute, Required: []string{"roster", "employment"}}, s.ETL.Watch)
	require.False(t, s.MonthlyReport.Enabled)
	require.Equal(t, Retry{Attempts: 3, Initial: 2 * time.Second, Max: time.Minute, Jitter: 0.5}, s.Retry)
	require.Equal(t, 6, s.CatchUp.Limit)
	require.Equal(t, 30*time.Second, s.ShutdownGrace)
}

func TestServeValidateNamesKeyAndValue(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*Serve)
		want string
	}{
		"bad cron spec":       {func(s *Serve) { s.ETL.Schedule = "0 2 5 *" }, `serve.etl.schedule: "0 2 5 *"`},
		"bad month in spec":   {func(s *Serve) { s.QuarterlyReport.Schedule = "0 8 10 13 *" }, `serve.quarterly_report.schedule: "0 8 10 13 *"`},
		"listen without port": {func(s *Serve) { s.Listen = "localhost" }, `serve.listen: "localhost"`},
		"log format":          {func(s *Serve) { s.LogFormat = "xml" }, `serve.log_format: "xml"`},
		"unknown source":      {func(s *Serve) { s.ETL.Watch.Required = []string{"tax"} }, `serve.etl.watch.required: "tax"`},
		"no attempts":         {func(s *Serve) { s.Retry.Attempts = 0 }, "serve.retry.attempts: 0"},
		"jitter":              {func(s *Serve) { s.Retry.Jitter = 2 }, "serve.retry.jitter: 2"},
		"max below initial":   {func(s *Serve) { s.Retry.Max = time.Second }, "serve.retry.max: 1s"},
		"negative limit":      {func(s *Serve) { s.CatchUp.Limit = -1 }, "serve.catch_up.limit: -1"},
		"zero watch interval": {func(s *Serve) { s.ETL.Watch.Interval = 0 }, "serve.etl.watch.interval: 0s"},
	} {
		t.Run(name, func(t *testing.T) {
			s := DefaultServe()
			tc.edit(&s)
			require.ErrorContains(t, s.Validate(), tc.want)
		})
	}
}

func TestServeSectionRejectsUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.yaml")
	require.NoError(t, os.WriteFile(path, []byte("serve:\n  etl:\n    shedule: '0 2 5 * *'\n"), 0o644))
	_, err := Load(path)
	require.ErrorContains(t, err, "shedule")
}
