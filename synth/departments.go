package synth

import (
	"fmt"
	"slices"

	"zengshou/schemas"
)

// The extra departments of the departments issue (inputs.md): written only
// when Config.Departments names them, because a pipeline that does not know
// them refuses an inbox holding their files.
const (
	Housing    = "housing"
	Water      = "water"
	Collective = "collective"
)

// Departments lists the extra departments the generator can write, in
// load order.
var Departments = []string{Housing, Water, Collective}

// Source indices of the extra departments, after the eight sources of
// schemas.Sources; they are also the stream coordinates of their files.
const (
	srcHousing = iota + srcSales + 1
	srcWater
	srcCollective
	srcCount
)

// headIDAliases are names the household head's ID column is delivered under.
var headIDAliases = []string{"户主身份证号码", "户主公民身份号码", "户主证件号码"}

// departmentContracts are the input contracts of the extra departments as
// inputs.md states them. They live here until the engine registers them;
// TestDepartmentContractsMatchTheEngine compares them with the registered
// ones once it does.
var departmentContracts = []schemas.Source{
	{
		Name: Housing, Title: "农村住房安全",
		Columns: []schemas.Column{
			{Name: "head_id_number", Header: "户主身份证号", Aliases: headIDAliases, Kind: schemas.IDNumber, Required: true},
			{Name: "safety_grade", Header: "房屋安全等级", Aliases: []string{"安全等级", "鉴定等级"}, Kind: schemas.Enum, Required: true, Values: gradeNames},
			{Name: "appraisal_month", Header: "鉴定年月", Aliases: []string{"鉴定时间"}, Kind: schemas.Month, Required: true},
			{Name: "in_renovation_plan", Header: "纳入改造计划", Aliases: []string{"是否纳入改造计划"}, Kind: schemas.YesNo, Required: true},
			{Name: "renovation_status", Header: "改造状态", Kind: schemas.Enum, Values: renovationNames},
			{Name: "completion_month", Header: "竣工年月", Aliases: []string{"竣工时间"}, Kind: schemas.Month},
			{Name: "danger_cause", Header: "致危原因", Kind: schemas.Enum, Values: causeNames},
		},
	},
	{
		Name: Water, Title: "农村饮水安全",
		Columns: []schemas.Column{
			{Name: "head_id_number", Header: "户主身份证号", Aliases: headIDAliases, Kind: schemas.IDNumber, Required: true},
			{Name: "assessment_month", Header: "评估年月", Aliases: []string{"评估时间"}, Kind: schemas.Month, Required: true},
			{Name: "supply_mode", Header: "供水方式", Kind: schemas.Enum, Required: true, Values: supplyNames},
			{Name: "quantity_ok", Header: "水量达标", Aliases: []string{"水量是否达标"}, Kind: schemas.YesNo, Required: true},
			{Name: "quality_ok", Header: "水质达标", Aliases: []string{"水质是否达标"}, Kind: schemas.YesNo, Required: true},
			{Name: "convenience_ok", Header: "用水方便", Aliases: []string{"用水方便程度达标"}, Kind: schemas.YesNo, Required: true},
			{Name: "assurance_ok", Header: "供水保证率达标", Aliases: []string{"供水保证率是否达标"}, Kind: schemas.YesNo, Required: true},
			{Name: "seasonal_shortage", Header: "季节性缺水", Aliases: []string{"是否季节性缺水"}, Kind: schemas.YesNo},
		},
	},
	{
		Name: Collective, Title: "村集体经济收益分配", PeriodColumn: "pay_month",
		Columns: []schemas.Column{
			{Name: "village_code", Header: "区划代码", Kind: schemas.Text, Required: true},
			{Name: "household_no", Header: "户编号", Aliases: []string{"户号"}, Kind: schemas.Text, Required: true},
			{Name: "pay_month", Header: "分配年月", Aliases: []string{"分配月份"}, Kind: schemas.Month, Required: true},
			{Name: "distribution", Header: "分配方式", Kind: schemas.Enum, Required: true, Values: distributionNames},
			{Name: "amount", Header: "分配金额", Kind: schemas.Money, Required: true},
		},
	},
}

// contracts are all the sources the generator can write, by source index:
// the eight of schemas.Sources, then the extra departments.
var contracts = func() []schemas.Source {
	out := slices.Clone(schemas.Sources[:srcSales+1])
	return append(out, departmentContracts...)
}()

func init() {
	for i, name := range Departments {
		if contracts[srcHousing+i].Name != name {
			panic(fmt.Sprintf("synth: contracts[%d] is %q, want %q", srcHousing+i, contracts[srcHousing+i].Name, name))
		}
	}
	if len(contracts) != srcCount {
		panic(fmt.Sprintf("synth: %d contracts, want %d", len(contracts), srcCount))
	}
}

// contractByName returns the contract of any source the generator writes.
func contractByName(name string) (schemas.Source, bool) {
	for _, s := range contracts {
		if s.Name == name {
			return s, true
		}
	}
	return schemas.Source{}, false
}

// enabled says whether the configuration writes the source of index src:
// always for the eight sources, for an extra department when named in
// Config.Departments.
func (c Config) enabled(src int) bool {
	return src < srcHousing || slices.Contains(c.Departments, contracts[src].Name)
}
