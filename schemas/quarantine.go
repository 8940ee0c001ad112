package schemas

import "strings"

// Quarantine reason codes: stable upper-case words (warehouse.md). The ones
// named in the spec are used exactly as written there.
const (
	// ReasonMalformed: the row could not be read as text of its columns
	// (invalid encoding, a CSV parse error).
	ReasonMalformed = "MALFORMED_ROW"
	// ReasonFieldCount: the row has more or fewer fields than the header, so
	// its fields cannot be matched to columns; it is stored masked as a whole.
	ReasonFieldCount = "FIELD_COUNT"
	// ReasonMissingValue: a required value is empty.
	ReasonMissingValue = "MISSING_VALUE"
	// ReasonIDInvalid: the ID number cannot be repaired into a valid one.
	ReasonIDInvalid = "ID_INVALID"
	// ReasonBadValue: a value cannot be parsed or is not allowed.
	ReasonBadValue = "BAD_VALUE"
	// ReasonPeriodMismatch: the row's own month names another period.
	ReasonPeriodMismatch = "PERIOD_MISMATCH"
	// ReasonUnknownRegion: the county code is not in regions.csv.
	ReasonUnknownRegion = "UNKNOWN_REGION"
	// ReasonAmountInconsistent: 个人自付 differs from total − reimbursements.
	ReasonAmountInconsistent = "AMOUNT_INCONSISTENT"
	// ReasonDuplicateID: the ID already appeared earlier in the roster.
	ReasonDuplicateID = "DUPLICATE_ID"
	// ReasonDuplicateHousehold: a second household_income row for a household.
	ReasonDuplicateHousehold = "DUPLICATE_HOUSEHOLD"
	// ReasonHouseholdAmbiguous: a household_income row's 户编号 names roster
	// households of two or more counties (the survey carries no county).
	ReasonHouseholdAmbiguous = "HOUSEHOLD_AMBIGUOUS"
)

// Rejected is a row that failed validation, ready for the quarantine table
// once the pipeline adds the run, period, source and file.
type Rejected struct {
	// Line is the row's line in its file (header is line 1).
	Line int64
	// Reason is one of the Reason… codes.
	Reason string
	// Detail says what was wrong, naming the column and value (masked).
	Detail string
	// Row is the row as a JSON object keyed by Chinese header, with the ID
	// number and name masked.
	Row string
}

// RowError is a row-level read error as a source reports it in ErrorColumn:
// the reason code, the detail, and, for a row whose fields could not be
// matched to columns, the row already masked as a whole (the JSON the
// quarantine stores instead of one built from the columns, which the source
// left empty).
type RowError struct {
	Reason, Detail string
	// Row is the masked row JSON; "" lets normalisation build it from the
	// columns.
	Row string
}

// rowErrorSep separates the parts of an encoded RowError; a control
// character that no detail or JSON text contains unescaped.
const rowErrorSep = "\x1f"

// Encode returns the ErrorColumn value of e.
func (e RowError) Encode() string {
	return e.Reason + rowErrorSep + e.Detail + rowErrorSep + e.Row
}

// ParseRowError reads an ErrorColumn value: one written by Encode, or a plain
// message, which is a MALFORMED_ROW with that message as its detail.
func ParseRowError(s string) RowError {
	reason, rest, ok := strings.Cut(s, rowErrorSep)
	if !ok {
		return RowError{Reason: ReasonMalformed, Detail: s}
	}
	detail, row, _ := strings.Cut(rest, rowErrorSep)
	return RowError{Reason: reason, Detail: detail, Row: row}
}
