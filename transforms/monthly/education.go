package monthly

import (
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/transforms/values"
)

// addEducation sums aid (all items, and 雨露计划 apart), keeps the student's
// stage and status (an 在读 row wins over others), flags a new vocational
// enrolment (学段 中职 or 高职 with 入学年月 in the period's year up to it)
// and keeps the latest 毕业 record's month, stage and destination.
func addEducation(f *Facts, rows *array.Int32, c columns) {
	stage, status, item := c.str("stage"), c.str("status"), c.str("aid_item")
	enrol, amount := c.month("enrol_month"), c.i64("aid_amount")
	grad, destination := c.month("grad_month"), c.str("destination")
	yearStart := values.NewMonth(f.Period.Year(), 1)
	for i := 0; i < rows.Len(); i++ {
		if rows.IsNull(i) {
			continue
		}
		p := rows.Value(i)
		a := amount.Value(i)
		f.EducationAid[p] += a
		if !item.IsNull(i) && item.Value(i) == "雨露计划" {
			f.YuluAid[p] += a
		}
		if f.StudentStatus[p] == "" || (status.Value(i) == "在读" && f.StudentStatus[p] != "在读") {
			f.StudentStage[p] = f.keep(stage.Value(i))
			f.StudentStatus[p] = f.keep(status.Value(i))
		}
		s := stage.Value(i)
		if m := values.Month(enrol.Value(i)); (s == "中职" || s == "高职") && m >= yearStart && m <= f.Period {
			f.NewVocational[p] = true
		}
		if status.Value(i) == "毕业" && grad.IsValid(i) {
			if g := values.Month(grad.Value(i)); g >= f.GraduationMonth[p] {
				f.GraduationMonth[p], f.GraduationStage[p] = g, f.keep(s)
				f.GraduationDestination[p] = ""
				if destination.IsValid(i) {
					f.GraduationDestination[p] = f.keep(destination.Value(i))
				}
			}
		}
	}
}
