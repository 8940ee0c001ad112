package indicators

// Registry lists the indicators computed directly from the period's data, in
// the order they are written. A new indicator is one new file and one line
// here; indicators derived from others are in derived.go.
var Registry = []Definition{
	EmployedPersons,
	HelpSales,
	VocationalNewEnrollment,
	YuluGraduatePlacement,
	PerCapitaNetIncome,
	MonitoredPerCapitaNetIncome,
	ShareAbove10k,
	ZeroEmploymentHouseholds,
	RelocatedEmploymentCoverage,
	InsuredRate,
	StudentAidCoverage,
	HousingSafeRate,
	WaterSafeRate,
}

// DerivedCodes are the indicators computed from others' rows (derived.go).
var DerivedCodes = []string{"INCOME_RATIO_TO_RURAL", incomeGrowthCode}

// Codes lists every indicator code the package writes.
func Codes() []string {
	codes := make([]string, 0, len(Registry)+len(DerivedCodes))
	for _, d := range Registry {
		codes = append(codes, d.Code)
	}
	return append(codes, DerivedCodes...)
}
