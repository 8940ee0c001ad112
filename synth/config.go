package synth

import (
	"fmt"
	"slices"
	"sort"

	"zengshou/schemas"
)

// MaxHouseholds bounds Config.Households: the ID sequence numbers of one
// county run out well beyond the province's real population, and a larger
// inbox is no longer a test fixture.
const MaxHouseholds = 5_000_000

// maxMonths bounds the length of the From..To range (ten years).
const maxMonths = 120

// DirtyRates are the shares of rows that carry each kind of dirt. A row
// carries at most one kind, so the rates of the kinds that apply to a source
// are exclusive and their sum must not exceed 1. A kind that does not apply
// to a source (an amount form in the roster, say) is ignored for that source.
type DirtyRates struct {
	// IDForms is the share of person rows whose ID number is written in a
	// repairable form: surrounding spaces, full-width digits, a lower-case x,
	// the 15-digit legacy number or a leading apostrophe.
	IDForms float64 `yaml:"id_forms"`
	// IDInvalid is the share of person rows whose ID number cannot be
	// repaired (Excel's lossy scientific notation, a wrong check character,
	// an impossible birth date); such rows are quarantined as ID_INVALID.
	IDInvalid float64 `yaml:"id_invalid"`
	// AmountForms is the share of rows with one amount written as 1,234.50,
	// ￥1234.5 or in full-width digits.
	AmountForms float64 `yaml:"amount_forms"`
	// MonthForms is the share of rows with one month or date written as
	// 2025/06, 202506, 2025年6月, 2025/6/30 or 20250630.
	MonthForms float64 `yaml:"month_forms"`
	// PeriodMismatch is the share of rows whose own month column names
	// another month; they are quarantined as PERIOD_MISMATCH.
	PeriodMismatch float64 `yaml:"period_mismatch"`
	// MedicalInconsistent is the share of medical rows whose 个人自付 is not
	// total minus the three reimbursements; quarantined as AMOUNT_INCONSISTENT.
	MedicalInconsistent float64 `yaml:"medical_inconsistent"`
	// DuplicatePerson is the share of roster rows whose person appears again,
	// later in the file, in another household; the later row is quarantined
	// as DUPLICATE_ID.
	DuplicatePerson float64 `yaml:"duplicate_person"`
	// UnknownRegion is the share of roster and sales rows whose county code is
	// not in regions.csv; quarantined as UNKNOWN_REGION.
	UnknownRegion float64 `yaml:"unknown_region"`
	// UnmatchedPersons is the share of department rows followed by an extra
	// row for a person (or, in household_income, a household) who is not in
	// the roster; such rows are counted as unmatched, not quarantined.
	UnmatchedPersons float64 `yaml:"unmatched_persons"`
	// Ragged is the share of rows, in every source, written with one field
	// more or fewer than the header: an unquoted comma inside a field (the
	// roster's name 李四 as 李,四) or a field left out; quarantined as
	// FIELD_COUNT.
	Ragged float64 `yaml:"ragged"`
}

// Config describes one synthetic province and the inbox written for it.
// Zero Households, From and To take their defaults (20000, 2025-01, 2025-12).
type Config struct {
	// Seed makes the output reproducible: the same Config writes the same bytes.
	Seed int64 `yaml:"seed"`
	// Households is the number of households generated; a few of them
	// (newly identified monitoring households) join the roster mid-range.
	Households int `yaml:"households"`
	// From is the first reporting period written, as YYYY-MM.
	From string `yaml:"from"`
	// To is the last reporting period written, as YYYY-MM.
	To string `yaml:"to"`
	// Dirty sets how often each kind of dirty row occurs.
	Dirty DirtyRates `yaml:"dirty"`
	// GB18030Share is the share of files encoded in GB18030.
	GB18030Share float64 `yaml:"gb18030_share"`
	// BOMShare is the share of files written as UTF-8 with a byte-order mark;
	// together with GB18030Share at most 1 (the rest is plain UTF-8).
	BOMShare float64 `yaml:"bom_share"`
	// GzipShare is the share of files written gzip-compressed as .csv.gz.
	GzipShare float64 `yaml:"gzip_share"`
	// XLSXShare is the share of files written as Excel workbooks (.xlsx,
	// with excelize's StreamWriter) instead of CSV: numbers as number
	// cells, ID numbers of 18 digits as whole numbers, the rest as text.
	XLSXShare float64 `yaml:"xlsx_share"`
	// ShuffleColumns writes the columns of every file in its own order.
	ShuffleColumns bool `yaml:"shuffle_columns"`
	// ExtraColumn adds a column the contract does not know (备注) to every file.
	ExtraColumn bool `yaml:"extra_column"`
	// MissingSources lists, per period (YYYY-MM), the sources whose extract
	// was not delivered; their files are not written. The roster is always
	// delivered.
	MissingSources map[string][]string `yaml:"missing_sources"`
	// Departments names the extra departments to write besides the eight
	// sources: any of housing (农村住房安全), water (农村饮水安全) and
	// collective (村集体经济收益分配). Empty by default: a pipeline that does
	// not know a department refuses an inbox holding its files. Enabling
	// them adds their files and truth and changes no byte of the others.
	Departments []string `yaml:"departments"`
}

// Default values of the zero fields of a Config.
const (
	DefaultHouseholds = 20000
	DefaultFrom       = "2025-01"
	DefaultTo         = "2025-12"
)

// DefaultConfig returns the province the demo starts from: 20000 households
// over 2025 with a little of every kind of dirt and every file form, the
// eight sources only (the demo adds 2024, Excel workbooks and the extra
// departments).
func DefaultConfig() Config {
	return Config{
		Seed:       20250101,
		Households: DefaultHouseholds,
		From:       DefaultFrom,
		To:         DefaultTo,
		Dirty: DirtyRates{
			IDForms:             0.02,
			IDInvalid:           0.005,
			AmountForms:         0.015,
			MonthForms:          0.015,
			PeriodMismatch:      0.005,
			MedicalInconsistent: 0.005,
			DuplicatePerson:     0.005,
			UnknownRegion:       0.005,
			UnmatchedPersons:    0.01,
			Ragged:              0.005,
		},
		GB18030Share:   0.3,
		BOMShare:       0.2,
		GzipShare:      0.2,
		ShuffleColumns: true,
		ExtraColumn:    true,
	}
}

// Clean returns DefaultConfig with every kind of dirt and every file-form
// variation off: plain UTF-8 CSV in contract column order, all sources
// delivered. It is the baseline for tests that check the model itself.
func Clean() Config {
	c := DefaultConfig()
	c.Dirty = DirtyRates{}
	c.GB18030Share, c.BOMShare, c.GzipShare = 0, 0, 0
	c.ShuffleColumns, c.ExtraColumn = false, false
	c.MissingSources = nil
	return c
}

// withDefaults fills the zero fields that have defaults.
func (c Config) withDefaults() Config {
	if c.Households == 0 {
		c.Households = DefaultHouseholds
	}
	if c.From == "" {
		c.From = DefaultFrom
	}
	if c.To == "" {
		c.To = DefaultTo
	}
	return c
}

// Validate checks the configuration without doing any I/O; the error names
// the offending field and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.Households < 1 || c.Households > MaxHouseholds {
		return fmt.Errorf("validating synth config: households = %d: must be between 1 and %d", c.Households, MaxHouseholds)
	}
	from, err := parseMonth(c.From)
	if err != nil {
		return fmt.Errorf("validating synth config: from = %q: %w", c.From, err)
	}
	to, err := parseMonth(c.To)
	if err != nil {
		return fmt.Errorf("validating synth config: to = %q: %w", c.To, err)
	}
	if to < from {
		return fmt.Errorf("validating synth config: to = %q: before from %q", c.To, c.From)
	}
	if n := int(to-from) + 1; n > maxMonths {
		return fmt.Errorf("validating synth config: from %q to %q: %d months, at most %d", c.From, c.To, n, maxMonths)
	}
	for _, r := range c.Dirty.fields() {
		if !(r.value >= 0 && r.value <= 1) {
			return fmt.Errorf("validating synth config: dirty.%s = %v: must be within [0, 1]", r.name, r.value)
		}
	}
	if sum := c.Dirty.sum(); sum > 1+1e-9 {
		return fmt.Errorf("validating synth config: dirty rates sum to %v: a row carries at most one kind of dirt, so the sum must not exceed 1", sum)
	}
	shares := []struct {
		name  string
		value float64
	}{{"gb18030_share", c.GB18030Share}, {"bom_share", c.BOMShare}, {"gzip_share", c.GzipShare}, {"xlsx_share", c.XLSXShare}}
	for _, s := range shares {
		if !(s.value >= 0 && s.value <= 1) {
			return fmt.Errorf("validating synth config: %s = %v: must be within [0, 1]", s.name, s.value)
		}
	}
	if sum := c.GB18030Share + c.BOMShare; sum > 1+1e-9 {
		return fmt.Errorf("validating synth config: gb18030_share + bom_share = %v: must not exceed 1", sum)
	}
	for i, d := range c.Departments {
		if !slices.Contains(Departments, d) {
			return fmt.Errorf("validating synth config: departments[%d] = %q: no such department; want some of %v", i, d, Departments)
		}
		if slices.Contains(c.Departments[:i], d) {
			return fmt.Errorf("validating synth config: departments[%d] = %q: named twice", i, d)
		}
	}
	periods := make([]string, 0, len(c.MissingSources))
	for p := range c.MissingSources {
		periods = append(periods, p)
	}
	sort.Strings(periods)
	for _, p := range periods {
		m, err := parseMonth(p)
		if err != nil {
			return fmt.Errorf("validating synth config: missing_sources key %q: %w", p, err)
		}
		if m < from || m > to {
			return fmt.Errorf("validating synth config: missing_sources key %q: outside %s..%s", p, c.From, c.To)
		}
		for _, s := range c.MissingSources[p] {
			if s == schemas.Roster {
				return fmt.Errorf("validating synth config: missing_sources[%s] = %q: the roster is always delivered", p, s)
			}
			if slices.Contains(Departments, s) && !slices.Contains(c.Departments, s) {
				return fmt.Errorf("validating synth config: missing_sources[%s] = %q: the department is not enabled (departments)", p, s)
			}
			if !slices.Contains(sourceNames, s) {
				return fmt.Errorf("validating synth config: missing_sources[%s] = %q: no such source", p, s)
			}
		}
	}
	return nil
}

// namedRate is one dirty rate with its yaml name, for validation messages.
type namedRate struct {
	name  string
	value float64
}

// fields lists the rates with their yaml names.
func (d DirtyRates) fields() []namedRate {
	return []namedRate{
		{"id_forms", d.IDForms},
		{"id_invalid", d.IDInvalid},
		{"amount_forms", d.AmountForms},
		{"month_forms", d.MonthForms},
		{"period_mismatch", d.PeriodMismatch},
		{"medical_inconsistent", d.MedicalInconsistent},
		{"duplicate_person", d.DuplicatePerson},
		{"unknown_region", d.UnknownRegion},
		{"unmatched_persons", d.UnmatchedPersons},
		{"ragged", d.Ragged},
	}
}

// sum is the total of all rates.
func (d DirtyRates) sum() float64 {
	s := 0.0
	for _, r := range d.fields() {
		s += r.value
	}
	return s
}

// sourceNames are the names of every extract the generator can write, in
// load order (the eight sources, then the extra departments).
var sourceNames = func() []string {
	names := make([]string, len(contracts))
	for i, s := range contracts {
		names[i] = s.Name
	}
	return names
}()
