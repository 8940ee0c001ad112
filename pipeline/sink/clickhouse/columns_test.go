package clickhouse_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"zengshou/internal/testenv"
	"zengshou/schemas"
)

// TestStagedMoneyAndListsAreTheValuesBuilt: the load writes money as the
// fen it was built from, to the last fen and at both ends of Int64, null
// where a Nullable amount is null, and every Array(String) with its
// elements in order, an empty one included.
func TestStagedMoneyAndListsAreTheValuesBuilt(t *testing.T) {
	mem := checkedAllocator(t)
	s := connect(t, testenv.ClickHouse(t))
	run := newRun("exact", june)
	require.NoError(t, s.Begin(t.Context(), run))

	fens := []int64{0, 1, -1, 99, -100, 123456789, -987654321012, 999999999999999999, math.MaxInt64, math.MinInt64}
	hy := schemas.NewRowBuilder(schemas.HouseholdYearTable, mem)
	pm := schemas.NewRowBuilder(schemas.PersonMonthTable, mem)
	lists := [][]string{{}, {"roster"}, {"roster", "medical", "pension"}}
	for i, fen := range fens {
		fillRow(t, hy, schemas.HouseholdYearTable, run.ID, i, fen, nil)
		fillRow(t, pm, schemas.PersonMonthTable, run.ID, i, fen, lists[i%len(lists)])
	}
	for _, b := range []struct {
		rb    *schemas.RowBuilder
		table schemas.Table
	}{{hy, schemas.HouseholdYearTable}, {pm, schemas.PersonMonthTable}} {
		rec, err := b.rb.Finish()
		require.NoError(t, err)
		require.NoError(t, s.Stage(t.Context(), b.table, rec))
		rec.Release()
		b.rb.Release()
	}

	rows, err := s.Conn().Query(t.Context(), "SELECT household_key, medical_oop, prev_year_per_capita FROM stage_household_year_exact ORDER BY household_key")
	require.NoError(t, err)
	i := 0
	for rows.Next() {
		var code string
		var oop decimal.Decimal
		var prev *decimal.Decimal
		require.NoError(t, rows.Scan(&code, &oop, &prev))
		require.Equal(t, decimal.New(fens[i], -2).String(), oop.String(), "medical_oop of row %d", i)
		if i%2 == 0 {
			require.Nil(t, prev, "prev_year_per_capita of row %d", i)
		} else {
			require.NotNil(t, prev, "prev_year_per_capita of row %d", i)
			require.Equal(t, decimal.New(fens[i], -2).String(), prev.String(), "prev_year_per_capita of row %d", i)
		}
		i++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, len(fens), i)

	rows, err = s.Conn().Query(t.Context(), "SELECT person_key, sources_present FROM stage_person_month_exact ORDER BY person_key")
	require.NoError(t, err)
	i = 0
	for rows.Next() {
		var key string
		var sources []string
		require.NoError(t, rows.Scan(&key, &sources))
		require.Equal(t, lists[i%len(lists)], sources, "sources_present of row %d", i)
		i++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, len(fens), i)
}

// fillRow sets row i of table: every amount fen, nullable values null on
// even rows, list in every Array(String), text naming the column and row
// (zero-padded, so that it sorts as i does).
func fillRow(t *testing.T, rb *schemas.RowBuilder, table schemas.Table, runID string, i int, fen int64, list []string) {
	t.Helper()
	for _, c := range table.Columns {
		typ, nullable := c.Type, false
		if inner, ok := strings.CutPrefix(typ, "Nullable("); ok {
			typ, nullable = strings.TrimSuffix(inner, ")"), true
		}
		if nullable && i%2 == 0 {
			rb.Null(c.Name)
			continue
		}
		switch typ {
		case "Date":
			rb.Date(c.Name, june.FirstDay())
		case "String":
			if c.Name == "run_id" {
				rb.Str(c.Name, runID)
			} else {
				rb.Str(c.Name, fmt.Sprintf("%s-%03d", c.Name, i))
			}
		case "UInt8":
			rb.U8(c.Name, uint8(i%2))
		case "UInt16":
			rb.U16(c.Name, uint16(june.Year()))
		case "Float64":
			rb.F64(c.Name, float64(i)+0.5)
		case "Decimal(18, 2)":
			rb.Money(c.Name, fen)
		case "Array(String)":
			rb.Strings(c.Name, list)
		default:
			t.Fatalf("fillRow: no value for %s.%s of type %s", table.Name, c.Name, c.Type)
		}
	}
	rb.EndRow()
}
