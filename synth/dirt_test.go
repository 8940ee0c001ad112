package synth

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"zengshou/schemas"
	"zengshou/transforms/idnum"
)

// testIDs are valid numbers: born in the 1900s and the 2000s, with a digit
// and with an X check character.
var testIDs = func() []string {
	var out []string
	for _, body := range []string{"36073119900101123", "36073119900101008", "36010220150630002", "36112719451201045", "36042820081111067"} {
		out = append(out, body+string(idnum.CheckChar(body)))
	}
	return out
}()

func TestRepairableIDFormsNormalise(t *testing.T) {
	d := rand.New(rand.NewPCG(1, 2))
	seenX := false
	for _, id := range testIDs {
		seenX = seenX || id[17] == 'X'
		for i := 0; i < 200; i++ {
			raw := repairableID(d, id)
			got, err := idnum.Normalize(raw)
			require.NoError(t, err, raw)
			require.Equal(t, id, got, raw)
			if len(raw) == 15 {
				require.Equal(t, "19", id[6:8], "legacy numbers only for the 1900s")
			}
		}
	}
	require.True(t, seenX, "the test IDs include an X check character")
}

func TestInvalidIDFormsAreRejected(t *testing.T) {
	d := rand.New(rand.NewPCG(3, 4))
	for _, id := range testIDs {
		for i := 0; i < 200; i++ {
			raw := invalidID(d, id)
			_, err := idnum.Normalize(raw)
			require.ErrorIs(t, err, idnum.ErrInvalid, raw)
		}
	}
	for {
		if raw := invalidID(d, testIDs[0]); strings.Contains(raw, "E+") {
			require.Equal(t, "3.60731199001011E+17", raw, "Excel keeps 15 significant digits")
			break
		}
	}
}

func TestAmountFormsKeepTheValue(t *testing.T) {
	d := rand.New(rand.NewPCG(5, 6))
	for _, fen := range []int64{0, 5, 150, 123450, 123456789, 100000} {
		for i := 0; i < 50; i++ {
			raw := amountForm(d, fen)
			got, err := parseAmount(raw)
			require.NoError(t, err, raw)
			require.Equal(t, fen, got, raw)
		}
	}
	require.Equal(t, "1,234,567.89", thousands("1234567.89"))
	require.Equal(t, "999.00", thousands("999.00"))
}

func TestDateFormsKeepTheValue(t *testing.T) {
	d := rand.New(rand.NewPCG(7, 8))
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		m := dateForm(d, "2025-06")
		got, err := parseAnyMonth(m)
		require.NoError(t, err, m)
		require.Equal(t, "2025-06", got)
		seen[m] = true

		day := dateForm(d, "2025-06-03")
		gotDay, err := parseAnyDate(day)
		require.NoError(t, err, day)
		require.Equal(t, "2025-06-03", gotDay)
		seen[day] = true
	}
	for _, form := range []string{"2025/06", "202506", "2025年6月", "2025/6/3", "20250603"} {
		require.True(t, seen[form], form)
	}
}

func TestOtherMonthIsNeverThePeriod(t *testing.T) {
	d := rand.New(rand.NewPCG(9, 10))
	p := monthOf(2025, 3)
	for i := 0; i < 500; i++ {
		require.NotEqual(t, p, otherMonth(d, p))
	}
}

func TestDirtPickerKeepsApplicableKinds(t *testing.T) {
	all := DirtyRates{IDForms: 0.1, IDInvalid: 0.1, AmountForms: 0.1, MonthForms: 0.1, PeriodMismatch: 0.1,
		MedicalInconsistent: 0.1, DuplicatePerson: 0.1, UnknownRegion: 0.1, UnmatchedPersons: 0.05, Ragged: 0.05}
	for _, tc := range []struct {
		src  int
		want []dirtKind
	}{
		{srcRoster, []dirtKind{dirtIDForm, dirtIDInvalid, dirtDuplicate, dirtRegion, dirtRagged}},
		{srcHouseholdIncome, []dirtKind{dirtAmount, dirtUnmatched, dirtRagged}},
		{srcEducation, []dirtKind{dirtIDForm, dirtIDInvalid, dirtAmount, dirtMonth, dirtUnmatched, dirtRagged}},
		{srcMedical, []dirtKind{dirtIDForm, dirtIDInvalid, dirtAmount, dirtMedical, dirtUnmatched, dirtRagged}},
		{srcCivil, []dirtKind{dirtIDForm, dirtIDInvalid, dirtAmount, dirtMonth, dirtPeriod, dirtUnmatched, dirtRagged}},
		{srcEmployment, []dirtKind{dirtIDForm, dirtIDInvalid, dirtAmount, dirtMonth, dirtPeriod, dirtUnmatched, dirtRagged}},
		{srcPension, []dirtKind{dirtIDForm, dirtIDInvalid, dirtAmount, dirtMonth, dirtPeriod, dirtUnmatched, dirtRagged}},
		{srcSales, []dirtKind{dirtAmount, dirtMonth, dirtPeriod, dirtRegion, dirtRagged}},
	} {
		src := schemas.Sources[tc.src]
		t.Run(src.Name, func(t *testing.T) {
			p := newDirtPicker(all, src, rolesOf(src))
			require.Equal(t, tc.want, p.kinds)
		})
	}
}

func TestFullWidth(t *testing.T) {
	require.Equal(t, "３６０７３１Ｘ.５", fullWidth("360731X.5"))
	require.True(t, strings.HasPrefix(fullWidth("12"), "１"))
}
