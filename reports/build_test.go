package reports_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/reports"
	"zengshou/transforms/rules"
	"zengshou/transforms/values"
)

func TestEveryRuleHasAChineseNameAndAMeasure(t *testing.T) {
	codes := []string{reports.ReasonBelow10K, reports.ReasonBelowLine}
	for _, r := range rules.Registry {
		codes = append(codes, r.Code)
	}
	for _, code := range codes {
		require.NotEqual(t, code, reports.RuleName(code), "%s has a Chinese name", code)
		require.NotEmpty(t, reports.Measure(code), "%s has a suggested measure", code)
	}
}

func TestQuarterEndAndFileNames(t *testing.T) {
	for _, c := range []struct {
		month, end values.Month
		base       string
	}{
		{values.NewMonth(2025, 1), values.NewMonth(2025, 3), "quarterly-2025-Q1"},
		{values.NewMonth(2025, 3), values.NewMonth(2025, 3), "quarterly-2025-Q1"},
		{values.NewMonth(2025, 4), values.NewMonth(2025, 6), "quarterly-2025-Q2"},
		{values.NewMonth(2025, 11), values.NewMonth(2025, 12), "quarterly-2025-Q4"},
		{values.NewMonth(2025, 12), values.NewMonth(2025, 12), "quarterly-2025-Q4"},
	} {
		require.Equal(t, c.end, reports.QuarterEnd(c.month), c.month.String())
		require.Equal(t, c.base, reports.BaseName(reports.Quarterly, reports.QuarterEnd(c.month)))
	}
	require.Equal(t, "monthly-2025-07", reports.BaseName(reports.Monthly, values.NewMonth(2025, 7)))
}

func TestOptionsValidateNamesTheFieldAndValue(t *testing.T) {
	ok := reports.DefaultOptions()
	ok.Period = values.NewMonth(2025, 6)
	require.NoError(t, ok.Validate())
	for _, c := range []struct {
		change func(*reports.Options)
		want   string
	}{
		{func(o *reports.Options) { o.Kind = "weekly" }, `report kind "weekly"`},
		{func(o *reports.Options) { o.OutDir = "" }, "report out_dir is empty"},
		{func(o *reports.Options) { o.PDF = "maybe" }, `report pdf "maybe"`},
		{func(o *reports.Options) { o.Period = 0 }, "report period 0000-01"},
	} {
		o := ok
		c.change(&o)
		require.ErrorContains(t, o.Validate(), c.want)
	}
}
