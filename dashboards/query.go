package dashboards

import (
	"encoding/json"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
)

// PluginID is the Grafana plugin id of the official ClickHouse data source
// (grafana/clickhouse-datasource, v4).
const PluginID = "grafana-clickhouse-datasource"

// Data source UIDs the generated dashboards refer to; the provisioning files
// in provisioning/datasources/ create data sources with exactly these UIDs.
const (
	ClickHouseUID = "zengshou-clickhouse"
	PrometheusUID = "zengshou-prometheus"
)

// Format is the ClickHouse plugin's result format (its Format enum).
type Format int

// The plugin's formats used here.
const (
	FormatTimeSeries Format = 0
	FormatTable      Format = 1
)

// ClickHouseQuery is a query of the ClickHouse data source plugin written in
// its SQL editor. The foundation SDK has no type for this third-party plugin,
// so it is defined the way the SDK's custom-query example defines one.
type ClickHouseQuery struct {
	// RefId and Hide are expected on all queries.
	RefId      string                `json:"refId"`
	Hide       *bool                 `json:"hide,omitempty"`
	Datasource *common.DataSourceRef `json:"datasource,omitempty"`
	// EditorType is "sql": the raw SQL editor, not the query builder.
	EditorType string `json:"editorType"`
	// RawSql is the query, with the plugin's macros and template variables.
	RawSql string `json:"rawSql"`
	// Format says how the plugin shapes the result (table or time series).
	Format Format `json:"format"`
	// QueryType is "table" or "timeseries".
	QueryType string `json:"queryType"`
}

// ImplementsDataqueryVariant tells cog that ClickHouseQuery is a Dataquery.
func (q ClickHouseQuery) ImplementsDataqueryVariant() {}

// DataqueryType is the plugin id the query belongs to.
func (q ClickHouseQuery) DataqueryType() string { return PluginID }

// Validate accepts every query; the SQL is proven by the integration tests.
func (q ClickHouseQuery) Validate() error { return nil }

// Equals compares two queries field by field.
func (q ClickHouseQuery) Equals(other variants.Dataquery) bool {
	o, ok := other.(ClickHouseQuery)
	if !ok {
		if p, isPtr := other.(*ClickHouseQuery); isPtr && p != nil {
			o, ok = *p, true
		}
	}
	if !ok {
		return false
	}
	sameHide := (q.Hide == nil) == (o.Hide == nil) && (q.Hide == nil || *q.Hide == *o.Hide)
	sameDS := (q.Datasource == nil) == (o.Datasource == nil) &&
		(q.Datasource == nil || derefString(q.Datasource.Uid) == derefString(o.Datasource.Uid) &&
			derefString(q.Datasource.Type) == derefString(o.Datasource.Type))
	return q.RefId == o.RefId && sameHide && sameDS && q.EditorType == o.EditorType &&
		q.RawSql == o.RawSql && q.Format == o.Format && q.QueryType == o.QueryType
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ClickHouseQueryVariantConfig lets cog decode ClickHouse queries; register
// it with cog.NewRuntime().RegisterDataqueryVariant before unmarshalling a
// dashboard.
func ClickHouseQueryVariantConfig() variants.DataqueryConfig {
	return variants.DataqueryConfig{
		Identifier: PluginID,
		DataqueryUnmarshaler: func(raw []byte) (variants.Dataquery, error) {
			q := ClickHouseQuery{}
			if err := json.Unmarshal(raw, &q); err != nil {
				return nil, err
			}
			return q, nil
		},
	}
}

// Compile-time check that ClickHouseQueryBuilder builds a Dataquery.
var _ cog.Builder[variants.Dataquery] = (*ClickHouseQueryBuilder)(nil)

// ClickHouseQueryBuilder builds a ClickHouseQuery.
type ClickHouseQueryBuilder struct {
	internal *ClickHouseQuery
}

// NewClickHouseQueryBuilder starts a SQL-editor query on the zengshou
// ClickHouse data source, as a table.
func NewClickHouseQueryBuilder(rawSQL string) *ClickHouseQueryBuilder {
	return &ClickHouseQueryBuilder{internal: &ClickHouseQuery{
		RefId:      "A",
		Datasource: clickHouseRef(),
		EditorType: "sql",
		RawSql:     rawSQL,
		Format:     FormatTable,
		QueryType:  "table",
	}}
}

// Build returns the query.
func (b *ClickHouseQueryBuilder) Build() (variants.Dataquery, error) {
	if err := b.internal.Validate(); err != nil {
		return ClickHouseQuery{}, err
	}
	return *b.internal, nil
}

// RefId sets the query's reference id.
func (b *ClickHouseQueryBuilder) RefId(refID string) *ClickHouseQueryBuilder {
	b.internal.RefId = refID
	return b
}

// Hide hides the query's result.
func (b *ClickHouseQueryBuilder) Hide(hide bool) *ClickHouseQueryBuilder {
	b.internal.Hide = &hide
	return b
}

// TimeSeries makes the plugin return a time series (first column the time).
func (b *ClickHouseQueryBuilder) TimeSeries() *ClickHouseQueryBuilder {
	b.internal.Format = FormatTimeSeries
	b.internal.QueryType = "timeseries"
	return b
}

func clickHouseRef() *common.DataSourceRef {
	t, uid := PluginID, ClickHouseUID
	return &common.DataSourceRef{Type: &t, Uid: &uid}
}

func prometheusRef() *common.DataSourceRef {
	t, uid := "prometheus", PrometheusUID
	return &common.DataSourceRef{Type: &t, Uid: &uid}
}
