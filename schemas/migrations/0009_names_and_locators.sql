-- 0009: the warehouse as analysts use it (issue 6 items 1 and 2): names
-- beside codes and households a county can find, without a join.
--
-- dim_indicator, dim_rule and dim_reason hold the Chinese names, units,
-- definitions, target rules, severities, suggested measures and what-to-do
-- texts of every indicator, comparison rule and quarantine reason; every run
-- replaces them whole from the code's registries, like dim_county.
-- indicator gains the months elapsed and the parent city; discrepancy the
-- county and city names and the household's locators; household_year the
-- locators, 风险是否消除 and the year-to-date out-of-pocket medical cost;
-- person_month 风险是否消除, the registered 家庭人口数 and 资助参保类别.
-- Rows published before 0009 hold the column defaults ('' / 0 / NULL) until
-- their period is run again.
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so each column's
-- comment is also set with COMMENT COLUMN (harmless on current releases).

CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_code String COMMENT '指标代码 indicator_code of the indicator table',
    indicator_name String COMMENT '指标名称 Chinese name',
    unit String COMMENT '单位 人/户/元/元/人/比例',
    definition String COMMENT '定义 what is counted (domain.md; docs/indicators.md has the SQL)',
    target_rule String COMMENT '目标规则 which target applies at which level'
) ENGINE = MergeTree() PARTITION BY tuple() ORDER BY indicator_code;

CREATE TABLE IF NOT EXISTS dim_rule (
    rule_code String COMMENT '比对规则代码 rule_code of the discrepancy table',
    rule_name String COMMENT '规则名称 Chinese name',
    level String COMMENT '级别 person/household: one finding per person or household',
    severity String COMMENT '严重程度 high/medium/low',
    definition String COMMENT '触发条件 when the rule fires (domain.md; docs/indicators.md has the SQL)',
    suggested_measure String COMMENT '帮扶措施建议 suggested follow-up'
) ENGINE = MergeTree() PARTITION BY tuple() ORDER BY rule_code;

CREATE TABLE IF NOT EXISTS dim_reason (
    reason_code String COMMENT '原因代码 reason_code of the quarantine table',
    reason_name String COMMENT '原因名称 Chinese name',
    action String COMMENT '处理建议 what the delivering department should do'
) ENGINE = MergeTree() PARTITION BY tuple() ORDER BY reason_code;

ALTER TABLE indicator ADD COLUMN months_elapsed UInt8 COMMENT '已过月数 m = months Y-01..period behind an annualized value' AFTER year;
ALTER TABLE indicator ADD COLUMN city_code String COMMENT '设区市区划代码 of the region: the city itself or the city of a county; empty for province and groups' AFTER region_name;
ALTER TABLE indicator ADD COLUMN city_name String COMMENT '设区市名称 of city_code (empty when it is)' AFTER city_code;
ALTER TABLE indicator COMMENT COLUMN months_elapsed '已过月数 m = months Y-01..period behind an annualized value';
ALTER TABLE indicator COMMENT COLUMN city_code '设区市区划代码 of the region: the city itself or the city of a county; empty for province and groups';
ALTER TABLE indicator COMMENT COLUMN city_name '设区市名称 of city_code (empty when it is)';

ALTER TABLE discrepancy ADD COLUMN county_name String COMMENT '县(市、区)名称 of county_code' AFTER county_code;
ALTER TABLE discrepancy ADD COLUMN city_code String COMMENT '设区市区划代码 city of the county' AFTER county_name;
ALTER TABLE discrepancy ADD COLUMN city_name String COMMENT '设区市名称 city name' AFTER city_code;
ALTER TABLE discrepancy ADD COLUMN village_code String COMMENT '村级区划代码 of the household head row (empty when the household is not on the roster)' AFTER person_key;
ALTER TABLE discrepancy ADD COLUMN household_no String COMMENT '户编号 household number of the monitoring system (not an ID number)' AFTER village_code;
ALTER TABLE discrepancy ADD COLUMN head_id_masked String COMMENT '户主脱敏身份证号 of the household head row, first 6 and last 4 kept' AFTER household_no;
ALTER TABLE discrepancy ADD COLUMN head_name_masked String COMMENT '户主脱敏姓名 first character kept' AFTER head_id_masked;
ALTER TABLE discrepancy ADD COLUMN id_masked String COMMENT '脱敏身份证号 of the person of a person-level finding (empty for household rules)' AFTER head_name_masked;
ALTER TABLE discrepancy ADD COLUMN name_masked String COMMENT '脱敏姓名 of that person (empty for household rules)' AFTER id_masked;
ALTER TABLE discrepancy COMMENT COLUMN county_name '县(市、区)名称 of county_code';
ALTER TABLE discrepancy COMMENT COLUMN city_code '设区市区划代码 city of the county';
ALTER TABLE discrepancy COMMENT COLUMN city_name '设区市名称 city name';
ALTER TABLE discrepancy COMMENT COLUMN village_code '村级区划代码 of the household head row (empty when the household is not on the roster)';
ALTER TABLE discrepancy COMMENT COLUMN household_no '户编号 household number of the monitoring system (not an ID number)';
ALTER TABLE discrepancy COMMENT COLUMN head_id_masked '户主脱敏身份证号 of the household head row, first 6 and last 4 kept';
ALTER TABLE discrepancy COMMENT COLUMN head_name_masked '户主脱敏姓名 first character kept';
ALTER TABLE discrepancy COMMENT COLUMN id_masked '脱敏身份证号 of the person of a person-level finding (empty for household rules)';
ALTER TABLE discrepancy COMMENT COLUMN name_masked '脱敏姓名 of that person (empty for household rules)';

ALTER TABLE household_year ADD COLUMN village_code String COMMENT '村级区划代码 of the household head row' AFTER city_code;
ALTER TABLE household_year ADD COLUMN household_no String COMMENT '户编号 household number of the monitoring system (not an ID number)' AFTER village_code;
ALTER TABLE household_year ADD COLUMN head_id_masked String COMMENT '户主脱敏身份证号 of the household head row, first 6 and last 4 kept' AFTER household_no;
ALTER TABLE household_year ADD COLUMN head_name_masked String COMMENT '户主脱敏姓名 first character kept' AFTER head_id_masked;
ALTER TABLE household_year ADD COLUMN risk_eliminated Nullable(UInt8) COMMENT '风险是否消除 of the household head row: 1 是, 0 否, null not filled in' AFTER is_monitored;
ALTER TABLE household_year ADD COLUMN medical_oop Decimal(18, 2) COMMENT '医疗个人自付 Σ 个人自付 of members, year to date, yuan' AFTER prev_year_per_capita;
ALTER TABLE household_year COMMENT COLUMN village_code '村级区划代码 of the household head row';
ALTER TABLE household_year COMMENT COLUMN household_no '户编号 household number of the monitoring system (not an ID number)';
ALTER TABLE household_year COMMENT COLUMN head_id_masked '户主脱敏身份证号 of the household head row, first 6 and last 4 kept';
ALTER TABLE household_year COMMENT COLUMN head_name_masked '户主脱敏姓名 first character kept';
ALTER TABLE household_year COMMENT COLUMN risk_eliminated '风险是否消除 of the household head row: 1 是, 0 否, null not filled in';
ALTER TABLE household_year COMMENT COLUMN medical_oop '医疗个人自付 Σ 个人自付 of members, year to date, yuan';

ALTER TABLE person_month ADD COLUMN household_size_registered UInt16 COMMENT '登记家庭人口数 家庭人口数 as on the roster row of the person' AFTER relation;
ALTER TABLE person_month ADD COLUMN risk_eliminated Nullable(UInt8) COMMENT '风险是否消除 of the household head row: 1 是, 0 否, null not filled in' AFTER is_monitored;
ALTER TABLE person_month ADD COLUMN insurance_subsidy_category String COMMENT '资助参保类别 全额资助/定额资助/无 of the insured row (empty if none)' AFTER insurance_subsidy;
ALTER TABLE person_month COMMENT COLUMN household_size_registered '登记家庭人口数 家庭人口数 as on the roster row of the person';
ALTER TABLE person_month COMMENT COLUMN risk_eliminated '风险是否消除 of the household head row: 1 是, 0 否, null not filled in';
ALTER TABLE person_month COMMENT COLUMN insurance_subsidy_category '资助参保类别 全额资助/定额资助/无 of the insured row (empty if none)';
