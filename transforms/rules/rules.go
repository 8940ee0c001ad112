// Package rules evaluates the cross-department comparison rules (数据比对,
// domain.md) of a period. Each rule is one file and one registry line; a
// finding names the household (and person for person-level rules), the
// county, and says in Chinese what triggered it. No I/O.
package rules

import (
	"zengshou/transforms/income"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
)

// Severities of findings.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Finding is one rule firing for one person or household in the period.
type Finding struct {
	Rule, Severity, County, HouseholdKey, PersonKey, Detail string
}

// Input is what rules read.
type Input struct {
	P          *model.Period
	Incomes    []income.Household
	Duplicates []join.DuplicatePerson
	// HouseholdKey pseudonymises a household that may not be on the roster
	// (the second household of a duplicate person).
	HouseholdKey func(county, no string) string
	// PersonKey pseudonymises an ID number.
	PersonKey func(id string) string
}

// Rule is one comparison rule.
type Rule struct {
	Code     string
	Severity string
	Eval     func(in *Input, emit func(Finding))
}

// Registry lists the rules evaluated every period.
var Registry = []Rule{
	DuplicatePerson,
	DeceasedInRoster,
	PaidAfterDeath,
	NotMonitoredBelowLine,
	RiskEliminatedBelowLine,
	LowIncomeNoSafetyNet,
	SafetyNetHighIncome,
	NotInsured,
	InsuranceSubsidyMissing,
	StudentNoAid,
	ZeroEmploymentHousehold,
	RelocatedNoEmployment,
	WageUnverified,
	IncomeSpikeUnbacked,
	HighMedicalBurden,
	HouseholdSizeMismatch,
	HousingUnsafeNotPlanned,
	HousingRenovationStalled,
	WaterUnsafe,
	SeasonalWaterShortage,
	CollectiveShareMissing,
}

// Evaluate runs every rule of the registry.
func Evaluate(in *Input) []Finding {
	var out []Finding
	for _, r := range Registry {
		r.Eval(in, func(f Finding) {
			f.Rule, f.Severity = r.Code, r.Severity
			out = append(out, f)
		})
	}
	return out
}
