-- 0011: the 农村饮水安全 department (water, issue 11), household-level: its
-- facts as household_year columns after the collective's, in declaration
-- order (docs/adding-a-department.md walks through this change). Rows
-- published before 0011 hold 0 / '' / NULL (not assessed) until their
-- period is run again.
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so each column's
-- comment is also set with COMMENT COLUMN (harmless on current releases).

ALTER TABLE household_year ADD COLUMN water_assessed UInt8 COMMENT '饮水安全评估 1 = 本期饮水安全数据有该户的评估记录(按户主身份证号关联)' AFTER collective_village_dividend;
ALTER TABLE household_year ADD COLUMN water_assessment_month Nullable(Date) COMMENT '评估年月 first day of the assessment month (null when not assessed)' AFTER water_assessed;
ALTER TABLE household_year ADD COLUMN water_supply_mode String COMMENT '供水方式 集中供水/分散供水' AFTER water_assessment_month;
ALTER TABLE household_year ADD COLUMN water_quantity_ok UInt8 COMMENT '水量达标 1 = 达标' AFTER water_supply_mode;
ALTER TABLE household_year ADD COLUMN water_quality_ok UInt8 COMMENT '水质达标 1 = 达标' AFTER water_quantity_ok;
ALTER TABLE household_year ADD COLUMN water_convenience_ok UInt8 COMMENT '用水方便 1 = 取水往返时间达标' AFTER water_quality_ok;
ALTER TABLE household_year ADD COLUMN water_assurance_ok UInt8 COMMENT '供水保证率达标 1 = 达标' AFTER water_convenience_ok;
ALTER TABLE household_year ADD COLUMN water_seasonal_shortage UInt8 COMMENT '季节性缺水 1 = seasonal shortage reported this period (empty = 0)' AFTER water_assurance_ok;
ALTER TABLE household_year COMMENT COLUMN water_assessed '饮水安全评估 1 = 本期饮水安全数据有该户的评估记录(按户主身份证号关联)';
ALTER TABLE household_year COMMENT COLUMN water_assessment_month '评估年月 first day of the assessment month (null when not assessed)';
ALTER TABLE household_year COMMENT COLUMN water_supply_mode '供水方式 集中供水/分散供水';
ALTER TABLE household_year COMMENT COLUMN water_quantity_ok '水量达标 1 = 达标';
ALTER TABLE household_year COMMENT COLUMN water_quality_ok '水质达标 1 = 达标';
ALTER TABLE household_year COMMENT COLUMN water_convenience_ok '用水方便 1 = 取水往返时间达标';
ALTER TABLE household_year COMMENT COLUMN water_assurance_ok '供水保证率达标 1 = 达标';
ALTER TABLE household_year COMMENT COLUMN water_seasonal_shortage '季节性缺水 1 = seasonal shortage reported this period (empty = 0)';
