package model

import (
	"github.com/apache/arrow-go/v18/arrow/array"

	"zengshou/schemas"
)

var rosterSource, _ = schemas.SourceByName(schemas.Roster)

// RosterString returns a text column of a roster row ("" when null). It is a
// view into the roster's buffers, valid while p.Roster is: copy it
// (strings.Clone) to keep it longer.
func (p *Period) RosterString(col string, row int32) string {
	a := p.Roster.Rec.Column(rosterSource.ColumnIndex(col)).(*array.String)
	if a.IsNull(int(row)) {
		return ""
	}
	return a.Value(int(row))
}

// RosterBool returns a yes/no column of a roster row (false when null).
func (p *Period) RosterBool(col string, row int32) bool {
	a := p.Roster.Rec.Column(rosterSource.ColumnIndex(col)).(*array.Boolean)
	return a.IsValid(int(row)) && a.Value(int(row))
}

// RosterYesNo returns a yes/no column of a roster row; ok is false when the
// value was not filled in.
func (p *Period) RosterYesNo(col string, row int32) (v, ok bool) {
	a := p.Roster.Rec.Column(rosterSource.ColumnIndex(col)).(*array.Boolean)
	if !a.IsValid(int(row)) {
		return false, false
	}
	return a.Value(int(row)), true
}

// RosterInt returns an integer column of a roster row.
func (p *Period) RosterInt(col string, row int32) int64 {
	return p.Roster.Rec.Column(rosterSource.ColumnIndex(col)).(*array.Int64).Value(int(row))
}

// IsPovertyAlleviated: 户类型 脱贫户 or 脱贫不稳定户 (脱贫人口).
func IsPovertyAlleviated(householdType string) bool {
	return householdType == "脱贫户" || householdType == "脱贫不稳定户"
}

// IsMonitored: 户类型 is a monitoring category (监测对象).
func IsMonitored(householdType string) bool {
	switch householdType {
	case "脱贫不稳定户", "边缘易致贫户", "突发严重困难户":
		return true
	}
	return false
}

// HasLabor: 劳动能力 普通劳动力, 技能劳动力 or 弱劳动力或半劳动力.
func HasLabor(capacity string) bool {
	switch capacity {
	case "普通劳动力", "技能劳动力", "弱劳动力或半劳动力":
		return true
	}
	return false
}
