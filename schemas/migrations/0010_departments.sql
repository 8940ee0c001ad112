-- 0010: two departments (issue 11): 农村住房安全 (housing) and 村集体经济收益
-- 分配 (collective), household-level, their facts as household_year columns
-- after run_id in registration order (the columns schemas.Departments
-- declares; a test compares them, comments included),
-- and property_verified: 按股分红 of the collective, the department-verified
-- part of property_income (domain.md). Rows published before 0010 hold the
-- defaults (0 / '' / NULL: no appraisal, no assessment, no distribution)
-- until their period is run again.
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so each column's
-- comment is also set with COMMENT COLUMN (harmless on current releases).

ALTER TABLE household_year ADD COLUMN property_verified Decimal(18, 2) COMMENT '财产性收入(部门核实) 按股分红 of the village collective, year to date, yuan; property_income = property_verified + max(0, 财产性收入 − property_verified) when it is > 0' AFTER property_income;
ALTER TABLE household_year COMMENT COLUMN property_verified '财产性收入(部门核实) 按股分红 of the village collective, year to date, yuan; property_income = property_verified + max(0, 财产性收入 − property_verified) when it is > 0';
ALTER TABLE household_year ADD COLUMN housing_appraised UInt8 COMMENT '住房安全鉴定 1 = 本期住房安全数据有该户的鉴定记录(按户主身份证号关联)' AFTER run_id;
ALTER TABLE household_year ADD COLUMN housing_grade String COMMENT '房屋安全等级 A级/B级/C级/D级 of the appraisal in force (empty when not appraised)' AFTER housing_appraised;
ALTER TABLE household_year ADD COLUMN housing_appraisal_month Nullable(Date) COMMENT '鉴定年月 first day of the appraisal month (null when not appraised)' AFTER housing_grade;
ALTER TABLE household_year ADD COLUMN housing_in_plan UInt8 COMMENT '纳入改造计划 1 = in the 危房改造 plan of the year' AFTER housing_appraisal_month;
ALTER TABLE household_year ADD COLUMN housing_renovation_status String COMMENT '改造状态 未开工/在建/竣工 (empty when not in a plan)' AFTER housing_in_plan;
ALTER TABLE household_year ADD COLUMN housing_completion_month Nullable(Date) COMMENT '竣工年月 first day of the month the renovation was completed (null when none)' AFTER housing_renovation_status;
ALTER TABLE household_year ADD COLUMN housing_danger_cause String COMMENT '致危原因 自然灾害/年久失修/其他' AFTER housing_completion_month;
ALTER TABLE household_year ADD COLUMN collective_labor Decimal(18, 2) COMMENT '村集体按劳分配 Y-01..period (yuan); counted in wage_verified' AFTER housing_danger_cause;
ALTER TABLE household_year ADD COLUMN collective_relief Decimal(18, 2) COMMENT '村集体兜底救助 Y-01..period (yuan); counted in transfer_dept' AFTER collective_labor;
ALTER TABLE household_year ADD COLUMN collective_dividend Decimal(18, 2) COMMENT '村集体按股分红 Y-01..period (yuan); = property_verified' AFTER collective_relief;
ALTER TABLE household_year ADD COLUMN collective_received UInt8 COMMENT '收到村集体收益分配 1 = some distribution row for the household in Y-01..period' AFTER collective_dividend;
ALTER TABLE household_year ADD COLUMN collective_village_dividend UInt8 COMMENT '本村已按股分红 1 = the village of the household paid 按股分红 to some household in Y-01..period' AFTER collective_received;
ALTER TABLE household_year COMMENT COLUMN housing_appraised '住房安全鉴定 1 = 本期住房安全数据有该户的鉴定记录(按户主身份证号关联)';
ALTER TABLE household_year COMMENT COLUMN housing_grade '房屋安全等级 A级/B级/C级/D级 of the appraisal in force (empty when not appraised)';
ALTER TABLE household_year COMMENT COLUMN housing_appraisal_month '鉴定年月 first day of the appraisal month (null when not appraised)';
ALTER TABLE household_year COMMENT COLUMN housing_in_plan '纳入改造计划 1 = in the 危房改造 plan of the year';
ALTER TABLE household_year COMMENT COLUMN housing_renovation_status '改造状态 未开工/在建/竣工 (empty when not in a plan)';
ALTER TABLE household_year COMMENT COLUMN housing_completion_month '竣工年月 first day of the month the renovation was completed (null when none)';
ALTER TABLE household_year COMMENT COLUMN housing_danger_cause '致危原因 自然灾害/年久失修/其他';
ALTER TABLE household_year COMMENT COLUMN collective_labor '村集体按劳分配 Y-01..period (yuan); counted in wage_verified';
ALTER TABLE household_year COMMENT COLUMN collective_relief '村集体兜底救助 Y-01..period (yuan); counted in transfer_dept';
ALTER TABLE household_year COMMENT COLUMN collective_dividend '村集体按股分红 Y-01..period (yuan); = property_verified';
ALTER TABLE household_year COMMENT COLUMN collective_received '收到村集体收益分配 1 = some distribution row for the household in Y-01..period';
ALTER TABLE household_year COMMENT COLUMN collective_village_dividend '本村已按股分红 1 = the village of the household paid 按股分红 to some household in Y-01..period';
