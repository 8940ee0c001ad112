package idnum

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Test numbers. Two are verified by hand against GB 11643-1999
// (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder → check
// 0→1 1→0 2→X 3→9 4→8 5→7 6→6 7→5 8→4 9→3 10→2):
//
// male1990 = 36010219900101123X
//
//	digits   3  6  0  1  0  2  1  9  9  0  0  1  0  1  1  2  3
//	products 21 54 0  5  0  8  2  9  54 0  0  9  0  5  8  8  6
//	sum 189 = 17×11 + 2, remainder 2 → X
//
// female1990 = 360102199003070022
//
//	digits   3  6  0  1  0  2  1  9  9  0  0  3  0  7  0  0  2
//	products 21 54 0  5  0  8  2  9  54 0  0  27 0  35 0  0  4
//	sum 219 = 19×11 + 10, remainder 10 → 2
//
// The others are built with CheckChar through withCheck.
const (
	male1990   = "36010219900101123X"
	female1990 = "360102199003070022"
	// masked is the example of the masked display form: sum 288 = 26×11 + 2 → X.
	masked = "36073119850109123X"
)

// withCheck appends the computed check character to 17 digits.
func withCheck(first17 string) string {
	return first17 + string(CheckChar(first17))
}

// wrongCheck appends a check character that is not the computed one.
func wrongCheck(first17 string) string {
	c := CheckChar(first17)
	if c == '0' {
		return first17 + "1"
	}
	return first17 + "0"
}

func TestCheckChar(t *testing.T) {
	require.Equal(t, byte('X'), CheckChar(male1990[:17]))
	require.Equal(t, byte('2'), CheckChar(female1990[:17]))
	require.Equal(t, byte('X'), CheckChar(masked[:17]))
	// A remainder of 0 gives 1, 1 gives 0: 36073119850615123 sums to 323 = 29×11 + 4 → 8.
	require.Equal(t, byte('8'), CheckChar("36073119850615123"))
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"valid 18 digits", female1990, female1990},
		{"valid with X", male1990, male1990},
		{"surrounding spaces", "  " + female1990 + "\t", female1990},
		{"ideographic spaces", "\u3000" + female1990 + "\u3000", female1990},
		{"full-width digits", "３６０１０２１９９００３０７００２２", female1990},
		{"full-width digits and Ｘ", "３６０１０２１９９００１０１１２３Ｘ", male1990},
		{"lower-case x", "36010219900101123x", male1990},
		{"full-width lower-case ｘ", "36010219900101123ｘ", male1990},
		// 360102 900101 123 → 360102 19 900101 123, then the check character
		// of 36010219900101123, which is X (see male1990).
		{"15-digit legacy", "360102900101123", male1990},
		{"15-digit legacy, digit check", "360731850615123", "360731198506151238"},
		{"15-digit legacy with spaces", " 360102900101123 ", male1990},
		{"Excel leading apostrophe", "'" + female1990, female1990},
		{"Excel apostrophe and spaces", " ' " + female1990 + " ", female1990},
		{"Excel apostrophe on legacy number", "'360102900101123", male1990},
		// Excel keeps 15 significant digits: a 15-digit legacy number in
		// scientific notation is still whole and is repaired by the legacy rule.
		{"scientific notation of a legacy number", "3.60102900101123E+14", male1990},
		{"scientific notation, lower-case e", "3.60102900101123e+14", male1990},
		{"scientific notation with all 18 digits", "3.60102199003070022E+17", female1990},
		{"leap day", withCheck("36010220000229123"), "360102200002291232"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizeRejects(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		reason string
	}{
		{"empty", "", "empty"},
		{"only spaces", "   ", "empty"},
		{"only apostrophe", "'", "empty"},
		// 3.60102199001011E+17 stands for 360102199001011xxx: the sequence
		// code and check character are gone and must not be guessed.
		{"scientific notation that lost digits", "3.60102199001011E+17", "lost digits"},
		{"scientific notation of a legacy number that lost a digit", "3.6010290010112E+14", "lost digits"},
		{"scientific notation of 16 digits", "3.601021990010112E+15", "scientific notation of 16 digits"},
		{"scientific notation with a bad exponent", "3.6E+1x", "malformed exponent"},
		{"scientific notation with a bad mantissa", "36.0102900101123E+13", "malformed scientific notation"},
		{"scientific notation without E+", "3.60102900101123+14", "characters"},
		{"wrong check character", wrongCheck(male1990[:17]), "check character 0, expected X"},
		{"wrong check character X", female1990[:17] + "X", "check character X, expected 2"},
		{"transposed digits", "360102199003700022", "check character"},
		{"February 30", withCheck("36010219900230123"), "impossible birth date"},
		{"February 29 of a common year", withCheck("36010219900229123"), "impossible birth date"},
		{"month 13", withCheck("36010219901301123"), "impossible birth date"},
		{"day 0", withCheck("36010219900100123"), "impossible birth date"},
		{"born before 1880", withCheck("36010218700101123"), "impossible birth date"},
		{"born in the future", withCheck("36010220990101123"), "impossible birth date"},
		{"legacy number with impossible date", "360102900230123", "impossible birth date"},
		{"17 digits", female1990[:17], "17 characters"},
		{"16 digits", female1990[:16], "16 characters"},
		{"19 digits", female1990 + "1", "19 characters"},
		{"Chinese suffix counts as one character", female1990[:17] + "号", "18 characters"},
		{"letters in the body", "3601021990010112AX", "unexpected character"},
		{"letter in a legacy number", "36010290010112A", "15-character number with a non-digit"},
		{"X in the middle", "360102199001X1123X", "unexpected character"},
		{"inner space", "360102 19900101123X", "19 characters"},
		{"negative number", "-36010219900101123", "unexpected character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.raw)
			require.ErrorIs(t, err, ErrInvalid)
			require.ErrorContains(t, err, tt.reason)
			require.Empty(t, got)
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		id   string
		want string
	}{
		{masked, "360731********123X"},
		{female1990, "360102********0022"},
		{"1234567890", "1234567890"},
		{"123456789", "*********"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got := Mask(tt.id)
			require.Equal(t, tt.want, got)
			require.Len(t, got, len(tt.id))
		})
	}
}

func TestSex(t *testing.T) {
	require.Equal(t, "男", Sex(male1990))   // sequence 123: odd
	require.Equal(t, "女", Sex(female1990)) // sequence 002: even
	require.Equal(t, "男", Sex(masked))
	require.Equal(t, "男", Sex(withCheck("36010219800101009"))) // sequence 009: odd
	require.Equal(t, "女", Sex(withCheck("36010219800101010"))) // sequence 010: even
}

func TestBirthDate(t *testing.T) {
	tests := []struct {
		id   string
		want time.Time
	}{
		{male1990, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
		{female1990, time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)},
		{masked, time.Date(1985, 1, 9, 0, 0, 0, 0, time.UTC)},
		{"360102200002291232", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := BirthDate(tt.id)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}

	for _, bad := range []string{withCheck("36010219900230123"), "360102900101123", ""} {
		_, err := BirthDate(bad)
		require.ErrorIs(t, err, ErrInvalid, bad)
	}
}

func TestAgeAt(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	leap := "360102200002291232" // born 2000-02-29
	tests := []struct {
		name string
		id   string
		at   time.Time
		want int
	}{
		{"day before the birthday", male1990, day(2024, 12, 31), 34},
		{"on the birthday", male1990, day(2025, 1, 1), 35},
		{"end of the year", male1990, day(2025, 12, 31), 35},
		{"month before the birthday", female1990, day(2025, 2, 7), 34},
		{"day before the birthday, same month", female1990, day(2025, 3, 6), 34},
		{"birthday, same month", female1990, day(2025, 3, 7), 35},
		{"day of birth", female1990, day(1990, 3, 7), 0},
		{"leap day, common year, 28 February", leap, day(2025, 2, 28), 24},
		{"leap day, common year, 1 March", leap, day(2025, 3, 1), 25},
		{"leap day, leap year", leap, day(2028, 2, 29), 28},
		{"invalid number", withCheck("36010219900230123"), day(2025, 1, 1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, AgeAt(tt.id, tt.at))
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, bm := range []struct{ name, raw string }{
		{"clean", female1990},
		{"spaces and x", " 36010219900101123x "},
		{"full-width", "３６０１０２１９９００３０７００２２"},
		{"legacy", "360102900101123"},
		{"scientific", "3.60102900101123E+14"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Normalize(bm.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{
		male1990, female1990, masked, "36010219900101123x", " '" + female1990,
		"３６０１０２１９９００３０７００２２", "360102900101123", "3.60102900101123E+14",
		"3.60102199001011E+17", "3.60102199003070022E+17", withCheck("36010219900230123"),
		"", "'", "E+", "1E+14", "3.6e+17", "360102 19900101123X",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := Normalize(raw)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalid)
			require.Empty(t, got)
			return
		}
		require.Len(t, got, 18)
		require.Equal(t, strings.Trim(got[:17], "0123456789"), "", "first 17 characters must be digits: %q", got)
		require.Equal(t, CheckChar(got[:17]), got[17], "check character of %q", got)
		_, err = BirthDate(got)
		require.NoError(t, err)
		again, err := Normalize(got)
		require.NoError(t, err)
		require.Equal(t, got, again, "Normalize is not idempotent on %q", raw)
	})
}
