// Package dashboards builds the Grafana dashboards of 增收监测 as code with
// the Grafana foundation SDK. The panels read the warehouse through the
// ClickHouse data source plugin's SQL editor; the SQL uses only the plugin's
// documented macros ($__dateFilter, $__timeFilter, $__conditionalAll) and
// the template variables period, city and county. The scheduler panels of
// 运行监控 read the metrics of `zengshou serve` through Prometheus (PromQL
// with Grafana's $__range, $__rate_interval and $__interval only).
//
// `zengshou dashboards --out dashboards/` writes one JSON file per dashboard;
// the files are committed and a test fails when they are stale.
package dashboards

//lint:file-ignore SA1019 The classic dashboard JSON model (dashboard.Dashboard) is what every Grafana's file provider loads; dashboardv2 needs Grafana 12 with the v2 API, see docs/decisions.md.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/gauge"
	"github.com/grafana/grafana-foundation-sdk/go/piechart"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/text"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// kind is a panel visualisation.
type kind string

const (
	kindStat       kind = "stat"
	kindGauge      kind = "gauge"
	kindBarGauge   kind = "bargauge"
	kindBarChart   kind = "barchart"
	kindTimeSeries kind = "timeseries"
	kindTable      kind = "table"
	kindPie        kind = "piechart"
	kindText       kind = "text"
)

// step is a threshold: from value on, the colour (nil value: the base).
type step struct {
	value *float64
	color string
}

func at(v float64, color string) step { return step{value: &v, color: color} }
func base(color string) step          { return step{color: color} }

// panel is one panel: what it shows and the query behind it, either SQL on
// the warehouse or PromQL on Prometheus. columns are the result columns a
// SQL panel uses, in order; the integration test checks that the query
// returns exactly these.
type panel struct {
	kind        kind
	title       string
	description string
	sql         string
	columns     []string
	// promql are the panel's Prometheus queries (refId A, B, …); a panel
	// has SQL or PromQL, not both.
	promql   []promTarget
	unit     string
	min, max *float64
	decimals *float64
	steps    []step
	stacked  bool
	width    uint32 // of 24 grid columns
	height   uint32
	content  string // markdown of a text panel
}

// promTarget is one PromQL query of a panel and the legend of its series.
type promTarget struct {
	expr   string
	legend string // Grafana legend format, e.g. "{{job_name}}"
}

// timeSeries reports whether the plugin must shape the result as a time
// series (the first column is the time).
func (p panel) timeSeries() bool { return p.kind == kindTimeSeries }

// board is one dashboard.
type board struct {
	uid         string
	title       string
	description string
	tags        []string
	from        string // default time range start
	variables   []variable
	rows        []row
}

// row is a titled row of panels.
type row struct {
	title  string
	panels []panel
}

// variable is a template variable filled by a ClickHouse query.
type variable struct {
	name, label string
	sql         string
	columns     []string // value, then the text shown
	multi       bool     // multi-select with an "All" option
}

func ptr(v float64) *float64 { return &v }

// boards lists the four dashboards.
func boards() []board {
	return []board{targetsBoard(), incomeBoard(), findingsBoard(), operationsBoard()}
}

// Built is a generated dashboard and the file name it is written to.
type Built struct {
	File      string
	Dashboard dashboard.Dashboard
}

// Build builds every dashboard.
func Build() ([]Built, error) {
	var out []Built
	for _, b := range boards() {
		d, err := b.build()
		if err != nil {
			return nil, fmt.Errorf("building dashboard %s: %w", b.uid, err)
		}
		out = append(out, Built{File: b.uid + ".json", Dashboard: d})
	}
	return out, nil
}

// Encode renders a dashboard as indented JSON with a final newline.
func Encode(d dashboard.Dashboard) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encoding dashboard %s: %w", derefString(d.Uid), err)
	}
	return buf.Bytes(), nil
}

// Write builds every dashboard and writes <dir>/<uid>.json, returning the
// paths written.
func Write(dir string) ([]string, error) {
	built, err := Build()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating directory %s: %w", dir, err)
	}
	var paths []string
	for _, b := range built {
		body, err := Encode(b.Dashboard)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, b.File)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// Decode parses a dashboard JSON file back into the SDK's type, ClickHouse
// and Prometheus queries included.
func Decode(body []byte) (dashboard.Dashboard, error) {
	cog.NewRuntime().RegisterDataqueryVariant(ClickHouseQueryVariantConfig())
	cog.NewRuntime().RegisterDataqueryVariant(prometheus.VariantConfig())
	var d dashboard.Dashboard
	if err := json.Unmarshal(body, &d); err != nil {
		return dashboard.Dashboard{}, fmt.Errorf("decoding dashboard: %w", err)
	}
	return d, nil
}

func (b board) build() (dashboard.Dashboard, error) {
	db := dashboard.NewDashboardBuilder(b.title).
		Uid(b.uid).
		Description(b.description).
		Tags(append([]string{"zengshou"}, b.tags...)).
		Timezone("browser").
		Editable().
		Time(b.from, "now").
		Refresh("").
		Tooltip(dashboard.DashboardCursorSyncCrosshair)
	for _, v := range b.variables {
		db.WithVariable(v.build())
	}
	id := uint32(0)
	for _, r := range b.rows {
		id++
		db.WithRow(dashboard.NewRowBuilder(r.title).Id(id))
		for _, p := range r.panels {
			id++
			db.WithPanel(p.build(id))
		}
	}
	return db.Build()
}

func (v variable) build() *dashboard.QueryVariableBuilder {
	q := v.sql
	vb := dashboard.NewQueryVariableBuilder(v.name).
		Label(v.label).
		Datasource(*clickHouseRef()).
		Query(dashboard.StringOrMap{String: &q}).
		Definition(v.sql).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortDisabled)
	if v.multi {
		vb.Multi(true).IncludeAll(true)
		all := "$__all"
		allText := "全部"
		vb.Current(dashboard.VariableOption{
			Text:  dashboard.StringOrArrayOfString{String: &allText},
			Value: dashboard.StringOrArrayOfString{ArrayOfString: []string{all}},
		})
	}
	return vb
}

func (p panel) thresholds() *dashboard.ThresholdsConfigBuilder {
	steps := make([]dashboard.Threshold, len(p.steps))
	for i, s := range p.steps {
		steps[i] = dashboard.Threshold{Value: s.value, Color: s.color}
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(steps)
}

// targets are the panel's queries: its SQL, or its PromQL expressions. A
// time-series panel asks Prometheus for a range, every other kind for the
// instant at the end of the dashboard's range.
func (p panel) targets() []cog.Builder[variants.Dataquery] {
	if len(p.promql) == 0 {
		q := NewClickHouseQueryBuilder(p.sql)
		if p.timeSeries() {
			q.TimeSeries()
		}
		return []cog.Builder[variants.Dataquery]{q}
	}
	var out []cog.Builder[variants.Dataquery]
	for i, t := range p.promql {
		q := prometheus.NewDataqueryBuilder().
			RefId(string(rune('A' + i))).
			Datasource(*prometheusRef()).
			EditorMode(prometheus.QueryEditorModeCode).
			Expr(t.expr).
			LegendFormat(t.legend).
			Format(prometheus.PromQueryFormatTimeSeries)
		if p.timeSeries() {
			q.Range()
		} else {
			q.Instant()
		}
		out = append(out, q)
	}
	return out
}

// datasource is the data source the panel's queries go to.
func (p panel) datasource() common.DataSourceRef {
	if len(p.promql) > 0 {
		return *prometheusRef()
	}
	return *clickHouseRef()
}

// build turns a panel into the SDK builder of its visualisation.
func (p panel) build(id uint32) cog.Builder[dashboard.Panel] {
	w, h := p.width, p.height
	if w == 0 {
		w = 12
	}
	if h == 0 {
		h = 8
	}
	ds := p.datasource()
	switch p.kind {
	case kindStat:
		b := stat.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit).
			ColorMode(common.BigValueColorModeBackground).GraphMode(common.BigValueGraphModeNone).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false))
		if len(p.steps) > 0 {
			b.Thresholds(p.thresholds())
		}
		applyRange(p, b.Min, b.Max, b.Decimals)
		return b
	case kindGauge:
		b := gauge.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit).ShowThresholdMarkers(true).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false))
		if len(p.steps) > 0 {
			b.Thresholds(p.thresholds())
		}
		applyRange(p, b.Min, b.Max, b.Decimals)
		return b
	case kindBarGauge:
		b := bargauge.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit).
			Orientation(common.VizOrientationHorizontal).
			// A SQL result is one row per bar; a Prometheus result is one
			// series per bar, reduced to its last value.
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(len(p.promql) == 0))
		if len(p.steps) > 0 {
			b.Thresholds(p.thresholds())
		}
		applyRange(p, b.Min, b.Max, b.Decimals)
		return b
	case kindBarChart:
		b := barchart.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit).XField(p.columns[0]).
			Orientation(common.VizOrientationAuto)
		if p.stacked {
			b.Stacking(common.StackingModeNormal)
		}
		if len(p.steps) > 0 {
			b.Thresholds(p.thresholds())
		}
		applyRange(p, b.Min, b.Max, b.Decimals)
		return b
	case kindTimeSeries:
		b := timeseries.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit)
		if p.stacked {
			b.Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal)).FillOpacity(40)
		}
		if len(p.steps) > 0 {
			b.Thresholds(p.thresholds())
		}
		applyRange(p, b.Min, b.Max, b.Decimals)
		return b
	case kindTable:
		b := table.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h)
		if p.unit != "" {
			b.Unit(p.unit)
		}
		return b
	case kindPie:
		return piechart.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).Datasource(ds).
			Targets(p.targets()).Span(w).Height(h).Unit(p.unit).
			PieType(piechart.PieChartTypeDonut).
			ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(true))
	case kindText:
		return text.NewPanelBuilder().Id(id).Title(p.title).Description(p.description).
			Span(w).Height(h).Mode(text.TextModeMarkdown).Content(p.content)
	}
	panic("dashboards: unknown panel kind " + string(p.kind))
}

// applyRange applies the panel's optional min, max and decimals through
// the builder's setters.
func applyRange[T any](p panel, setMin, setMax, setDecimals func(float64) T) {
	if p.min != nil {
		setMin(*p.min)
	}
	if p.max != nil {
		setMax(*p.max)
	}
	if p.decimals != nil {
		setDecimals(*p.decimals)
	}
}

// PanelQuery is the SQL behind one panel or template variable.
type PanelQuery struct {
	// Dashboard and Panel are the titles ("变量 <name>" for a variable).
	Dashboard, Panel string
	// SQL is the query with macros and template variables.
	SQL string
	// Columns are the result columns the panel uses (for a variable: the
	// value, then the text shown if it differs).
	Columns []string
}

// Queries lists the SQL of every panel and template variable.
func Queries() []PanelQuery {
	var out []PanelQuery
	for _, b := range boards() {
		for _, v := range b.variables {
			out = append(out, PanelQuery{Dashboard: b.title, Panel: "变量 " + v.name, SQL: v.sql, Columns: v.columns})
		}
		for _, r := range b.rows {
			for _, p := range r.panels {
				if p.sql != "" {
					out = append(out, PanelQuery{Dashboard: b.title, Panel: p.title, SQL: p.sql, Columns: p.columns})
				}
			}
		}
	}
	return out
}

// PromQuery is one PromQL query of a Prometheus panel.
type PromQuery struct {
	// Dashboard and Panel are the titles; RefID tells the panel's queries
	// apart.
	Dashboard, Panel, RefID string
	// Expr is the expression, with Grafana's interval variables.
	Expr string
	// Range is true for a range query (a time-series panel), false for an
	// instant query.
	Range bool
}

// PromQueries lists the PromQL of every Prometheus panel.
func PromQueries() []PromQuery {
	var out []PromQuery
	for _, b := range boards() {
		for _, r := range b.rows {
			for _, p := range r.panels {
				for i, t := range p.promql {
					out = append(out, PromQuery{Dashboard: b.title, Panel: p.title, RefID: string(rune('A' + i)), Expr: t.expr, Range: p.timeSeries()})
				}
			}
		}
	}
	return out
}
