package clickhouse_test

import (
	"fmt"
	"testing"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/schemas"
	"zengshou/transforms/values"
)

// pmRow is the part of a person_month row these tests write; every other
// column takes its default.
type pmRow struct {
	period              string
	person              string
	deceased            uint8
	deathDate           string // "" = NULL
	gradMonth           string // "" = NULL
	gradStage, gradDest string
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

func nullableDay(t *testing.T, s string) *time.Time {
	if s == "" {
		return nil
	}
	d := day(t, s)
	return &d
}

// insertPersonMonths writes rows straight into person_month, one INSERT per
// period so that each period is its own part, as publication leaves them.
func insertPersonMonths(t *testing.T, conn driver.Conn, rows []pmRow) {
	t.Helper()
	byPeriod := map[string][]pmRow{}
	var order []string
	for _, r := range rows {
		if _, ok := byPeriod[r.period]; !ok {
			order = append(order, r.period)
		}
		byPeriod[r.period] = append(byPeriod[r.period], r)
	}
	for _, p := range order {
		batch, err := conn.PrepareBatch(t.Context(), `INSERT INTO person_month (period, year, person_key, deceased, death_date,
    graduation_month, graduation_stage, graduation_destination)`)
		require.NoError(t, err)
		for _, r := range byPeriod[p] {
			period := day(t, r.period)
			require.NoError(t, batch.Append(period, uint16(period.Year()), r.person, r.deceased, nullableDay(t, r.deathDate),
				nullableDay(t, r.gradMonth), r.gradStage, r.gradDest))
		}
		require.NoError(t, batch.Send())
	}
}

// forgetMigration removes a migration's schema_migrations row, as if the
// process had died before recording it, so the next Connect runs it again.
func forgetMigration(t *testing.T, conn driver.Conn, version uint32) {
	t.Helper()
	require.NoError(t, conn.Exec(t.Context(), fmt.Sprintf("ALTER TABLE schema_migrations DELETE WHERE version = %d", version)))
	require.Eventually(t, func() bool {
		return count(t, conn, fmt.Sprintf("SELECT count() FROM schema_migrations WHERE version = %d", version)) == 0
	}, 10*time.Second, 50*time.Millisecond, "the mutation removes the migration's record")
}

// TestMigration0003CarriesDeathsIntoLaterMonths: rows published before 0003
// set deceased only in the month a 死亡登记 arrived. Migration 0003 rewrites
// person_month so that deceased means "registered dead by the end of the
// period" — 1 in every month from the registration on, across years — and
// carries the death date of the latest registration; a registration from
// before 0002 (no date) stays deceased with a NULL date. Nothing else moves,
// and the new COMMENTs say so.
func TestMigration0003CarriesDeathsIntoLaterMonths(t *testing.T) {
	dsn := testenv.ClickHouse(t)
	s := connect(t, dsn)
	insertPersonMonths(t, s.Conn(), []pmRow{
		{period: "2024-10-01", person: "a"},
		{period: "2024-11-01", person: "a", deceased: 1, deathDate: "2024-11-15"},
		{period: "2024-12-01", person: "a"},
		{period: "2025-01-01", person: "a"},
		{period: "2025-01-01", person: "b"},
		{period: "2025-02-01", person: "b", deceased: 1, deathDate: "2024-12-20"},
		{period: "2025-03-01", person: "b"},
		{period: "2025-04-01", person: "b", deceased: 1, deathDate: "2024-12-21"}, // a corrected registration
		{period: "2025-05-01", person: "b"},
		{period: "2025-03-01", person: "c"},
		{period: "2024-06-01", person: "legacy", deceased: 1}, // registered before 0002 recorded dates
		{period: "2024-07-01", person: "legacy"},
	})
	forgetMigration(t, s.Conn(), 3)
	s2 := connect(t, dsn)

	rows, err := s2.Conn().Query(t.Context(), `SELECT person_key, toString(period), deceased, ifNull(toString(death_date), 'NULL')
FROM person_month ORDER BY person_key, period`)
	require.NoError(t, err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var key, period, death string
		var deceased uint8
		require.NoError(t, rows.Scan(&key, &period, &deceased, &death))
		got = append(got, fmt.Sprintf("%s %s %d %s", key, period, deceased, death))
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{
		"a 2024-10-01 0 NULL",
		"a 2024-11-01 1 2024-11-15",
		"a 2024-12-01 1 2024-11-15",
		"a 2025-01-01 1 2024-11-15",
		"b 2025-01-01 0 NULL",
		"b 2025-02-01 1 2024-12-20",
		"b 2025-03-01 1 2024-12-20",
		"b 2025-04-01 1 2024-12-21",
		"b 2025-05-01 1 2024-12-21",
		"c 2025-03-01 0 NULL",
		"legacy 2024-06-01 1 NULL",
		"legacy 2024-07-01 1 NULL",
	}, got)

	db := s2.Database()
	comments := map[string]string{}
	for _, c := range columnsOf(t, s2.Conn(), db, "person_month") {
		comments[c.Name] = c.Comment
	}
	require.Contains(t, comments["deceased"], "registered dead by the end of the period")
	require.Contains(t, comments["deceased"], "of any year")
	require.Contains(t, comments["death_date"], "carried")
	require.Equal(t, uint64(0), count(t, s2.Conn(), "SELECT count() FROM system.tables WHERE database = ? AND name LIKE 'person_month_%'", db),
		"the migration leaves no scratch table")
}

// TestHistoryReadsDeathsOfEveryEarlierYear: History(P) knows every person
// registered dead in a published period before P, whatever the year, with
// the date of the latest registration (0 when it was not recorded), and
// knows nobody registered in P or later.
func TestHistoryReadsDeathsOfEveryEarlierYear(t *testing.T) {
	s := connect(t, testenv.ClickHouse(t))
	insertPersonMonths(t, s.Conn(), []pmRow{
		{period: "2023-05-01", person: "legacy", deceased: 1},
		{period: "2024-11-01", person: "a", deceased: 1, deathDate: "2024-11-15"},
		{period: "2024-12-01", person: "a", deceased: 1, deathDate: "2024-11-15"},
		{period: "2025-02-01", person: "b", deceased: 1, deathDate: "2024-12-20"},
		{period: "2025-03-01", person: "c", deceased: 1, deathDate: "2025-03-02"},
		{period: "2025-02-01", person: "d"},
	})
	h, err := s.History(t.Context(), values.NewMonth(2025, 3))
	require.NoError(t, err)
	got := map[string]string{}
	for _, k := range h.PersonLife.Keys() {
		if h.PersonLife.Int(schemas.Deceased, k) == 1 {
			got[k] = arrow.Date32(h.PersonLife.Int(schemas.DeathDate, k)).FormattedString()
		}
	}
	require.Equal(t, map[string]string{"legacy": "1970-01-01", "a": "2024-11-15", "b": "2024-12-20"}, got)
}

// TestHistoryGraduationTiesGoToTheLatestPeriod: the months after a
// graduation repeat its record, and its 毕业去向 may change (待就业, then
// 就业). History takes the record of the latest 毕业年月 and, among the
// months that repeat it, that of the latest period — the same answer with
// one thread and with the server's default.
func TestHistoryGraduationTiesGoToTheLatestPeriod(t *testing.T) {
	s := connect(t, testenv.ClickHouse(t))
	grad := func(period, person, month, dest string) pmRow {
		return pmRow{period: period, person: person, gradMonth: month, gradStage: "中职", gradDest: dest}
	}
	insertPersonMonths(t, s.Conn(), []pmRow{
		// Placed in August: 就业.
		grad("2025-06-01", "placed", "2025-06-01", "待就业"),
		grad("2025-07-01", "placed", "2025-06-01", "待就业"),
		grad("2025-08-01", "placed", "2025-06-01", "就业"),
		// Reported 就业 first, corrected to 待就业 later: 待就业.
		grad("2025-06-01", "corrected", "2025-06-01", "就业"),
		grad("2025-07-01", "corrected", "2025-06-01", "待就业"),
		{period: "2025-08-01", person: "corrected"},
		// A later graduation wins over a later period of an earlier one.
		grad("2025-01-01", "twice", "2025-01-01", "升学"),
		grad("2025-07-01", "twice", "2025-06-01", "待就业"),
		grad("2025-08-01", "twice", "2025-01-01", "就业"),
	})
	type graduation struct {
		Month              values.Month
		Stage, Destination string
	}
	want := map[string]graduation{
		"placed":    {Month: values.NewMonth(2025, 6), Stage: "中职", Destination: "就业"},
		"corrected": {Month: values.NewMonth(2025, 6), Stage: "中职", Destination: "待就业"},
		"twice":     {Month: values.NewMonth(2025, 6), Stage: "中职", Destination: "待就业"},
	}
	for _, threads := range []int{1, 0} {
		t.Run(fmt.Sprintf("max_threads=%d", threads), func(t *testing.T) {
			ctx := t.Context()
			if threads > 0 {
				ctx = ch.Context(ctx, ch.WithSettings(ch.Settings{"max_threads": threads}))
			}
			for range 5 {
				h, err := s.History(ctx, values.NewMonth(2025, 9))
				require.NoError(t, err)
				got := map[string]graduation{}
				y := h.PersonYear
				for _, k := range y.Keys() {
					got[k] = graduation{values.Month(y.Int(schemas.GraduationMonth, k)),
						y.Str(schemas.GraduationStage, k), y.Str(schemas.GraduationDestination, k)}
				}
				require.Equal(t, want, got)
			}
		})
	}
}
