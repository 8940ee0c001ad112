package schemas

// Table is a ClickHouse table the pipeline writes: its name and its columns
// in insert order, with their ClickHouse types exactly as system.columns
// shows them. The DDL lives in migrations/; a test checks that a migrated
// warehouse has exactly these columns.
type Table struct {
	// Name is the table name in the warehouse database.
	Name string
	// Columns are the columns in the order rows are built and inserted.
	Columns []TableColumn
	// Published tables are partitioned by toYYYYMM(period) and receive a
	// whole period from each run through a staging twin (stage_<name>).
	Published bool
	// Dimension tables are replaced whole by each run through a staging
	// twin (ALTER TABLE … REPLACE PARTITION tuple()).
	Dimension bool
}

// TableColumn is one column of a warehouse table.
type TableColumn struct {
	// Name is the column name.
	Name string
	// Type is the ClickHouse type as system.columns spells it.
	Type string
}

// Names returns the column names in insert order.
func (t Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// DimCountyTable is the dim_county table.
var DimCountyTable = Table{Name: "dim_county", Published: false, Dimension: true, Columns: []TableColumn{
	{"county_code", "String"},
	{"county_name", "String"},
	{"city_code", "String"},
	{"city_name", "String"},
	{"is_key_county", "UInt8"},
}}

// PersonMonthTable is the person_month table: its own columns, then the
// columns of the person-level departments' declared facts. The eight
// original departments' fact columns are listed in the order migration 0001
// gave them (a test checks each matches its declaration); a new
// department's are appended.
var PersonMonthTable = Table{Name: "person_month", Published: true, Columns: withFacts("person_month", []TableColumn{
	{"period", "Date"},
	{"year", "UInt16"},
	{"person_key", "String"},
	{"id_masked", "String"},
	{"name_masked", "String"},
	{"household_key", "String"},
	{"county_code", "String"},
	{"city_code", "String"},
	{"village_code", "String"},
	{"relation", "String"},
	{"household_size_registered", "UInt16"},
	{"household_type", "String"},
	{"is_poverty_alleviated", "UInt8"},
	{"is_monitored", "UInt8"},
	{"risk_eliminated", "Nullable(UInt8)"},
	{"labor_capacity", "String"},
	{"has_labor", "UInt8"},
	{"is_relocated", "UInt8"},
	{"is_key_county", "UInt8"},
	{"age", "UInt8"},
	{"sex", "String"},
	{"employed", "UInt8"},
	{"employment_form", "String"},
	{"employment_area", "String"},
	{"wage", "Decimal(18, 2)"},
	{"travel_subsidy", "Decimal(18, 2)"},
	{"pension", "Decimal(18, 2)"},
	{"dibao", "Decimal(18, 2)"},
	{"tekun", "Decimal(18, 2)"},
	{"temp_relief", "Decimal(18, 2)"},
	{"disability_allowance", "Decimal(18, 2)"},
	{"disability_care", "Decimal(18, 2)"},
	{"education_aid", "Decimal(18, 2)"},
	{"yulu_aid", "Decimal(18, 2)"},
	{"student_stage", "String"},
	{"student_status", "String"},
	{"graduation_month", "Nullable(Date)"},
	{"graduation_stage", "String"},
	{"graduation_destination", "String"},
	{"new_vocational_enrollment", "UInt8"},
	{"insured", "UInt8"},
	{"insurance_subsidy", "Decimal(18, 2)"},
	{"insurance_subsidy_category", "String"},
	{"medical_total", "Decimal(18, 2)"},
	{"medical_oop", "Decimal(18, 2)"},
	{"deceased", "UInt8"},
	{"death_date", "Nullable(Date)"},
	{"sources_present", "Array(String)"},
	{"run_id", "String"},
})}

// HouseholdYearTable is the household_year table: its own columns, then the
// columns of the household-level departments' declared facts.
var HouseholdYearTable = Table{Name: "household_year", Published: true, Columns: withFacts("household_year", []TableColumn{
	{"period", "Date"},
	{"year", "UInt16"},
	{"months_elapsed", "UInt8"},
	{"household_key", "String"},
	{"county_code", "String"},
	{"city_code", "String"},
	{"village_code", "String"},
	{"household_no", "String"},
	{"head_id_masked", "String"},
	{"head_name_masked", "String"},
	{"household_type", "String"},
	{"is_poverty_alleviated", "UInt8"},
	{"is_monitored", "UInt8"},
	{"risk_eliminated", "Nullable(UInt8)"},
	{"is_relocated", "UInt8"},
	{"is_key_county", "UInt8"},
	{"members", "UInt16"},
	{"household_size", "UInt16"},
	{"survey_present", "UInt8"},
	{"wage_verified", "Decimal(18, 2)"},
	{"wage_self_reported", "Decimal(18, 2)"},
	{"wage_reported_only", "Decimal(18, 2)"},
	{"wage_income", "Decimal(18, 2)"},
	{"business_income", "Decimal(18, 2)"},
	{"business_cost", "Decimal(18, 2)"},
	{"business_net", "Decimal(18, 2)"},
	{"property_income", "Decimal(18, 2)"},
	{"property_verified", "Decimal(18, 2)"},
	{"transfer_dept", "Decimal(18, 2)"},
	{"transfer_other", "Decimal(18, 2)"},
	{"transfer_income", "Decimal(18, 2)"},
	{"net_income", "Decimal(18, 2)"},
	{"per_capita_net_income", "Decimal(18, 2)"},
	{"per_capita_net_income_annualized", "Decimal(18, 2)"},
	{"has_labor_member", "UInt8"},
	{"is_safety_net", "UInt8"},
	{"below_monitoring_line", "UInt8"},
	{"below_10k_target", "UInt8"},
	{"income_decline", "Nullable(UInt8)"},
	{"prev_year_per_capita", "Nullable(Decimal(18, 2))"},
	{"medical_oop", "Decimal(18, 2)"},
	{"run_id", "String"},
})}

// DiscrepancyTable is the discrepancy table.
var DiscrepancyTable = Table{Name: "discrepancy", Published: true, Columns: []TableColumn{
	{"period", "Date"},
	{"rule_code", "String"},
	{"severity", "String"},
	{"county_code", "String"},
	{"county_name", "String"},
	{"city_code", "String"},
	{"city_name", "String"},
	{"household_key", "String"},
	{"person_key", "String"},
	{"village_code", "String"},
	{"household_no", "String"},
	{"head_id_masked", "String"},
	{"head_name_masked", "String"},
	{"id_masked", "String"},
	{"name_masked", "String"},
	{"detail", "String"},
	{"run_id", "String"},
}}

// IndicatorTable is the indicator table.
var IndicatorTable = Table{Name: "indicator", Published: true, Columns: []TableColumn{
	{"period", "Date"},
	{"year", "UInt16"},
	{"months_elapsed", "UInt8"},
	{"indicator_code", "String"},
	{"region_level", "String"},
	{"region_code", "String"},
	{"region_name", "String"},
	{"city_code", "String"},
	{"city_name", "String"},
	{"value", "Float64"},
	{"target", "Nullable(Float64)"},
	{"unit", "String"},
	{"complete", "UInt8"},
	{"stale", "UInt8"},
	{"numerator", "Float64"},
	{"denominator", "Float64"},
	{"run_id", "String"},
}}

// SalesMonthTable is the sales_month table.
var SalesMonthTable = Table{Name: "sales_month", Published: true, Columns: []TableColumn{
	{"period", "Date"},
	{"county_code", "String"},
	{"city_code", "String"},
	{"channel", "String"},
	{"category", "String"},
	{"amount", "Decimal(18, 2)"},
	{"rows", "UInt32"},
	{"run_id", "String"},
}}

// QuarantineTable is the quarantine table.
var QuarantineTable = Table{Name: "quarantine", Published: true, Columns: []TableColumn{
	{"run_id", "String"},
	{"period", "Date"},
	{"source", "String"},
	{"file", "String"},
	{"line", "UInt32"},
	{"reason_code", "String"},
	{"detail", "String"},
	{"row", "String"},
}}

// EtlRunTable is the etl_run table.
var EtlRunTable = Table{Name: "etl_run", Published: false, Columns: []TableColumn{
	{"run_id", "String"},
	{"job", "String"},
	{"period", "Date"},
	{"started_at", "DateTime"},
	{"finished_at", "Nullable(DateTime)"},
	{"status", "String"},
	{"sources", "Array(String)"},
	{"files", "Array(String)"},
	{"rows_in", "Array(UInt64)"},
	{"rows_accepted", "Array(UInt64)"},
	{"rows_quarantined", "Array(UInt64)"},
	{"rows_unmatched", "Array(UInt64)"},
	{"missing_sources", "Array(String)"},
	{"empty_sources", "Array(String)"},
	{"error", "String"},
	{"version", "UInt64"},
}}

// ReportTable is the report table.
var ReportTable = Table{Name: "report", Published: false, Columns: []TableColumn{
	{"period", "Date"},
	{"kind", "String"},
	{"files", "Array(String)"},
	{"generated_at", "DateTime"},
	{"summary", "String"},
	{"source_runs", "Array(String)"},
	{"version", "UInt64"},
}}

// StalePeriodTable is the stale_period table (migration 0005).
var StalePeriodTable = Table{Name: "stale_period", Published: false, Columns: []TableColumn{
	{"period", "Date"},
	{"stale", "UInt8"},
	{"superseded_by", "String"},
	{"superseded_period", "Date"},
	{"marked_at", "DateTime"},
	{"version", "UInt64"},
}}

// KeyFingerprintTable is the key_fingerprint table (migration 0005).
var KeyFingerprintTable = Table{Name: "key_fingerprint", Published: false, Columns: []TableColumn{
	{"fingerprint", "String"},
	{"run_id", "String"},
	{"recorded_at", "DateTime"},
}}

// DimIndicatorTable is the dim_indicator table (migration 0009): every
// indicator's Chinese name, unit, definition and target rule.
var DimIndicatorTable = Table{Name: "dim_indicator", Published: false, Dimension: true, Columns: []TableColumn{
	{"indicator_code", "String"},
	{"indicator_name", "String"},
	{"unit", "String"},
	{"definition", "String"},
	{"target_rule", "String"},
}}

// DimRuleTable is the dim_rule table (migration 0009): every comparison
// rule's Chinese name, level, severity, definition and suggested measure.
var DimRuleTable = Table{Name: "dim_rule", Published: false, Dimension: true, Columns: []TableColumn{
	{"rule_code", "String"},
	{"rule_name", "String"},
	{"level", "String"},
	{"severity", "String"},
	{"definition", "String"},
	{"suggested_measure", "String"},
}}

// DimReasonTable is the dim_reason table (migration 0009): every quarantine
// reason's Chinese name and what to do.
var DimReasonTable = Table{Name: "dim_reason", Published: false, Dimension: true, Columns: []TableColumn{
	{"reason_code", "String"},
	{"reason_name", "String"},
	{"action", "String"},
}}

// Tables lists every table the migrations create, in creation order.
var Tables = []Table{DimCountyTable, PersonMonthTable, HouseholdYearTable, DiscrepancyTable, IndicatorTable, SalesMonthTable, QuarantineTable, EtlRunTable, ReportTable,
	StalePeriodTable, KeyFingerprintTable, DimIndicatorTable, DimRuleTable, DimReasonTable}
