// Package doccheck keeps the data dictionary true about what the pipeline
// computes today: its status columns must name exactly the indicators and
// comparison rules the registries hold.
package doccheck

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/transforms/indicators"
	"zengshou/transforms/rules"
)

var codeRow = regexp.MustCompile("^\\| `([A-Z0-9_]+)` \\|.*\\| (已计算 computed|待实现 planned) \\|$")

// computedIn returns the codes marked computed in the dictionary section
// whose heading starts with heading.
func computedIn(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/data-dictionary.md")
	require.NoError(t, err)
	var out []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, heading)
			continue
		}
		if m := codeRow.FindStringSubmatch(line); in && m != nil && m[2] == "已计算 computed" {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

func TestDictionaryMarksTheComputedIndicators(t *testing.T) {
	codes := indicators.Codes()
	sort.Strings(codes)
	require.Equal(t, codes, computedIn(t, "## 指标代码"))
}

func TestDictionaryMarksTheEvaluatedRules(t *testing.T) {
	var codes []string
	for _, r := range rules.Registry {
		codes = append(codes, r.Code)
	}
	sort.Strings(codes)
	require.Equal(t, codes, computedIn(t, "## 比对规则代码"))
}
