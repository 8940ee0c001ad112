package dashboards_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/dashboards"
	"zengshou/schemas"
)

// TestCommittedDashboardsAreCurrent regenerates the dashboards and requires
// the committed JSON in this folder to be byte for byte the same: edit the
// Go, run `zengshou dashboards --out dashboards/`, commit both.
func TestCommittedDashboardsAreCurrent(t *testing.T) {
	built, err := dashboards.Build()
	require.NoError(t, err)
	var want []string
	for _, b := range built {
		want = append(want, b.File)
		body, err := dashboards.Encode(b.Dashboard)
		require.NoError(t, err)
		committed, err := os.ReadFile(b.File)
		require.NoError(t, err, "run: go run ./cmd/zengshou dashboards --out dashboards/")
		require.Equal(t, string(body), string(committed), "%s is stale: run go run ./cmd/zengshou dashboards --out dashboards/", b.File)
	}
	have, err := filepath.Glob("*.json")
	require.NoError(t, err)
	sort.Strings(want)
	require.Equal(t, want, have, "no dashboard JSON here that the code does not generate")
}

// TestDashboardsDecodeIntoTheSDKType reads each committed file back into
// dashboard.Dashboard and finds every panel's ClickHouse query in it.
func TestDashboardsDecodeIntoTheSDKType(t *testing.T) {
	titles := map[string]string{
		"zengshou-targets.json":    "目标追踪",
		"zengshou-income.json":     "收入结构",
		"zengshou-findings.json":   "数据比对与预警",
		"zengshou-operations.json": "运行监控",
	}
	queries := map[string][]string{}
	for _, q := range dashboards.Queries() {
		if !strings.HasPrefix(q.Panel, "变量 ") {
			queries[q.Dashboard] = append(queries[q.Dashboard], q.SQL)
		}
	}
	for file, title := range titles {
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile(file)
			require.NoError(t, err)
			d, err := dashboards.Decode(body)
			require.NoError(t, err)
			require.Equal(t, title, derefString(d.Title))
			require.NotEmpty(t, derefString(d.Description))
			var names []string
			for _, v := range d.Templating.List {
				names = append(names, v.Name)
			}
			require.Subset(t, dashboards.Variables, names)
			require.Contains(t, names, "period")

			var got []string
			ids := map[uint32]bool{}
			for _, p := range d.Panels {
				if p.RowPanel != nil {
					require.False(t, ids[p.RowPanel.Id], "panel ids are unique")
					ids[p.RowPanel.Id] = true
					continue
				}
				require.NotNil(t, p.Panel)
				require.NotNil(t, p.Panel.Id)
				require.False(t, ids[*p.Panel.Id], "panel ids are unique")
				ids[*p.Panel.Id] = true
				require.NotEmpty(t, derefString(p.Panel.Title))
				for _, target := range p.Panel.Targets {
					q, ok := target.(dashboards.ClickHouseQuery)
					require.True(t, ok, "panel %s: target decodes as ClickHouseQuery, got %T", derefString(p.Panel.Title), target)
					require.Equal(t, "sql", q.EditorType)
					require.Equal(t, dashboards.PluginID, derefString(q.Datasource.Type))
					require.Equal(t, dashboards.ClickHouseUID, derefString(q.Datasource.Uid))
					got = append(got, q.RawSql)
				}
			}
			require.Equal(t, queries[title], got)
		})
	}
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// sqlWords are the keywords and functions the dashboards' SQL may use;
// every other identifier must be a table or a column of the schema.
var sqlWords = strings.Fields(`SELECT FROM WHERE AND OR NOT IN AS GROUP BY ORDER DESC ASC LIMIT ANY LEFT JOIN USING
FINAL ARRAY_JOIN IS NULL
count countIf sum max maxIf any anyIf argMax multiIf if toDate toDateTime toString toFloat64 toInt64 toMonth
now round arraySum arrayStringConcat`)

var (
	stringLiteral = regexp.MustCompile(`'(?:[^'\\]|\\.)*'`)
	quotedIdent   = regexp.MustCompile("`[^`]*`")
	templateRef   = regexp.MustCompile(`\$\{[^}]*\}|\$[A-Za-z_]+`)
	identifier    = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	aliasDef      = regexp.MustCompile(`(?i)\bAS\s+([A-Za-z_][A-Za-z0-9_]*)`)
	tableRef      = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+([A-Za-z_(][A-Za-z0-9_]*)`)
)

// TestQueriesNameOnlySchemaTablesAndColumns checks every table a query
// reads against schemas.Tables and every other identifier against the
// columns of those tables (aliases it defines aside).
func TestQueriesNameOnlySchemaTablesAndColumns(t *testing.T) {
	tables := map[string]schemas.Table{}
	for _, tb := range schemas.Tables {
		tables[tb.Name] = tb
	}
	for _, q := range dashboards.Queries() {
		t.Run(q.Dashboard+"/"+q.Panel, func(t *testing.T) {
			sql := stringLiteral.ReplaceAllString(q.SQL, "''")
			sql = quotedIdent.ReplaceAllString(sql, "``")
			sql = templateRef.ReplaceAllString(sql, " ")
			sql = strings.ReplaceAll(sql, "ARRAY JOIN", "ARRAY_JOIN") // not a table join

			columns := map[string]bool{}
			for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
				if m[1] == "(" || strings.HasPrefix(m[1], "(") {
					continue
				}
				tb, ok := tables[m[1]]
				require.True(t, ok, "table %s is not in schemas.Tables", m[1])
				for _, c := range tb.Columns {
					columns[c.Name] = true
				}
			}
			require.NotEmpty(t, columns, "the query reads a schema table")
			known := map[string]bool{}
			for _, w := range sqlWords {
				known[strings.ToLower(w)] = true
			}
			for _, m := range aliasDef.FindAllStringSubmatch(sql, -1) {
				known[strings.ToLower(m[1])] = true
			}
			for _, id := range identifier.FindAllString(sql, -1) {
				if known[strings.ToLower(id)] || tables[id].Name != "" {
					continue
				}
				require.True(t, columns[id], "%q is neither a column of the tables the query reads nor a known word:\n%s", id, q.SQL)
			}
		})
	}
}

// TestOnlyDocumentedMacrosAndDefinedVariables keeps the SQL to the
// plugin's documented macros and the dashboards' template variables.
func TestOnlyDocumentedMacrosAndDefinedVariables(t *testing.T) {
	for _, q := range dashboards.Queries() {
		for _, ref := range templateRef.FindAllString(q.SQL, -1) {
			if strings.HasPrefix(ref, "$__") {
				require.Contains(t, dashboards.Macros, ref, "%s / %s", q.Dashboard, q.Panel)
				continue
			}
			name := strings.Trim(ref, "${}")
			name, _, _ = strings.Cut(name, ":")
			require.True(t, slices.Contains(dashboards.Variables, name), "%s / %s: variable %s", q.Dashboard, q.Panel, ref)
		}
	}
}
