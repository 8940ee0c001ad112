package indicators

// Registry lists the indicators computed directly from the period's data, in
// the order they are written. A new indicator is one new file and one line
// here; indicators derived from others are in derived.go.
var Registry = []Definition{
	EmployedPersons,
	HelpSales,
	VocationalNewEnrollment,
	PerCapitaNetIncome,
	MonitoredPerCapitaNetIncome,
}
