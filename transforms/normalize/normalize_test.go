package normalize_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/normalize"
)

// Valid ID numbers (check characters computed per GB 11643-1999). The
// 15-digit legacy number 360731800101123 becomes 36073119800101123X.
const (
	idA = "360731198001011002"
	idB = "360731198001011010"
	idC = "36073119800101107X"
	// idLegacy15 is the 15-digit form of idLegacy18.
	idLegacy15 = "360731800101123"
	idLegacy18 = "36073119800101123X"
	// idWrongCheck is idA with a wrong check character.
	idWrongCheck = "360731198001011003"
	// idBadBirth has a correct check character but was born on 1980-13-32.
	idBadBirth = "360731198013321235"
	// idFullWidth is idB in full-width digits.
	idFullWidth = "３６０７３１１９８００１０１１０１０"
)

// rowCase is one row of an extract and what normalisation must do with it.
type rowCase struct {
	name string
	// set overrides cells of the source's base row.
	set cells
	// err is the reader's split error (a ragged CSV row).
	err string
	// reason is the quarantine reason code; "" means the row is accepted.
	reason string
}

// sourceCase is a batch of one extract: a valid base row and variations.
type sourceCase struct {
	source string
	base   cells
	rows   []rowCase
}

var sourceCases = []sourceCase{
	{
		source: schemas.Roster,
		base: cells{
			"id_number": idA, "name": "张三丰", "household_no": "H001", "relation": "户主",
			"village_code": "360731100201", "household_type": "脱贫户", "labor_capacity": "普通劳动力",
			"is_relocated": "否", "household_size": "3", "risk_eliminated": "",
		},
		rows: []rowCase{
			{name: "valid row", reason: ""},
			{name: "15-digit legacy ID is repaired", set: cells{"id_number": idLegacy15}},
			{name: "full-width ID is repaired", set: cells{"id_number": idFullWidth}},
			{name: "lower-case x is repaired", set: cells{"id_number": strings.ToLower(idC)}},
			{name: "Excel apostrophe and spaces", set: cells{"id_number": " '" + idA + " "}},
			{name: "optional risk flag given", set: cells{"household_type": "脱贫不稳定户", "risk_eliminated": "是"}},
			{name: "a plain read error (invalid text)", err: "row is not valid UTF-8", reason: schemas.ReasonMalformed},
			{name: "empty name", set: cells{"name": "  "}, reason: schemas.ReasonMissingValue},
			{name: "empty ID", set: cells{"id_number": ""}, reason: schemas.ReasonMissingValue},
			{name: "wrong check character", set: cells{"id_number": idWrongCheck}, reason: schemas.ReasonIDInvalid},
			{name: "impossible birth date", set: cells{"id_number": idBadBirth}, reason: schemas.ReasonIDInvalid},
			{name: "Excel scientific notation lost digits", set: cells{"id_number": "3.60731198001011E+17"}, reason: schemas.ReasonIDInvalid},
			{name: "relation not in enum", set: cells{"relation": "儿子"}, reason: schemas.ReasonBadValue},
			{name: "household type not in enum", set: cells{"household_type": "一般户"}, reason: schemas.ReasonBadValue},
			{name: "relocated flag unreadable", set: cells{"is_relocated": "也许"}, reason: schemas.ReasonBadValue},
			{name: "household size not whole", set: cells{"household_size": "3.5"}, reason: schemas.ReasonBadValue},
			{name: "household size zero", set: cells{"household_size": "0"}, reason: schemas.ReasonBadValue},
			{name: "village code of unknown county", set: cells{"village_code": "369999100201"}, reason: schemas.ReasonUnknownRegion},
			{name: "village code too short", set: cells{"village_code": "360731"}, reason: schemas.ReasonUnknownRegion},
		},
	},
	{
		source: schemas.HouseholdIncome,
		base: cells{
			"household_no": "H001", "year": "2025", "business_income": "8,000.00", "business_cost": "3000",
			"property_income": "600", "transfer_other": "1200", "wage_self_reported": "25000",
		},
		rows: []rowCase{
			{name: "valid row"},
			{name: "yen sign and thousands separator", set: cells{"business_income": "￥1,234.50"}},
			{name: "zero amounts", set: cells{"property_income": "0", "transfer_other": "0.00"}},
			{name: "survey of another year", set: cells{"year": "2024"}, reason: schemas.ReasonPeriodMismatch},
			{name: "negative amount", set: cells{"business_cost": "-100"}, reason: schemas.ReasonBadValue},
			{name: "three decimals", set: cells{"property_income": "12.345"}, reason: schemas.ReasonBadValue},
			{name: "amount in words", set: cells{"property_income": "六百"}, reason: schemas.ReasonBadValue},
			{name: "missing amount", set: cells{"wage_self_reported": ""}, reason: schemas.ReasonMissingValue},
			{name: "year not a number", set: cells{"year": "二〇二五"}, reason: schemas.ReasonBadValue},
		},
	},
	{
		source: schemas.Employment,
		base: cells{
			"id_number": idA, "month": "2025-06", "status": "务工就业", "form": "企业务工",
			"area": "省外", "wage": "3500", "travel_subsidy": "", "employer": "",
		},
		rows: []rowCase{
			{name: "valid row, optional cells empty"},
			{name: "month in Chinese form", set: cells{"month": "2025年6月"}},
			{name: "month compact form", set: cells{"month": "202506"}},
			{name: "travel subsidy given", set: cells{"travel_subsidy": "300", "employer": "于都县某服装厂"}},
			{name: "month of another period", set: cells{"month": "2025-05"}, reason: schemas.ReasonPeriodMismatch},
			{name: "same month of another year", set: cells{"month": "2024年6月"}, reason: schemas.ReasonPeriodMismatch},
			{name: "status not in enum", set: cells{"status": "在职"}, reason: schemas.ReasonBadValue},
			{name: "wage not a number", set: cells{"wage": "三千"}, reason: schemas.ReasonBadValue},
			{name: "negative wage", set: cells{"wage": "-1"}, reason: schemas.ReasonBadValue},
			{name: "unparseable month", set: cells{"month": "2025-13"}, reason: schemas.ReasonBadValue},
			{name: "missing ID", set: cells{"id_number": ""}, reason: schemas.ReasonMissingValue},
		},
	},
	{
		source: schemas.Medical,
		// 1000.00 − 600.00 − 100.00 − 50.00 = 250.00 out of pocket.
		base: cells{
			"id_number": idA, "insurance_year": "2025", "insurance_status": "正常参保", "subsidy_category": "全额资助",
			"subsidy_amount": "380", "total_cost": "1000.00", "basic_reimbursement": "600.00",
			"critical_reimbursement": "100.00", "medical_assistance": "50.00", "out_of_pocket": "250.00",
		},
		rows: []rowCase{
			{name: "consistent amounts"},
			{name: "out of pocket 0.01 above", set: cells{"out_of_pocket": "250.01"}},
			{name: "out of pocket 0.01 below", set: cells{"out_of_pocket": "249.99"}},
			{name: "out of pocket 0.02 above", set: cells{"out_of_pocket": "250.02"}, reason: schemas.ReasonAmountInconsistent},
			{name: "out of pocket 0.02 below", set: cells{"out_of_pocket": "249.98"}, reason: schemas.ReasonAmountInconsistent},
			{name: "reimbursement exceeds cost", set: cells{"basic_reimbursement": "1200", "out_of_pocket": "0"}, reason: schemas.ReasonAmountInconsistent},
			{name: "subsidy category not in enum", set: cells{"subsidy_category": "部分资助"}, reason: schemas.ReasonBadValue},
			{name: "insurance year not a number", set: cells{"insurance_year": "2025年"}, reason: schemas.ReasonBadValue},
		},
	},
	{
		source: schemas.Civil,
		base:   cells{"id_number": idA, "aid_type": "城乡低保", "pay_month": "2025-06", "amount": "600", "coverage_status": "在保"},
		rows: []rowCase{
			{name: "valid payment"},
			{name: "death registration with date", set: cells{"aid_type": "死亡登记", "amount": "0", "coverage_status": "", "death_date": "2025/6/3"}},
			{name: "death registration without date", set: cells{"aid_type": "死亡登记", "amount": "0"}, reason: schemas.ReasonMissingValue},
			{name: "impossible death date", set: cells{"aid_type": "死亡登记", "amount": "0", "death_date": "2025-02-30"}, reason: schemas.ReasonBadValue},
			{name: "payment of next month", set: cells{"pay_month": "2025/07"}, reason: schemas.ReasonPeriodMismatch},
			{name: "aid type not in enum", set: cells{"aid_type": "五保"}, reason: schemas.ReasonBadValue},
		},
	},
	{
		source: schemas.Pension,
		base:   cells{"id_number": idB, "pay_month": "202506", "amount": "150"},
		rows: []rowCase{
			{name: "valid payment"},
			{name: "payment of an earlier month", set: cells{"pay_month": "202505"}, reason: schemas.ReasonPeriodMismatch},
			{name: "negative pension", set: cells{"amount": "-150"}, reason: schemas.ReasonBadValue},
		},
	},
	{
		source: schemas.Education,
		base: cells{
			"id_number": idC, "school": "于都县职业中专", "stage": "中职", "enrol_month": "2024-09",
			"status": "在读", "aid_item": "雨露计划", "aid_amount": "1500",
		},
		rows: []rowCase{
			{name: "valid aid row"},
			{name: "student without aid this month", set: cells{"aid_item": "", "aid_amount": "0"}},
			{name: "stage not in enum", set: cells{"stage": "大专"}, reason: schemas.ReasonBadValue},
			{name: "missing aid amount", set: cells{"aid_amount": ""}, reason: schemas.ReasonMissingValue},
			{name: "destination not in enum", set: cells{"status": "毕业", "grad_month": "2025-06", "destination": "参军"}, reason: schemas.ReasonBadValue},
		},
	},
	{
		source: schemas.Sales,
		base:   cells{"month": "2025-06", "county_code": "360731", "channel": "832平台", "category": "脐橙", "amount": "120,000.50"},
		rows: []rowCase{
			{name: "valid row"},
			{name: "county not in regions", set: cells{"county_code": "360199"}, reason: schemas.ReasonUnknownRegion},
			{name: "village code instead of county", set: cells{"county_code": "360731100201"}, reason: schemas.ReasonUnknownRegion},
			{name: "sales of another month", set: cells{"month": "2025-05"}, reason: schemas.ReasonPeriodMismatch},
			{name: "channel not in enum", set: cells{"channel": "淘宝"}, reason: schemas.ReasonBadValue},
			{name: "missing category", set: cells{"category": ""}, reason: schemas.ReasonMissingValue},
		},
	},
}

// TestNormalizeAcceptsOrQuarantines pins, row by row, whether a row is
// accepted or quarantined and with which reason, that the rows balance
// (accepted + quarantined = rows read) and that a quarantined row's JSON
// keeps neither the raw ID number nor the name.
func TestNormalizeAcceptsOrQuarantines(t *testing.T) {
	regions := schemas.MustLoadRegions()
	for _, sc := range sourceCases {
		t.Run(sc.source, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			src := fixture.Source(t, sc.source)
			rows := make([]rawRow, len(sc.rows))
			for i, rc := range sc.rows {
				rows[i] = rawRow{cells: sc.base.with(rc.set), err: rc.err}
			}
			raw := rawBatch(t, mem, src, rows)
			defer raw.Release()

			n := normalize.New(src, period, regions, mem)
			typed, rejected, err := n.Normalize(raw)
			require.NoError(t, err)
			defer typed.Release()

			require.True(t, typed.Schema().Equal(src.TypedSchema()), "typed schema")
			require.Equal(t, raw.NumRows(), typed.NumRows()+int64(len(rejected)), "accepted + quarantined = rows")
			byLine := map[int64]schemas.Rejected{}
			for _, r := range rejected {
				_, dup := byLine[r.Line]
				require.False(t, dup, "line %d quarantined twice", r.Line)
				byLine[r.Line] = r
			}

			for i, rc := range sc.rows {
				line := int64(i + 2)
				t.Run(rc.name, func(t *testing.T) {
					_, accepted := typedRow(typed, line)
					rej, quarantined := byLine[line]
					if rc.reason == "" {
						require.True(t, accepted, "line %d should be accepted, got %s: %s", line, rej.Reason, rej.Detail)
						require.False(t, quarantined)
						return
					}
					require.False(t, accepted, "line %d should be quarantined", line)
					require.True(t, quarantined, "line %d neither accepted nor quarantined", line)
					require.Equal(t, rc.reason, rej.Reason, "detail: %s", rej.Detail)
					require.NotEmpty(t, rej.Detail)
					requireMaskedRow(t, src, rows[i].cells, rej.Row)
				})
			}
		})
	}
}

// requireMaskedRow checks a quarantined row's JSON: an object keyed by the
// Chinese headers, carrying neither the raw nor the normalised ID number
// nor the name.
func requireMaskedRow(t *testing.T, src schemas.Source, in cells, row string) {
	t.Helper()
	var obj map[string]string
	require.NoError(t, json.Unmarshal([]byte(row), &obj), "row JSON %s", row)
	for _, c := range src.Columns {
		require.Contains(t, obj, c.Header, "row JSON keyed by Chinese header")
	}
	if id := strings.TrimSpace(in["id_number"]); len(id) >= 10 {
		require.NotContains(t, row, id, "raw ID in quarantine row")
		require.NotContains(t, row, strings.TrimPrefix(id, "'"), "raw ID in quarantine row")
	}
	for _, id := range []string{idA, idB, idC, idLegacy18} {
		require.NotContains(t, row, id, "normalised ID in quarantine row")
	}
	if name := in["name"]; strings.TrimSpace(name) != "" {
		require.NotContains(t, row, strings.TrimSpace(name), "raw name in quarantine row")
		require.NotContains(t, row, "三丰", "given name in quarantine row")
	}
}
