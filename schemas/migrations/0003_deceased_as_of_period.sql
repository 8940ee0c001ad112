-- 0003: person_month.deceased means what its COMMENT always said — registered
-- dead on or before the end of the period — instead of "registered this
-- month" (issue 5 item 8). From now on the pipeline sets deceased in every
-- month from the registration on, of any year, and carries the death date of
-- the latest registration. This migration brings the rows published so far
-- to that meaning and updates the two COMMENTs.
--
-- The data is rebuilt into a new table and swapped in by RENAME: a row is
-- deceased when the person has a registration (a row with deceased = 1 as
-- published so far) in this period or an earlier one; its death_date is that
-- of the latest such registration (NULL when the registration predates 0002,
-- which added death_date). Re-running the file is safe: the rebuild of rebuilt
-- rows gives the same rows, and person_month_0002 (the table before the swap)
-- is dropped before the swap and after it.

DROP TABLE IF EXISTS person_month_0003;

CREATE TABLE person_month_0003 (
    period Date COMMENT '统计期 reporting month (first day)',
    year UInt16 COMMENT '年度 calendar year of the period',
    person_key String COMMENT '人员密钥 HMAC-SHA256 of the normalised ID number (hex); joins months',
    id_masked String COMMENT '脱敏身份证号 first 6 and last 4 characters kept',
    name_masked String COMMENT '脱敏姓名 first character kept',
    household_key String COMMENT '户密钥 HMAC-SHA256 of county code and household number (hex)',
    county_code String COMMENT '县级区划代码 county of the household',
    city_code String COMMENT '设区市区划代码 city of the household',
    village_code String COMMENT '村级区划代码 12-digit village code',
    relation String COMMENT '与户主关系 relation to the head of household',
    household_type String COMMENT '户类型 脱贫户/脱贫不稳定户/边缘易致贫户/突发严重困难户 (of the household head row)',
    is_poverty_alleviated UInt8 COMMENT '是否脱贫人口 1 = household type 脱贫户 or 脱贫不稳定户',
    is_monitored UInt8 COMMENT '是否监测对象 1 = any monitoring category',
    labor_capacity String COMMENT '劳动能力 labour capacity as registered',
    has_labor UInt8 COMMENT '是否有劳动能力 1 = 普通/技能/弱或半劳动力',
    is_relocated UInt8 COMMENT '是否易地搬迁 1 = relocated household',
    is_key_county UInt8 COMMENT '是否重点帮扶县 1 = county on the key-assistance list',
    age UInt8 COMMENT '年龄 age in whole years at the end of the period (from the ID number)',
    sex String COMMENT '性别 男/女 (from the ID number)',
    employed UInt8 COMMENT '是否就业 1 = employment row 务工就业/灵活就业 this month',
    employment_form String COMMENT '就业形式 of the best-paid employment row this month',
    employment_area String COMMENT '就业地域 县内/省内县外/省外 of that row',
    wage Decimal(18, 2) COMMENT '月工资收入 wages this month (rows with 就业状态 not 未就业), yuan',
    travel_subsidy Decimal(18, 2) COMMENT '一次性交通补助 travel subsidy paid this month, yuan',
    pension Decimal(18, 2) COMMENT '养老金 resident pension paid this month, yuan',
    dibao Decimal(18, 2) COMMENT '城乡低保 paid this month, yuan',
    tekun Decimal(18, 2) COMMENT '特困供养 paid this month, yuan',
    temp_relief Decimal(18, 2) COMMENT '临时救助 paid this month, yuan',
    disability_allowance Decimal(18, 2) COMMENT '残疾人生活补贴 paid this month, yuan',
    disability_care Decimal(18, 2) COMMENT '重度残疾人护理补贴 paid this month, yuan',
    education_aid Decimal(18, 2) COMMENT '学生资助 all aid items paid this month, yuan',
    yulu_aid Decimal(18, 2) COMMENT '雨露计划 aid paid this month, yuan',
    student_stage String COMMENT '学段 of the education record this month (empty if none)',
    student_status String COMMENT '学籍状态 of the education record this month (empty if none)',
    graduation_month Nullable(Date) COMMENT '毕业年月 graduation month (first day) of the latest 毕业 education record; null if none',
    graduation_stage String COMMENT '毕业学段 stage of that 毕业 record (empty if none)',
    graduation_destination String COMMENT '毕业去向 就业/升学/待就业 of that record (empty if none)',
    new_vocational_enrollment UInt8 COMMENT '中高职新生 1 = 中职/高职 row with 入学年月 in this year up to the period',
    insured UInt8 COMMENT '是否参保 1 = 正常参保 for the insurance year of the period',
    insurance_subsidy Decimal(18, 2) COMMENT '参保资助金额 premium subsidy, yuan',
    medical_total Decimal(18, 2) COMMENT '医疗总费用 medical cost settled this month, yuan',
    medical_oop Decimal(18, 2) COMMENT '个人自付 out-of-pocket medical cost this month, yuan',
    deceased UInt8 COMMENT '是否死亡 1 = registered dead by the end of the period: a civil 死亡登记 (死亡日期 on or before the end of its period) arrived in this period or in any earlier published period, of any year; so 1 in every month from the registration on',
    death_date Nullable(Date) COMMENT '死亡日期 of the latest registration up to the period: this month, else carried from the latest earlier one; null if not deceased, or if the registration predates migration 0002',
    sources_present Array(String) COMMENT '本期已交付数据源 department extracts delivered for the period',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (county_code, household_key, person_key);

INSERT INTO person_month_0003 (period, year, person_key, id_masked, name_masked, household_key, county_code, city_code, village_code, relation, household_type, is_poverty_alleviated, is_monitored, labor_capacity, has_labor, is_relocated, is_key_county, age, sex, employed, employment_form, employment_area, wage, travel_subsidy, pension, dibao, tekun, temp_relief, disability_allowance, disability_care, education_aid, yulu_aid, student_stage, student_status, graduation_month, graduation_stage, graduation_destination, new_vocational_enrollment, insured, insurance_subsidy, medical_total, medical_oop, deceased, death_date, sources_present, run_id)
SELECT period, year, person_key, id_masked, name_masked, household_key, county_code, city_code, village_code, relation, household_type, is_poverty_alleviated, is_monitored, labor_capacity, has_labor, is_relocated, is_key_county, age, sex, employed, employment_form, employment_area, wage, travel_subsidy, pension, dibao, tekun, temp_relief, disability_allowance, disability_care, education_aid, yulu_aid, student_stage, student_status, graduation_month, graduation_stage, graduation_destination, new_vocational_enrollment, insured, insurance_subsidy, medical_total, medical_oop, notEmpty(regs) AS deceased, if(empty(regs), NULL, nullIf(tupleElement(arrayElement(arraySort(regs), -1), 2), toDate('1970-01-01'))) AS death_date, sources_present, run_id
FROM (
    SELECT period, year, person_key, id_masked, name_masked, household_key, county_code, city_code, village_code, relation, household_type, is_poverty_alleviated, is_monitored, labor_capacity, has_labor, is_relocated, is_key_county, age, sex, employed, employment_form, employment_area, wage, travel_subsidy, pension, dibao, tekun, temp_relief, disability_allowance, disability_care, education_aid, yulu_aid, student_stage, student_status, graduation_month, graduation_stage, graduation_destination, new_vocational_enrollment, insured, insurance_subsidy, medical_total, medical_oop, sources_present, run_id,
        arrayFilter(r -> tupleElement(r, 1) <= period, registrations) AS regs
    FROM person_month
    ANY LEFT JOIN (
        SELECT person_key, groupArray((period, ifNull(death_date, toDate('1970-01-01')))) AS registrations
        FROM person_month WHERE deceased = 1 GROUP BY person_key
    ) AS deaths USING person_key
);

DROP TABLE IF EXISTS person_month_0002;

RENAME TABLE person_month TO person_month_0002, person_month_0003 TO person_month;

DROP TABLE person_month_0002;
