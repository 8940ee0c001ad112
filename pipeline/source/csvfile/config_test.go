package csvfile

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	valid := func(edit func(*Config)) Config {
		c := DefaultConfig()
		c.Path = "/inbox/2025-06/employment.csv"
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // empty for a valid config
	}{
		{name: "defaults with a path", cfg: valid(func(*Config) {})},
		{name: "utf-8", cfg: valid(func(c *Config) { c.Encoding = "utf-8" })},
		{name: "gb18030", cfg: valid(func(c *Config) { c.Encoding = "gb18030" })},
		{name: "gbk in capitals", cfg: valid(func(c *Config) { c.Encoding = "GBK" })},
		{name: "no path", cfg: DefaultConfig(), wantErr: "path is empty"},
		{name: "unknown encoding", cfg: valid(func(c *Config) { c.Encoding = "big5" }), wantErr: `encoding "big5" is not one of`},
		{name: "zero batch rows", cfg: valid(func(c *Config) { c.BatchRows = 0 }), wantErr: "batch_rows 0 is not positive"},
		{name: "negative batch rows", cfg: valid(func(c *Config) { c.BatchRows = -5 }), wantErr: "batch_rows -5 is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	require.Equal(t, Config{BatchRows: 8192}, DefaultConfig())
}
