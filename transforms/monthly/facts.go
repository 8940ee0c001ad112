// Package monthly accumulates the department records of one period onto the
// roster: per person, what each department paid or recorded this month
// (the department facts of person_month). No I/O.
package monthly

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
	"zengshou/transforms/values"
)

// Facts are the department facts of the roster's persons for one period,
// aligned with the roster rows. Money is in fen. Its strings are copies that
// outlive the department batches they were read from.
type Facts struct {
	Period values.Month
	// strs holds one copy of each text value kept (forms, areas, stages…).
	strs map[string]string

	Employed       []bool
	EmploymentForm []string
	EmploymentArea []string
	bestWage       []int64
	Wage           []int64
	TravelSubsidy  []int64

	Pension        []int64
	Dibao          []int64
	Tekun          []int64
	TempRelief     []int64
	Disability     []int64
	DisabilityCare []int64
	Deceased       []bool
	// DeathDay is the registered death date (Date32 days), 0 when none.
	DeathDay []arrow.Date32

	EducationAid  []int64
	YuluAid       []int64
	StudentStage  []string
	StudentStatus []string
	NewVocational []bool
	// GraduationMonth is the 毕业年月 of the person's latest 毕业 record this
	// month (0 when none), with its stage and destination.
	GraduationMonth       []values.Month
	GraduationStage       []string
	GraduationDestination []string

	Insured            []bool
	InsuranceSubsidy   []int64
	SubsidyCategory    []string
	MedicalTotal       []int64
	MedicalOutOfPocket []int64
}

// New returns empty facts for a roster of n persons.
func New(n int, period values.Month) *Facts {
	return &Facts{
		Period: period, strs: map[string]string{},
		Employed: make([]bool, n), EmploymentForm: make([]string, n), EmploymentArea: make([]string, n),
		bestWage: make([]int64, n), Wage: make([]int64, n), TravelSubsidy: make([]int64, n),
		Pension: make([]int64, n), Dibao: make([]int64, n), Tekun: make([]int64, n), TempRelief: make([]int64, n),
		Disability: make([]int64, n), DisabilityCare: make([]int64, n), Deceased: make([]bool, n), DeathDay: make([]arrow.Date32, n),
		EducationAid: make([]int64, n), YuluAid: make([]int64, n), StudentStage: make([]string, n), StudentStatus: make([]string, n),
		NewVocational:   make([]bool, n),
		GraduationMonth: make([]values.Month, n), GraduationStage: make([]string, n), GraduationDestination: make([]string, n),
		Insured: make([]bool, n), InsuranceSubsidy: make([]int64, n), SubsidyCategory: make([]string, n),
		MedicalTotal: make([]int64, n), MedicalOutOfPocket: make([]int64, n),
	}
}

// keep returns a copy of s that does not point into an Arrow buffer (the
// batch is released after Add); the values are few, so each is copied once.
func (f *Facts) keep(s string) string {
	if c, ok := f.strs[s]; ok {
		return c
	}
	if f.strs == nil {
		f.strs = map[string]string{}
	}
	c := strings.Clone(s)
	f.strs[c] = c
	return c
}

// accumulator adds the rows of one typed batch of a source; rows holds each
// row's roster index (null when the person is not on the roster).
type accumulator func(f *Facts, rows *array.Int32, cols columns)

// accumulators registers, per person-level source, how its rows become facts.
// A new department is one new file and one line here.
var accumulators = map[string]accumulator{
	schemas.Employment: addEmployment,
	schemas.Civil:      addCivil,
	schemas.Pension:    addPension,
	schemas.Education:  addEducation,
	schemas.Medical:    addMedical,
}

// Add accumulates one typed batch of a person-level source.
func (f *Facts) Add(src schemas.Source, rows *array.Int32, rec arrow.RecordBatch) error {
	acc, ok := accumulators[src.Name]
	if !ok {
		return fmt.Errorf("accumulating %s: not a person-level department source", src.Name)
	}
	acc(f, rows, columns{src: src, rec: rec})
	return nil
}

// columns gives typed access to a batch's columns by logical name.
type columns struct {
	src schemas.Source
	rec arrow.RecordBatch
}

func (c columns) str(name string) *array.String {
	return c.rec.Column(c.src.ColumnIndex(name)).(*array.String)
}

func (c columns) i64(name string) *array.Int64 {
	return c.rec.Column(c.src.ColumnIndex(name)).(*array.Int64)
}

func (c columns) month(name string) *array.Int32 {
	return c.rec.Column(c.src.ColumnIndex(name)).(*array.Int32)
}

func (c columns) date(name string) *array.Date32 {
	return c.rec.Column(c.src.ColumnIndex(name)).(*array.Date32)
}

// money reads an optional amount column as 0 where null.
func money(a *array.Int64, i int) int64 {
	if a.IsNull(i) {
		return 0
	}
	return a.Value(i)
}
