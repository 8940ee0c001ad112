package indicators

import "zengshou/transforms/model"

func isRelocated(p *model.Period, row int32) bool { return p.RosterBool("is_relocated", row) }

func isPovertyAlleviated(p *model.Period, row int32) bool {
	return model.IsPovertyAlleviated(p.RosterString("household_type", row))
}

func isMonitored(p *model.Period, row int32) bool {
	return model.IsMonitored(p.RosterString("household_type", row))
}
