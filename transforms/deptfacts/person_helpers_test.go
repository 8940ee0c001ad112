package deptfacts_test

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/deptfacts"
	"zengshou/transforms/values"
)

// june2025 is the reporting period of every case unless a case says
// otherwise; its last day is 2025-06-30.
var june2025 = values.NewMonth(2025, 6)

// unmatched marks a department row whose person is not on the roster: its
// target is -1.
const unmatched = -1

// row is one validated department row as the tests write it: logical column
// name → value (string for ID/Text/Enum, int64 for Money in fen and for
// Integer, values.Month, arrow.Date32, bool for YesNo). A column left out is
// null, as an empty optional cell is after normalisation.
type row map[string]any

// with returns a copy of the row with one more column set.
func (r row) with(col string, v any) row {
	out := make(row, len(r)+1)
	for k, x := range r {
		out[k] = x
	}
	out[col] = v
	return out
}

// deptRow is a department row together with the roster row of its person
// (unmatched when the ID is not on the roster).
type deptRow struct {
	roster int32
	cols   row
}

// typedBatch builds a batch with the source's TypedSchema from rows; the
// file line (_line) is the row's position + 2, as after a header row.
func typedBatch(t testing.TB, mem memory.Allocator, src schemas.Source, rows []row) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, src.TypedSchema())
	defer b.Release()
	for i, r := range rows {
		for name := range r {
			require.GreaterOrEqual(t, src.ColumnIndex(name), 0, "source %s has no column %s", src.Name, name)
		}
		for c, col := range src.Columns {
			v, ok := r[col.Name]
			if !ok || v == nil {
				require.False(t, col.Required, "row %d of %s: required column %s left out", i, src.Name, col.Name)
				b.Field(c).AppendNull()
				continue
			}
			switch fb := b.Field(c).(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Int32Builder:
				fb.Append(int32(v.(values.Month)))
			case *array.Date32Builder:
				fb.Append(v.(arrow.Date32))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			default:
				t.Fatalf("column %s: unexpected builder %T", col.Name, fb)
			}
		}
		b.Field(len(src.Columns)).(*array.Int64Builder).Append(int64(i + 2))
	}
	return b.NewRecordBatch()
}

// Facts is the person_month facts of a roster as the golden cases read
// them: one field per declared fact (money in fen), aligned with the roster
// rows — a view of deptfacts.Facts by column, so that the cases written
// for the original typed accumulators prove the declarations roll up the
// same.
type Facts struct {
	Period values.Month

	Employed       []bool
	EmploymentForm []string
	EmploymentArea []string
	Wage           []int64
	TravelSubsidy  []int64

	Pension        []int64
	Dibao          []int64
	Tekun          []int64
	TempRelief     []int64
	Disability     []int64
	DisabilityCare []int64
	Deceased       []bool
	DeathDay       []arrow.Date32

	EducationAid          []int64
	YuluAid               []int64
	StudentStage          []string
	StudentStatus         []string
	NewVocational         []bool
	GraduationMonth       []values.Month
	GraduationStage       []string
	GraduationDestination []string

	Insured            []bool
	InsuranceSubsidy   []int64
	SubsidyCategory    []string
	MedicalTotal       []int64
	MedicalOutOfPocket []int64
}

// newFacts returns the empty person_month facts of a roster of n persons.
func newFacts(n int, period values.Month) *deptfacts.Facts {
	return deptfacts.New(schemas.Departments, schemas.PersonMonthTable.Name, n, period)
}

// view reads f's facts into a Facts.
func view(f *deptfacts.Facts, n int) *Facts {
	money := func(col string) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = f.Money(col, i)
		}
		return out
	}
	flag := func(col string) []bool {
		out := make([]bool, n)
		for i := range out {
			out[i] = f.Flag(col, i)
		}
		return out
	}
	text := func(col string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f.Text(col, i)
		}
		return out
	}
	month := func(col string) []values.Month {
		out := make([]values.Month, n)
		for i := range out {
			out[i] = f.Month(col, i)
		}
		return out
	}
	date := func(col string) []arrow.Date32 {
		out := make([]arrow.Date32, n)
		for i := range out {
			out[i] = f.Date(col, i)
		}
		return out
	}
	return &Facts{
		Period:   f.Period,
		Employed: flag(schemas.Employed), EmploymentForm: text(schemas.EmploymentForm), EmploymentArea: text(schemas.EmploymentArea),
		Wage: money(schemas.Wage), TravelSubsidy: money(schemas.TravelSubsidy),
		Pension: money(schemas.PensionPaid), Dibao: money(schemas.Dibao), Tekun: money(schemas.Tekun),
		TempRelief: money(schemas.TempRelief), Disability: money(schemas.DisabilityAllowance), DisabilityCare: money(schemas.DisabilityCare),
		Deceased: flag(schemas.Deceased), DeathDay: date(schemas.DeathDate),
		EducationAid: money(schemas.EducationAid), YuluAid: money(schemas.YuluAid),
		StudentStage: text(schemas.StudentStage), StudentStatus: text(schemas.StudentStatus), NewVocational: flag(schemas.NewVocational),
		GraduationMonth: month(schemas.GraduationMonth), GraduationStage: text(schemas.GraduationStage),
		GraduationDestination: text(schemas.GraduationDestination),
		Insured:               flag(schemas.Insured), InsuranceSubsidy: money(schemas.InsuranceSubsidy),
		SubsidyCategory: text(schemas.InsuranceSubsidyCategory), MedicalTotal: money(schemas.MedicalTotal),
		MedicalOutOfPocket: money(schemas.MedicalOOP),
	}
}

// accumulate adds rows, as one batch, to empty facts for a roster of n
// persons and returns the facts.
func accumulate(t *testing.T, mem memory.Allocator, srcName string, period values.Month, n int, rows []deptRow) *Facts {
	t.Helper()
	f := newFacts(n, period)
	addBatch(t, mem, f, n, srcName, rows)
	return view(f, n)
}

// addBatch builds the typed batch of rows and their roster targets and adds
// them to the facts of a roster of n persons.
func addBatch(t *testing.T, mem memory.Allocator, f *deptfacts.Facts, n int, srcName string, rows []deptRow) {
	t.Helper()
	d, err := schemas.DepartmentByName(srcName)
	require.NoError(t, err)
	cols := make([]row, len(rows))
	targets := make([]int32, len(rows))
	for i, r := range rows {
		cols[i] = r.cols
		targets[i] = r.roster
		require.Less(t, int(r.roster), n, "row %d: roster index outside the roster", i)
	}
	rec := typedBatch(t, mem, d.Source, cols)
	defer rec.Release()
	require.NoError(t, f.Add(d, rec, targets, nil))
}

// requireOnly checks that the facts hold zero values everywhere except in
// the named fields: a department's rows touch only that department's facts.
func requireOnly(t *testing.T, f *Facts, fields ...string) {
	t.Helper()
	own := map[string]bool{"Period": true}
	for _, name := range fields {
		own[name] = true
	}
	v := reflect.ValueOf(f).Elem()
	for i := 0; i < v.NumField(); i++ {
		field := v.Type().Field(i)
		if !field.IsExported() || own[field.Name] {
			continue
		}
		require.True(t, allZero(v.Field(i)), "Facts.%s was written: %v", field.Name, v.Field(i).Interface())
	}
	for name := range own {
		_, ok := v.Type().FieldByName(name)
		require.True(t, ok, "Facts has no field %s", name)
	}
}

func allZero(s reflect.Value) bool {
	for i := 0; i < s.Len(); i++ {
		if !s.Index(i).IsZero() {
			return false
		}
	}
	return true
}

// Valid ID numbers: the tests only need them to be well-formed text.
const (
	idA = "360731198001011002"
	idB = "360731198001011010"
	idC = "360731198001011029"
)
