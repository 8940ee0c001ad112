package deptfacts_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/stretchr/testify/require"

	"zengshou/internal/poisonmem"
	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/values"
)

// student is an education row of person id: a student of stage and status
// enrolled in the month enrol, with no aid item and amount 0 until with()
// sets them.
func student(id, stage, status, enrol string) row {
	return row{"id_number": id, "school": "于都县职业中等专业学校", "stage": stage, "status": status,
		"enrol_month": fixture.Month(enrol), "aid_amount": int64(0)}
}

// aid returns the row with an aid item and its amount.
func (r row) aid(item, amount string) row {
	return r.with("aid_item", item).with("aid_amount", fixture.Yuan(amount))
}

// education is what the education extract says of one roster person.
type education struct {
	// Aid and Yulu are in fen.
	Aid, Yulu     int64
	Stage, Status string
	NewVocational bool
	// Graduated, GradStage and GradDestination are the latest 毕业 record.
	Graduated                  values.Month
	GradStage, GradDestination string
}

// TestEducationFacts: 资助金额 of every item is summed into the education
// aid, 雨露计划 also into the Yulu aid; the stage and status are those of an
// 在读 row when there is one, else of the first row.
func TestEducationFacts(t *testing.T) {
	tests := []struct {
		name string
		rows []deptRow
		want []education
	}{
		{
			name: "aid of all items summed; 雨露计划 also counted apart",
			rows: []deptRow{
				{0, student(idA, "中职", "在读", "2023-09").aid("雨露计划", "1,500")},
				{0, student(idA, "中职", "在读", "2023-09").aid("国家助学金", "1,000")},
				{0, student(idA, "中职", "在读", "2023-09").aid("免学费", "1,200")},
				{0, student(idA, "中职", "在读", "2023-09").aid("生活补助", "300")},
				{0, student(idA, "中职", "在读", "2023-09").aid("其他", "50.50")},
			},
			// 1 500 + 1 000 + 1 200 + 300 + 50.50 = 4 050.50
			want: []education{{Aid: 405050, Yulu: 150000, Stage: "中职", Status: "在读"}},
		},
		{
			name: "a student without aid this month: empty item, amount 0",
			rows: []deptRow{{0, student(idA, "初中", "在读", "2023-09")}},
			want: []education{{Stage: "初中", Status: "在读"}},
		},
		{
			name: "an 在读 row wins stage and status over a 毕业 row listed before it",
			rows: []deptRow{
				{0, student(idA, "中职", "毕业", "2022-09").with("grad_month", fixture.Month("2025-06")).with("destination", "升学")},
				{0, student(idA, "高职", "在读", "2024-09").aid("雨露计划", "1,500")},
			},
			want: []education{{Aid: 150000, Yulu: 150000, Stage: "高职", Status: "在读",
				Graduated: fixture.Month("2025-06"), GradStage: "中职", GradDestination: "升学"}},
		},
		{
			name: "an 在读 row keeps stage and status over a 毕业 row listed after it",
			rows: []deptRow{
				{0, student(idA, "高职", "在读", "2024-09")},
				{0, student(idA, "中职", "毕业", "2022-09").with("grad_month", fixture.Month("2025-06")).aid("雨露计划", "1,500")},
			},
			want: []education{{Aid: 150000, Yulu: 150000, Stage: "高职", Status: "在读",
				Graduated: fixture.Month("2025-06"), GradStage: "中职"}},
		},
		{
			name: "without an 在读 row, the first row gives stage and status",
			rows: []deptRow{
				{0, student(idA, "中职", "毕业", "2022-09").with("grad_month", fixture.Month("2025-06"))},
				{0, student(idA, "高职", "休学", "2024-09")},
			},
			want: []education{{Stage: "中职", Status: "毕业", Graduated: fixture.Month("2025-06"), GradStage: "中职"}},
		},
		{
			name: "of two 毕业 records the later graduation wins; a 毕业 row without 毕业年月 is no graduation",
			rows: []deptRow{
				{0, student(idA, "高职", "毕业", "2022-09").with("grad_month", fixture.Month("2025-06")).with("destination", "就业")},
				{0, student(idA, "中职", "毕业", "2019-09").with("grad_month", fixture.Month("2022-06")).with("destination", "升学")},
				{1, student(idB, "中职", "毕业", "2022-09")},
			},
			want: []education{
				{Stage: "高职", Status: "毕业", Graduated: fixture.Month("2025-06"), GradStage: "高职", GradDestination: "就业"},
				{Stage: "中职", Status: "毕业"},
			},
		},
		{
			name: "persons stay apart; a null roster index is ignored",
			rows: []deptRow{
				{unmatched, student(idC, "中职", "在读", "2025-03").aid("雨露计划", "1,500")},
				{1, student(idB, "小学", "在读", "2020-09").aid("生活补助", "250")},
			},
			want: []education{{}, {Aid: 25000, Stage: "小学", Status: "在读"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Education, june2025, len(tc.want), tc.rows)

			got := make([]education, len(tc.want))
			for p := range got {
				got[p] = education{
					Aid: f.EducationAid[p], Yulu: f.YuluAid[p],
					Stage: f.StudentStage[p], Status: f.StudentStatus[p], NewVocational: f.NewVocational[p],
					Graduated: f.GraduationMonth[p], GradStage: f.GraduationStage[p], GradDestination: f.GraduationDestination[p],
				}
			}
			require.Equal(t, tc.want, got)
			requireOnly(t, f, "EducationAid", "YuluAid", "StudentStage", "StudentStatus", "NewVocational",
				"GraduationMonth", "GraduationStage", "GraduationDestination")
		})
	}
}

// TestNewVocationalEnrolment: a new vocational enrolment is a 中职 or 高职
// row whose 入学年月 lies in the period's year up to the period itself
// (2025-01..2025-06 for June 2025).
func TestNewVocationalEnrolment(t *testing.T) {
	tests := []struct {
		name, stage, enrol string
		period             values.Month
		want               bool
	}{
		{"中职 enrolled this spring", "中职", "2025-03", june2025, true},
		{"高职 enrolled in the period itself", "高职", "2025-06", june2025, true},
		{"中职 enrolled in January, the year's first month", "中职", "2025-01", june2025, true},
		{"高职 enrolled next month", "高职", "2025-07", june2025, false},
		{"中职 enrolled last autumn", "中职", "2024-09", june2025, false},
		{"中职 enrolled last December", "中职", "2024-12", june2025, false},
		{"本科 is not vocational", "本科", "2025-03", june2025, false},
		{"普通高中 is not vocational", "普通高中", "2025-03", june2025, false},
		{"September enrolment counts from the September period on", "高职", "2025-09", values.NewMonth(2025, 9), true},
		{"a December period counts the whole year", "中职", "2025-02", values.NewMonth(2025, 12), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(poisonmem.New())
			defer mem.AssertSize(t, 0)
			f := accumulate(t, mem, schemas.Education, tc.period, 1, []deptRow{{0, student(idA, tc.stage, "在读", tc.enrol)}})
			require.Equal(t, []bool{tc.want}, f.NewVocational)
		})
	}
}
