package jobs

import (
	"fmt"
	"time"
	_ "time/tzdata" // Asia/Shanghai even on a machine without zoneinfo

	"github.com/robfig/cron/v3"

	"zengshou/transforms/values"
)

// TimeZone is where schedules are read: the province's local time.
const TimeZone = "Asia/Shanghai"

// Job names, as recorded in etl_run.job and in the job label of metrics.
// `zengshou run` records its runs as "period".
const (
	JobETLMonthly      = "etl-monthly"
	JobETLWatch        = "etl-watch"
	JobETLCatchUp      = "etl-catchup"
	JobReportMonthly   = "report-monthly"
	JobReportQuarterly = "report-quarterly"
)

// StatusSkipped is the etl_run status of a job that did not run its period;
// the error column says why.
const StatusSkipped = "skipped"

// Location returns the time zone of the schedules.
func Location() (*time.Location, error) {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		return nil, fmt.Errorf("loading time zone %s: %w", TimeZone, err)
	}
	return loc, nil
}

// ParseSchedule parses a standard five-field cron spec (or a descriptor
// such as @every 1m) to be read in loc.
func ParseSchedule(spec string, loc *time.Location) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("parsing schedule %q: %w", spec, err)
	}
	if spec, ok := s.(*cron.SpecSchedule); ok && spec.Location == time.Local {
		spec.Location = loc
	}
	return s, nil
}

// PreviousMonth is the period a monthly job fired at t works on: the month
// before t's month in the province's time zone.
func PreviousMonth(t time.Time, loc *time.Location) values.Month {
	local := t.In(loc)
	return values.NewMonth(local.Year(), int(local.Month())) - 1
}

// PreviousQuarter is the period a quarterly report fired at t covers: the
// last month of the quarter before t's (2025-04-10 → 2025-03).
func PreviousQuarter(t time.Time, loc *time.Location) values.Month {
	local := t.In(loc)
	firstOfQuarter := values.NewMonth(local.Year(), (int(local.Month())-1)/3*3+1)
	return firstOfQuarter - 1
}
