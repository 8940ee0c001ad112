-- 0001: the analyst-facing tables of warehouse.md and the operational tables.
-- Every published table is partitioned by toYYYYMM(period) so that a run can
-- replace exactly one period with ALTER TABLE ... REPLACE PARTITION.

CREATE TABLE IF NOT EXISTS dim_county (
    county_code String COMMENT '县级区划代码 6-digit county code (regions.csv)',
    county_name String COMMENT '县(市、区)名称 county name',
    city_code String COMMENT '设区市区划代码 6-digit city code',
    city_name String COMMENT '设区市名称 city name',
    is_key_county UInt8 COMMENT '是否省级乡村振兴重点帮扶县 1 = on the key-assistance list (configurable)'
) ENGINE = MergeTree() PARTITION BY tuple() ORDER BY county_code;

CREATE TABLE IF NOT EXISTS person_month (
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
    new_vocational_enrollment UInt8 COMMENT '中高职新生 1 = 中职/高职 row with 入学年月 in this year up to the period',
    insured UInt8 COMMENT '是否参保 1 = 正常参保 for the insurance year of the period',
    insurance_subsidy Decimal(18, 2) COMMENT '参保资助金额 premium subsidy, yuan',
    medical_total Decimal(18, 2) COMMENT '医疗总费用 medical cost settled this month, yuan',
    medical_oop Decimal(18, 2) COMMENT '个人自付 out-of-pocket medical cost this month, yuan',
    deceased UInt8 COMMENT '是否死亡 1 = death registered on or before the end of the period',
    sources_present Array(String) COMMENT '本期已交付数据源 department extracts delivered for the period',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (county_code, household_key, person_key);

CREATE TABLE IF NOT EXISTS household_year (
    period Date COMMENT '截至统计期 as-of month (first day); figures are year to date',
    year UInt16 COMMENT '年度 calendar year',
    months_elapsed UInt8 COMMENT '已过月数 months Y-01..period',
    household_key String COMMENT '户密钥 HMAC-SHA256 of county code and household number (hex)',
    county_code String COMMENT '县级区划代码 county of the household',
    city_code String COMMENT '设区市区划代码 city of the household',
    household_type String COMMENT '户类型 of the household head row',
    is_poverty_alleviated UInt8 COMMENT '是否脱贫户 1 = 脱贫户 or 脱贫不稳定户 (脱贫人口)',
    is_monitored UInt8 COMMENT '是否监测户 1 = any monitoring category',
    is_relocated UInt8 COMMENT '是否易地搬迁 1 = relocated household',
    is_key_county UInt8 COMMENT '是否重点帮扶县 1 = county on the key-assistance list',
    members UInt16 COMMENT '名册人数 persons of the household on the roster',
    household_size UInt16 COMMENT '家庭人口数 household size used for per-capita figures',
    survey_present UInt8 COMMENT '有收入采集 1 = a household_income row exists for the year up to the period',
    wage_verified Decimal(18, 2) COMMENT '部门核实工资 Σ department employment wages of members, yuan',
    wage_self_reported Decimal(18, 2) COMMENT '自报工资性收入 household-reported wages, yuan',
    wage_reported_only Decimal(18, 2) COMMENT '仅自报工资 max(0, self-reported − verified), yuan',
    wage_income Decimal(18, 2) COMMENT '工资性收入 wage_verified + wage_reported_only, yuan',
    business_income Decimal(18, 2) COMMENT '生产经营性收入 gross, yuan',
    business_cost Decimal(18, 2) COMMENT '生产经营性支出, yuan',
    business_net Decimal(18, 2) COMMENT '生产经营性净收入 business_income − business_cost, yuan',
    property_income Decimal(18, 2) COMMENT '财产性收入, yuan',
    transfer_dept Decimal(18, 2) COMMENT '部门转移性收入 civil payments + pension + education aid + travel subsidy, yuan',
    transfer_other Decimal(18, 2) COMMENT '其他转移性收入 reported by the household, yuan',
    transfer_income Decimal(18, 2) COMMENT '转移性收入 transfer_dept + transfer_other, yuan',
    net_income Decimal(18, 2) COMMENT '家庭纯收入 wage + business net + property + transfer, yuan, year to date',
    per_capita_net_income Decimal(18, 2) COMMENT '人均纯收入 net_income / household_size, year to date, yuan',
    per_capita_net_income_annualized Decimal(18, 2) COMMENT '年化人均纯收入 per-capita × 12 / months_elapsed, yuan',
    has_labor_member UInt8 COMMENT '有劳动力 1 = some member has labour capacity',
    is_safety_net UInt8 COMMENT '兜底保障 1 = some member received 城乡低保 or 特困供养 this year',
    below_monitoring_line UInt8 COMMENT '低于监测线 1 = annualized per-capita below the monitoring line of the year',
    below_10k_target UInt8 COMMENT '未达1万元 1 = labour, not safety net, annualized per-capita below 10 000',
    income_decline Nullable(UInt8) COMMENT '收入下降 1 = annualized per-capita below last year final; null without last year',
    prev_year_per_capita Nullable(Decimal(18, 2)) COMMENT '上年人均纯收入 final per-capita of December of the previous year',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (county_code, household_key);

CREATE TABLE IF NOT EXISTS discrepancy (
    period Date COMMENT '统计期 reporting month (first day)',
    rule_code String COMMENT '比对规则 rule code (domain.md)',
    severity String COMMENT '严重程度 high/medium/low',
    county_code String COMMENT '县级区划代码 county of the household',
    household_key String COMMENT '户密钥 household of the finding',
    person_key String COMMENT '人员密钥 person of the finding (empty for household rules)',
    detail String COMMENT '说明 Chinese sentence with the figures that triggered the rule',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (rule_code, county_code, household_key, person_key);

CREATE TABLE IF NOT EXISTS indicator (
    period Date COMMENT '统计期 reporting month (first day)',
    year UInt16 COMMENT '年度 calendar year',
    indicator_code String COMMENT '指标代码 indicator code (domain.md)',
    region_level String COMMENT '层级 province/city/county/group',
    region_code String COMMENT '区划代码 360000, city or county code, or group name',
    region_name String COMMENT '区划名称 region or group name',
    value Float64 COMMENT '指标值 yuan, count, or fraction (0.9 not 90)',
    target Nullable(Float64) COMMENT '目标值 null where no target applies',
    unit String COMMENT '单位 人/元/元每人/比例',
    complete UInt8 COMMENT '数据完整 0 = a source the indicator needs was missing for some month',
    numerator Float64 COMMENT '分子 of a share or ratio (the value itself for counts and sums)',
    denominator Float64 COMMENT '分母 of a share or ratio (1 for counts and sums)',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (indicator_code, region_level, region_code);

CREATE TABLE IF NOT EXISTS sales_month (
    period Date COMMENT '统计期 reporting month (first day)',
    county_code String COMMENT '县级区划代码 producing county',
    city_code String COMMENT '设区市区划代码 city of the producing county',
    channel String COMMENT '销售渠道 sales channel',
    category String COMMENT '产品类别 product category',
    amount Decimal(18, 2) COMMENT '销售金额 sales this month, yuan',
    rows UInt32 COMMENT '记录数 accepted extract rows summed into this row',
    run_id String COMMENT '批次 the etl_run that published the row'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (county_code, channel, category);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id String COMMENT '批次 the etl_run that read the row',
    period Date COMMENT '统计期 reporting month (first day)',
    source String COMMENT '数据源 roster/household_income/education/medical/civil/employment/pension/sales',
    file String COMMENT '文件 extract file (relative to the inbox) or table',
    line UInt32 COMMENT '行号 line in the file (header is line 1)',
    reason_code String COMMENT '原因代码 ID_INVALID, DUPLICATE_ID, PERIOD_MISMATCH, AMOUNT_INCONSISTENT, …',
    detail String COMMENT '说明 what was wrong, in words',
    row String COMMENT '原始行 the row as JSON keyed by Chinese header, ID and name masked'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (source, file, line);

CREATE TABLE IF NOT EXISTS etl_run (
    run_id String COMMENT '批次 run identifier',
    job String COMMENT '作业 job name',
    period Date COMMENT '统计期 reporting month (first day)',
    started_at DateTime COMMENT '开始时间 UTC',
    finished_at Nullable(DateTime) COMMENT '结束时间 UTC; null while running',
    status String COMMENT '状态 running/publishing/published/failed',
    sources Array(String) COMMENT '数据源 sources read, parallel to the rows_* arrays',
    files Array(String) COMMENT '文件 extract of each source',
    rows_in Array(UInt64) COMMENT '读入行数 rows read per source',
    rows_accepted Array(UInt64) COMMENT '接收行数 rows accepted per source',
    rows_quarantined Array(UInt64) COMMENT '隔离行数 rows quarantined per source',
    rows_unmatched Array(UInt64) COMMENT '未匹配行数 accepted rows of people or households not on the roster',
    missing_sources Array(String) COMMENT '缺失数据源 sources not delivered for the period',
    error String COMMENT '错误 why the run failed (empty otherwise)',
    version UInt64 COMMENT '版本 row version; the latest row of a run_id wins (query with FINAL)'
) ENGINE = ReplacingMergeTree(version) ORDER BY run_id;

CREATE TABLE IF NOT EXISTS report (
    period Date COMMENT '统计期 reporting month (first day)',
    kind String COMMENT '类型 monthly/quarterly',
    files Array(String) COMMENT '文件 report files written',
    generated_at DateTime COMMENT '生成时间 UTC'
) ENGINE = MergeTree() PARTITION BY toYYYYMM(period) ORDER BY (kind, period);
