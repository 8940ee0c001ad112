package synth

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*Config)
		wantErr string // empty: valid
	}{
		{"default", func(*Config) {}, ""},
		{"zero values take defaults", func(c *Config) { *c = Config{} }, ""},
		{"households negative", func(c *Config) { c.Households = -5 }, "households = -5"},
		{"households too many", func(c *Config) { c.Households = MaxHouseholds + 1 }, "households = 5000001"},
		{"from malformed", func(c *Config) { c.From = "2025-13" }, `from = "2025-13"`},
		{"to malformed", func(c *Config) { c.To = "25-12" }, `to = "25-12"`},
		{"from too early", func(c *Config) { c.From = "1999-12" }, `from = "1999-12"`},
		{"to before from", func(c *Config) { c.From, c.To = "2025-06", "2025-05" }, `to = "2025-05": before from`},
		{"range too long", func(c *Config) { c.From, c.To = "2015-01", "2025-12" }, "132 months"},
		{"rate above one", func(c *Config) { c.Dirty.IDForms = 1.5 }, "dirty.id_forms = 1.5"},
		{"rate negative", func(c *Config) { c.Dirty.UnmatchedPersons = -0.1 }, "dirty.unmatched_persons = -0.1"},
		{"rates sum above one", func(c *Config) { c.Dirty.IDForms, c.Dirty.AmountForms = 0.6, 0.6 }, "sum"},
		{"share above one", func(c *Config) { c.GzipShare = 2 }, "gzip_share = 2"},
		{"encodings above one", func(c *Config) { c.GB18030Share, c.BOMShare = 0.7, 0.7 }, "gb18030_share + bom_share"},
		{"missing period malformed", func(c *Config) { c.MissingSources = map[string][]string{"2025/03": {"sales"}} }, `missing_sources key "2025/03"`},
		{"missing period outside range", func(c *Config) { c.MissingSources = map[string][]string{"2024-03": {"sales"}} }, "outside 2025-01..2025-12"},
		{"missing unknown source", func(c *Config) { c.MissingSources = map[string][]string{"2025-03": {"tax"}} }, `missing_sources[2025-03] = "tax": no such source`},
		{"missing roster", func(c *Config) { c.MissingSources = map[string][]string{"2025-03": {"roster"}} }, "the roster is always delivered"},
		{"missing sales", func(c *Config) { c.MissingSources = map[string][]string{"2025-03": {"sales", "pension"}} }, ""},
		{"departments", func(c *Config) { c.Departments = []string{"water", "housing"} }, ""},
		{"unknown department", func(c *Config) { c.Departments = []string{"tax"} }, `departments[0] = "tax": no such department`},
		{"department twice", func(c *Config) { c.Departments = []string{"water", "collective", "water"} }, `departments[2] = "water": named twice`},
		{"missing department not enabled", func(c *Config) { c.MissingSources = map[string][]string{"2025-03": {"water"}} }, `"water": the department is not enabled`},
		{"missing department", func(c *Config) {
			c.Departments = []string{"water"}
			c.MissingSources = map[string][]string{"2025-03": {"water", "sales"}}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestCleanHasNoDirt(t *testing.T) {
	c := Clean()
	require.NoError(t, c.Validate())
	require.Zero(t, c.Dirty.sum())
	require.Zero(t, c.GB18030Share+c.BOMShare+c.GzipShare)
	require.False(t, c.ShuffleColumns || c.ExtraColumn)
	d := DefaultConfig()
	for _, r := range d.Dirty.fields() {
		require.True(t, r.value >= 0.005 && r.value <= 0.02, "default %s = %v", r.name, r.value)
	}
}
