package schemas

// Quarantine reason codes: stable upper-case words (warehouse.md). The ones
// named in the spec are used exactly as written there.
const (
	// ReasonMalformed: the row could not be split into fields.
	ReasonMalformed = "MALFORMED_ROW"
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
