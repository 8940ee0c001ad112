-- 0002: what YULU_GRADUATE_PLACEMENT and PAID_AFTER_DEATH need: the
-- graduation record and the registered death date of each person-month.
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so each column's
-- comment is also set with COMMENT COLUMN (harmless on current releases).

ALTER TABLE person_month ADD COLUMN graduation_month Nullable(Date) COMMENT '毕业年月 graduation month (first day) of the latest 毕业 education record; null if none' AFTER student_status;
ALTER TABLE person_month ADD COLUMN graduation_stage String COMMENT '毕业学段 stage of that 毕业 record (empty if none)' AFTER graduation_month;
ALTER TABLE person_month ADD COLUMN graduation_destination String COMMENT '毕业去向 就业/升学/待就业 of that record (empty if none)' AFTER graduation_stage;
ALTER TABLE person_month ADD COLUMN death_date Nullable(Date) COMMENT '死亡日期 registered death date (civil 死亡登记 this month); null if none' AFTER deceased;
ALTER TABLE person_month COMMENT COLUMN graduation_month '毕业年月 graduation month (first day) of the latest 毕业 education record; null if none';
ALTER TABLE person_month COMMENT COLUMN graduation_stage '毕业学段 stage of that 毕业 record (empty if none)';
ALTER TABLE person_month COMMENT COLUMN graduation_destination '毕业去向 就业/升学/待就业 of that record (empty if none)';
ALTER TABLE person_month COMMENT COLUMN death_date '死亡日期 registered death date (civil 死亡登记 this month); null if none';
