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
	// column of Table. The roster, the survey (model.Survey: an input to the
	// computed income columns) and sales (model.SalesRow, summed into
	// sales_month) declare none.
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
	// FactDate is a day, Nullable(Date) (null when no row).
	FactDate
)

// ClickHouseType is the column type of a fact of this kind.
func (k FactKind) ClickHouseType() string {
	return [...]string{"Decimal(18, 2)", "UInt8", "String", "Nullable(Date)", "Nullable(Date)"}[k]
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
	// RollFirst keeps the value of the first matching row, unless a later
	// row has PreferColumn = PreferValue and the kept one has not (a
	// student's 在读 record wins over the others).
	RollFirst
	// RollMax keeps the value of the matching row with the greatest By value
	// (a Money or Month source column; rows without one are skipped); ties
	// go to the first such row, or to the last with TiesToLast (the
	// best-paid job's form; the latest 毕业 record).
	RollMax
)

// Window restricts a fact's rows by a source column relative to the period.
type Window int

// The windows.
const (
	// WithinAnyTime: no restriction.
	WithinAnyTime Window = iota
	// WithinPeriodYear: an Integer column equal to the period's year (the
	// 参保年度 of the period).
	WithinPeriodYear
	// WithinYearToDate: a Month column in Y-01..P (an enrolment of the year).
	WithinYearToDate
	// WithinPeriodEnd: a Date column on or before the period's last day (a
	// death registered as of the end of the period).
	WithinPeriodEnd
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
	// PersistMonthSum: the column holds the period's own amount; the year
	// to date is the sum of Y-01..P (person_month's payments).
	PersistMonthSum
	// PersistLastInYear: a flag whose year to date is the latest period of
	// Y-01..P it was true in (0 when none; so also whether it ever was: the
	// months employed).
	PersistLastInYear
	// PersistEverValueInYear: a text whose year to date is whether it was
	// EverValue in some period of Y-01..P (在读 in some month of the year).
	PersistEverValueInYear
	// PersistLatestInYear: the year to date is the value of the period of
	// Y-01..P whose LatestBy fact is greatest, ties to the latest period
	// (the latest 毕业 record's month, stage and destination).
	PersistLatestInYear
	// PersistLifetime: the value outlives the year and the column holds it
	// as of the period: the latest non-empty value of any published period
	// before P, of any year, unless the period has its own (a death
	// registration is carried into every later month).
	PersistLifetime
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
	// When restricts the rows to those whose WhenColumn is one of WhenValues
	// (a null cell is "").
	WhenColumn string
	WhenValues []string
	// Within restricts the rows further by WithinColumn relative to the
	// period.
	WithinColumn string
	Within       Window
	// By and TiesToLast are RollMax's ordering source column and tie rule.
	By         string
	TiesToLast bool
	// PreferColumn and PreferValue are the row RollFirst prefers.
	PreferColumn, PreferValue string
	// EverValue is the text PersistEverValueInYear looks for.
	EverValue string
	// LatestBy is the fact column (of the same table) PersistLatestInYear
	// orders the periods by.
	LatestBy string
	// Ever also remembers, over every published period before P of any
	// year, whether the fact was ever non-zero (money) or true (flag): 雨露计划
	// aid once received.
	Ever bool
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

// withFacts is a table's columns: own, then the warehouse columns the
// departments' facts add to table that own does not list, in registration
// order.
func withFacts(table string, own []TableColumn) []TableColumn {
	listed := map[string]bool{}
	for _, c := range own {
		listed[c.Name] = true
	}
	for _, d := range Departments {
		if d.Table != table {
			continue
		}
		for _, f := range d.Facts {
			if !listed[f.Column] {
				own = append(own, TableColumn{f.Column, f.Kind.ClickHouseType()})
			}
		}
	}
	return own
}

// YearRecalls are the declared facts of table whose year to date is read
// back from the published periods of Y-01..P-1 (PersistYearSum,
// PersistEverInYear, and person_month's PersistMonthSum,
// PersistLastInYear, PersistEverValueInYear, PersistLatestInYear), in
// registration order; village facts are read back by village instead.
// Text facts are read back as text, the others as integers.
func YearRecalls(table string) []Fact {
	var out []Fact
	for _, d := range Departments {
		if d.Table != table {
			continue
		}
		for _, f := range d.Facts {
			switch f.Persist {
			case PersistYearSum, PersistMonthSum, PersistEverInYear, PersistLastInYear, PersistEverValueInYear, PersistLatestInYear:
				if !f.Village {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// LifeRecalls are the declared facts of table read back from every
// published period before P, of any year: Ever facts and PersistLifetime
// facts, in registration order.
func LifeRecalls(table string) []Fact {
	var out []Fact
	for _, d := range Departments {
		if d.Table != table {
			continue
		}
		for _, f := range d.Facts {
			if f.Ever || f.Persist == PersistLifetime {
				out = append(out, f)
			}
		}
	}
	return out
}

// RecallsText reports whether the fact's read-back is a text (a text fact's
// latest value) rather than an integer (an amount, a 0/1, a month, a day).
func (f Fact) RecallsText() bool {
	return f.Kind == FactText && (f.Persist == PersistLatestInYear || f.Persist == PersistLifetime)
}

// RecallColumns splits facts into the columns read back as integers and as
// text.
func RecallColumns(facts []Fact) (ints, texts []string) {
	for _, f := range facts {
		if f.RecallsText() {
			texts = append(texts, f.Column)
		} else {
			ints = append(ints, f.Column)
		}
	}
	return ints, texts
}
