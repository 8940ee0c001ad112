package schemas

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDepartmentsDeclareWhatTheEngineNeeds: every registered department's
// join has the columns it reads, every declared fact reads columns of the
// contract with a rollup its kind supports, and facts go to the table their
// join fills.
func TestDepartmentsDeclareWhatTheEngineNeeds(t *testing.T) {
	require.Len(t, Sources, len(Departments))
	joinColumns := map[Join][]string{
		JoinPersonID: {"id_number"}, JoinHeadID: {"head_id_number"},
		JoinVillageHousehold: {"village_code", "household_no"}, JoinHouseholdNo: {"household_no"},
		JoinCounty: {"county_code"},
	}
	for _, d := range Departments {
		t.Run(d.Name, func(t *testing.T) {
			for _, c := range joinColumns[d.Join] {
				require.GreaterOrEqual(t, d.ColumnIndex(c), 0, "join column %s", c)
			}
			if len(d.Facts) == 0 {
				return
			}
			want := HouseholdYearTable.Name
			if d.Join == JoinPersonID {
				want = PersonMonthTable.Name
			}
			require.Equal(t, want, d.Table, "facts go to the table of the join")
			for _, f := range d.Facts {
				require.NotEmpty(t, f.Comment, "fact %s", f.Column)
				for _, c := range []string{f.From, f.WhenColumn, f.WithinColumn, f.By, f.PreferColumn} {
					if c != "" {
						require.GreaterOrEqual(t, d.ColumnIndex(c), 0, "fact %s reads %s", f.Column, c)
					}
				}
				switch f.Rollup {
				case RollSum:
					require.Equal(t, FactMoney, f.Kind, "fact %s: a sum is money", f.Column)
					col, _ := d.Column(f.From)
					require.Equal(t, Money, col.Kind, "fact %s sums a money column", f.Column)
				case RollAny:
					require.Equal(t, FactFlag, f.Kind, "fact %s: any is a flag", f.Column)
				case RollMax:
					col, _ := d.Column(f.By)
					require.Contains(t, []Kind{Money, Month}, col.Kind, "fact %s: RollMax orders by an amount or a month", f.Column)
				case RollFirst:
					require.NotEmpty(t, f.PreferColumn, "fact %s: RollFirst needs the row it prefers", f.Column)
				}
				if f.Within != WithinAnyTime {
					col, _ := d.Column(f.WithinColumn)
					want := map[Window]Kind{WithinPeriodYear: Integer, WithinYearToDate: Month, WithinPeriodEnd: Date}[f.Within]
					require.Equal(t, want, col.Kind, "fact %s: window column kind", f.Column)
				}
				if f.Persist == PersistLatestInYear {
					require.Contains(t, columnsOf(d), f.LatestBy, "fact %s: LatestBy is a fact of the department", f.Column)
				}
				table := PersonMonthTable
				if d.Table == HouseholdYearTable.Name {
					table = HouseholdYearTable
				}
				require.Contains(t, table.Columns, TableColumn{f.Column, f.Kind.ClickHouseType()}, "fact %s is a column of %s with its kind's type", f.Column, d.Table)
				if f.Village {
					require.Equal(t, JoinVillageHousehold, d.Join, "fact %s: village facts need village codes", f.Column)
				}
			}
		})
	}
	_, err := DepartmentByName("no_such_department")
	require.Error(t, err)
}

// columnsOf lists the fact columns a department declares.
func columnsOf(d Department) []string {
	var out []string
	for _, f := range d.Facts {
		out = append(out, f.Column)
	}
	return out
}

// TestDepartmentFactsHaveTheirMigration: every declared fact column is
// added by a migration, with the COMMENT the declaration gives (COMMENT
// COLUMN too, for ClickHouse 18.16), or — the eight original departments'
// — created with it by a CREATE TABLE.
func TestDepartmentFactsHaveTheirMigration(t *testing.T) {
	ms, err := Migrations()
	require.NoError(t, err)
	var all strings.Builder
	for _, m := range ms {
		for _, s := range m.Statements {
			all.WriteString(s + "\n")
		}
	}
	sql := all.String()
	for _, d := range Departments {
		for _, f := range d.Facts {
			added := fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s COMMENT '%s'", d.Table, f.Column, f.Kind.ClickHouseType(), f.Comment)
			if strings.Contains(sql, added) {
				require.Contains(t, sql, fmt.Sprintf("ALTER TABLE %s COMMENT COLUMN %s '%s'", d.Table, f.Column, f.Comment), "%s.%s", d.Name, f.Column)
				continue
			}
			// The original departments' columns are in a CREATE TABLE
			// (0001, person_month's rebuild in 0003).
			require.Contains(t, sql, fmt.Sprintf("\n    %s %s COMMENT '%s'", f.Column, f.Kind.ClickHouseType(), f.Comment), "%s.%s: neither added nor created with its declared type and COMMENT", d.Name, f.Column)
		}
	}
}
