package xlsxfile

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig()
	ok.Path = "2025-06/employment.xlsx"
	require.NoError(t, ok.Validate())

	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{name: "no path", edit: func(c *Config) { c.Path = "" }, want: "validating xlsxfile config: path is empty"},
		{name: "zero batch", edit: func(c *Config) { c.BatchRows = 0 }, want: "validating xlsxfile config: batch_rows 0 is not positive"},
		{name: "zero unzip limit", edit: func(c *Config) { c.UnzipXMLSizeLimit = 0 }, want: "unzip_xml_size_limit 0 is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			require.ErrorContains(t, c.Validate(), tt.want)
		})
	}
}
