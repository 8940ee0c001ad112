package tables_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/indicators"
	"zengshou/transforms/rules"
	"zengshou/transforms/tables"
)

// TestDimensionsNameEveryCode: dim_indicator has a row per indicator code
// the package writes, dim_rule per registered rule (with its severity),
// dim_reason per quarantine reason, each with its Chinese name.
func TestDimensionsNameEveryCode(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	ind, err := tables.DimIndicator(mem)
	require.NoError(t, err)
	defer ind.Release()
	require.True(t, ind.Schema().Equal(schemas.DimIndicatorTable.ArrowSchema()))
	require.Equal(t, indicators.Codes(), strs(t, ind, "indicator_code"))
	for _, n := range strs(t, ind, "indicator_name") {
		require.NotEmpty(t, n)
	}

	rul, err := tables.DimRule(mem)
	require.NoError(t, err)
	defer rul.Release()
	var codes, severities []string
	for _, r := range rules.Registry {
		codes, severities = append(codes, r.Code), append(severities, r.Severity)
	}
	require.Equal(t, codes, strs(t, rul, "rule_code"))
	require.Equal(t, severities, strs(t, rul, "severity"))
	byCode := map[string]string{}
	for i, c := range strs(t, rul, "rule_code") {
		byCode[c] = strs(t, rul, "rule_name")[i]
	}
	require.Equal(t, "零就业家庭", byCode["ZERO_EMPLOYMENT_HOUSEHOLD"])

	rea, err := tables.DimReason(mem)
	require.NoError(t, err)
	defer rea.Release()
	require.Equal(t, int64(len(schemas.Reasons)), rea.NumRows())
	require.Contains(t, strs(t, rea, "reason_name"), "身份证号无效")
}
