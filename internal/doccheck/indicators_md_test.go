package doccheck

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/transforms/indicators"
	"zengshou/transforms/rules"
)

// indicatorsMd is the analysts' reference of indicators and rules.
const indicatorsMd = "../../docs/indicators.md"

// docEntry is one "### `CODE` 名称" section of docs/indicators.md.
type docEntry struct {
	Code, Name string
	// Fields are the "- 键：值" lines of the section, by key.
	Fields map[string]string
	// Kind is "indicator" or "rule" (from the SQL block's marker).
	Kind string
	// SQL is the section's ```sql indicator=CODE / rule=CODE block.
	SQL string
	// Blocks counts the section's marked SQL blocks.
	Blocks int
}

var (
	docHeading = regexp.MustCompile("^### `([A-Z0-9_]+)` (.+)$")
	docField   = regexp.MustCompile("^- ([^：]+)：(.*)$")
	docFence   = regexp.MustCompile("^```sql (indicator|rule)=([A-Z0-9_]+)$")
)

// parseIndicatorsMd reads every section of docs/indicators.md with its
// fields and its marked SQL block, in file order.
func parseIndicatorsMd(t *testing.T) []*docEntry {
	t.Helper()
	b, err := os.ReadFile(indicatorsMd)
	require.NoError(t, err)
	var out []*docEntry
	var cur *docEntry
	var sql *strings.Builder
	for n, line := range strings.Split(string(b), "\n") {
		switch {
		case sql != nil:
			if line == "```" {
				cur.SQL = strings.TrimSpace(sql.String())
				sql = nil
				continue
			}
			sql.WriteString(line + "\n")
		case docHeading.MatchString(line):
			m := docHeading.FindStringSubmatch(line)
			cur = &docEntry{Code: m[1], Name: m[2], Fields: map[string]string{}}
			out = append(out, cur)
		case strings.HasPrefix(line, "## "):
			cur = nil
		case cur != nil && docFence.MatchString(line):
			m := docFence.FindStringSubmatch(line)
			require.Equal(t, cur.Code, m[2], "line %d: the SQL block of %s is marked %s", n+1, cur.Code, m[2])
			cur.Kind = m[1]
			cur.Blocks++
			sql = &strings.Builder{}
		case cur != nil && docField.MatchString(line):
			m := docField.FindStringSubmatch(line)
			cur.Fields[m[1]] = m[2]
		}
	}
	require.Nil(t, sql, "an SQL block is not closed")
	return out
}

// TestIndicatorsMdAgreesWithTheCatalogs: docs/indicators.md has one section
// per indicator (in Codes order) and per rule (in Registry order), each
// headed by its code and the catalog's Chinese name, stating the catalog's
// unit, definition and target (indicators) or level, severity, definition and
// suggested measure (rules), with exactly one marked SQL block.
func TestIndicatorsMdAgreesWithTheCatalogs(t *testing.T) {
	entries := parseIndicatorsMd(t)
	var want []string
	for _, code := range indicators.Codes() {
		want = append(want, "indicator="+code)
	}
	for _, r := range rules.Registry {
		want = append(want, "rule="+r.Code)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Kind+"="+e.Code)
		require.Equal(t, 1, e.Blocks, "%s has one SQL block", e.Code)
		require.NotEmpty(t, e.SQL, e.Code)
		_, ok := e.Fields["边界情况"]
		require.True(t, ok, "%s lists its edge cases", e.Code)
	}
	require.Equal(t, want, got, "sections of docs/indicators.md")

	for _, e := range entries {
		switch e.Kind {
		case "indicator":
			info, ok := indicators.Describe(e.Code)
			require.True(t, ok, e.Code)
			require.Equal(t, info.Name, e.Name, e.Code)
			require.Equal(t, info.Unit, e.Fields["单位"], e.Code)
			require.Equal(t, info.Definition, e.Fields["定义"], e.Code)
			require.Equal(t, info.TargetRule, e.Fields["目标"], e.Code)
		case "rule":
			info, ok := rules.Describe(e.Code)
			require.True(t, ok, e.Code)
			var severity string
			for _, r := range rules.Registry {
				if r.Code == e.Code {
					severity = r.Severity
				}
			}
			require.Equal(t, info.Name, e.Name, e.Code)
			require.Equal(t, info.Level+"；严重程度："+severity, e.Fields["级别"], e.Code)
			require.Equal(t, info.Definition, e.Fields["定义"], e.Code)
			require.Equal(t, info.Measure, e.Fields["帮扶措施建议"], e.Code)
		}
	}
}

// TestCatalogsDescribeEveryCode: the catalogs name every indicator the
// package writes and every rule of the Registry, in their order, with the
// units the indicator rows carry.
func TestCatalogsDescribeEveryCode(t *testing.T) {
	var codes []string
	for _, i := range indicators.Catalog {
		codes = append(codes, i.Code)
		require.NotEmpty(t, i.Name, i.Code)
		require.NotEmpty(t, i.Definition, i.Code)
		require.NotEmpty(t, i.TargetRule, i.Code)
	}
	require.Equal(t, indicators.Codes(), codes)
	for _, d := range indicators.Registry {
		info, _ := indicators.Describe(d.Code)
		require.Equal(t, d.Unit, info.Unit, d.Code)
	}
	codes = nil
	for _, i := range rules.Catalog {
		codes = append(codes, i.Code)
		require.Contains(t, []string{rules.LevelPerson, rules.LevelHousehold}, i.Level, i.Code)
		require.NotEmpty(t, i.Name, i.Code)
		require.NotEmpty(t, i.Measure, i.Code)
	}
	var registry []string
	for _, r := range rules.Registry {
		registry = append(registry, r.Code)
	}
	require.Equal(t, registry, codes)
}
