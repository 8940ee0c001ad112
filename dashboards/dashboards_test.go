package dashboards_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
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
// dashboard.Dashboard and finds every panel's query in it: the SQL panels'
// as ClickHouseQuery on the ClickHouse data source, the scheduler panels'
// as the SDK's prometheus.Dataquery on the Prometheus data source.
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
	promQueries := map[string][]string{}
	for _, q := range dashboards.PromQueries() {
		promQueries[q.Dashboard] = append(promQueries[q.Dashboard], q.Panel+" "+q.RefID+": "+q.Expr)
	}
	require.NotEmpty(t, promQueries["运行监控"], "运行监控 has Prometheus panels")
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

			var got, gotProm []string
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
				name := derefString(p.Panel.Title)
				require.NotEmpty(t, name)
				for _, target := range p.Panel.Targets {
					switch q := target.(type) {
					case dashboards.ClickHouseQuery:
						require.Equal(t, "sql", q.EditorType)
						require.Equal(t, dashboards.PluginID, derefString(q.Datasource.Type))
						require.Equal(t, dashboards.ClickHouseUID, derefString(q.Datasource.Uid))
						require.Equal(t, dashboards.ClickHouseUID, derefString(p.Panel.Datasource.Uid), "panel %s: its data source is its queries'", name)
						got = append(got, q.RawSql)
					case *prometheus.Dataquery:
						require.Equal(t, "prometheus", derefString(q.Datasource.Type))
						require.Equal(t, dashboards.PrometheusUID, derefString(q.Datasource.Uid))
						require.Equal(t, dashboards.PrometheusUID, derefString(p.Panel.Datasource.Uid), "panel %s: its data source is its queries'", name)
						require.NotNil(t, q.RefId)
						require.NotNil(t, q.Instant)
						require.NotNil(t, q.Range)
						require.NotEqual(t, *q.Instant, *q.Range, "panel %s: a range or an instant query", name)
						require.Equal(t, p.Panel.Type == "timeseries", *q.Range, "panel %s: time series ask for a range", name)
						require.NotEmpty(t, derefString(q.LegendFormat), "panel %s: series are named", name)
						gotProm = append(gotProm, name+" "+*q.RefId+": "+q.Expr)
					default:
						t.Fatalf("panel %s: target decodes as %T, want ClickHouseQuery or *prometheus.Dataquery", name, target)
					}
				}
			}
			require.Equal(t, queries[title], got)
			require.Equal(t, promQueries[title], gotProm)
		})
	}
}

// TestPromQLUsesOnlyGrafanaIntervalVariables keeps the PromQL to
// $__range, $__rate_interval and $__interval, and checks their expansion
// on a worked example.
func TestPromQLUsesOnlyGrafanaIntervalVariables(t *testing.T) {
	for _, q := range dashboards.PromQueries() {
		_, err := dashboards.ExpandPromQL(q.Expr, dashboards.PromValues{Range: time.Hour, Interval: time.Second, RateInterval: time.Minute})
		require.NoError(t, err, "%s / %s", q.Dashboard, q.Panel)
	}
	got, err := dashboards.ExpandPromQL(`sum(increase(x[$__range])) / rate(y[$__rate_interval]) + z[${__interval}]`,
		dashboards.PromValues{Range: 90 * 24 * time.Hour, Interval: 15 * time.Second, RateInterval: time.Minute})
	require.NoError(t, err)
	require.Equal(t, `sum(increase(x[7776000s])) / rate(y[60s]) + z[15s]`, got)
	_, err = dashboards.ExpandPromQL(`x{job="$job"}`, dashboards.PromValues{Range: time.Hour, Interval: time.Second, RateInterval: time.Minute})
	require.ErrorContains(t, err, "a $ is left")
	_, err = dashboards.ExpandPromQL(`x[$__range_s]`, dashboards.PromValues{Range: time.Hour, Interval: time.Second, RateInterval: time.Minute})
	require.ErrorContains(t, err, "not one the dashboards use")
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
