package schemas

import "fmt"

// Department is everything the engine needs to know about one department's
// extract: its input contract, how its rows find their roster person or
// household, and the facts of the period its rows become, with how they
// persist across months and the warehouse columns they fill. A department is
// one file (department_<name>.go) and one line in Departments; the warehouse
// columns it adds still need a hand-written migration
// (docs/adding-a-department.md).
type Department struct {
	// Source is the input contract: columns, aliases, required, period column.
	Source
	// Join says how a row finds the roster person or household it is about.
	Join Join
	// Facts are the declarative facts of the period the rows become, each a
	// column of Table. Departments whose facts are typed code (the eight
	// original sources: transforms/monthly, model.Survey, model.SalesRow)
	// declare none.
	Facts []Fact
	// Table is the warehouse table Facts are columns of: PersonMonthTable for
	// JoinPersonID, HouseholdYearTable for the household joins.
	Table string
	// Optional departments are not yet delivered in every deployment: the
	// daemon does not wait for them before running a period unless its
	// watch.required names them (a run still records them missing).
	Optional bool
	// Irregular departments deliver as many rows as happened that month
	// (a village collective distributes when it has income to distribute:
	// labour pay in some months, dividends at year end), so a month with
	// far fewer rows than the last is expected: the row-count change guard
	// does not apply to them.
	Irregular bool
}

// Join is how a department's rows are matched to the roster.
type Join int

// The joins.
const (
	// JoinRoster is the roster itself: its rows are the population.
	JoinRoster Join = iota
	// JoinPersonID matches the normalised id_number column to a roster person.
	JoinPersonID
	// JoinHeadID matches the normalised head_id_number column to the
	// household whose 户主 row carries that ID (a household without a 户主
	// row matches nothing).
	JoinHeadID
	// JoinVillageHousehold matches village_code + household_no to the
	// household whose head row has that village and 户编号.
	JoinVillageHousehold
	// JoinHouseholdNo matches household_no alone (the survey, which carries
	// no county; a number shared by households of several counties is
	// quarantined HOUSEHOLD_AMBIGUOUS).
	JoinHouseholdNo
	// JoinCounty is not joined to the roster: rows are summed by county.
	JoinCounty
)

// FactKind is the type of a fact and of its warehouse column.
type FactKind int

// The fact kinds and their ClickHouse types.
const (
	// FactMoney is an amount in fen, Decimal(18, 2) yuan in the warehouse.
	FactMoney FactKind = iota
	// FactFlag is a yes/no, UInt8.
	FactFlag
	// FactText is text, String ('' when no row).
	FactText
	// FactMonth is a month, Nullable(Date) (the month's first day; null when
	// no row).
	FactMonth
)

// ClickHouseType is the column type of a fact of this kind.
func (k FactKind) ClickHouseType() string {
	return [...]string{"Decimal(18, 2)", "UInt8", "String", "Nullable(Date)"}[k]
}

// Rollup is how the rows of a period become the period's value of a fact.
type Rollup int

// The rollups.
const (
	// RollSum sums the From money column over the matching rows.
	RollSum Rollup = iota
	// RollLatest keeps the value of the last matching row in file order (a
	// snapshot's row in force).
	RollLatest
	// RollAny is true when some matching row exists (and, with From, has its
	// yes/no column true).
	RollAny
	// RollCount counts the matching rows (a FactMoney fact counts in fen
	// units, so use it only with FactFlag or as a plain number).
	RollCount
)

// Persist is how a fact carries over the months of the year.
type Persist int

// The persistence rules.
const (
	// PersistPeriod: the period's own value (a snapshot re-delivered every
	// month: the row in force).
	PersistPeriod Persist = iota
	// PersistYearSum: the year to date, the published value of the latest
	// earlier period of the year plus this period's (the column holds the
	// year-to-date figure).
	PersistYearSum
	// PersistEverInYear: true once true in some period of Y-01..P.
	PersistEverInYear
)

// Fact is one declared fact of a department and the warehouse column it fills.
type Fact struct {
	// Column is the column of the department's Table.
	Column string
	// Comment is the column's COMMENT (repeated in the migration and the data
	// dictionary; a test compares them).
	Comment string
	// Kind is the fact's type.
	Kind FactKind
	// Rollup says how the period's rows become its value.
	Rollup Rollup
	// From is the source column read (empty for RollAny / RollCount over the
	// rows themselves).
	From string
	// When restricts the rows to those whose WhenColumn is one of WhenValues.
	WhenColumn string
	WhenValues []string
	// Persist says how the value carries over the year.
	Persist Persist
	// Village facts are rolled up over every row of a village (matched to
	// the roster or not) and given to each household of that village.
	Village bool
}

// Departments are the registered departments in load order (the roster
// first: every other department is joined onto it). A new department is one
// file and one line here.
var Departments = []Department{
	rosterDepartment,
	householdIncomeDepartment,
	educationDepartment,
	medicalDepartment,
	civilDepartment,
	employmentDepartment,
	pensionDepartment,
	salesDepartment,
	housingDepartment,
	collectiveDepartment,
	waterDepartment,
}

// DepartmentByName returns the registered department of the named source.
func DepartmentByName(name string) (Department, error) {
	for _, d := range Departments {
		if d.Name == name {
			return d, nil
		}
	}
	return Department{}, fmt.Errorf("looking up department %q: no such department", name)
}

// AwaitedSources are the names of the departments a complete delivery has
// by default: every registered one but the Optional.
func AwaitedSources() []string {
	var out []string
	for _, d := range Departments {
		if !d.Optional {
			out = append(out, d.Name)
		}
	}
	return out
}

// factColumns are the warehouse columns the departments' facts add to table,
// in registration order.
func factColumns(table string) []TableColumn {
	var out []TableColumn
	for _, d := range Departments {
		if d.Table != table {
			continue
		}
		for _, f := range d.Facts {
			out = append(out, TableColumn{f.Column, f.Kind.ClickHouseType()})
		}
	}
	return out
}
