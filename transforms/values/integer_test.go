package values

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64
	}{
		{"digits", "3", 3},
		{"several digits", "2025", 2025},
		{"zero", "0", 0},
		{"negative", "-4", -4},
		{"explicit plus", "+4", 4},
		{"surrounding spaces", " 5\t", 5},
		{"ideographic spaces", "\u30005\u3000", 5},
		{"full-width digits", "１２", 12},
		{"full-width minus", "－１２", -12},
		{"Excel float rendering", "3.0", 3},
		{"Excel float rendering, two zeros", "3.00", 3},
		{"full-width point", "３．０", 3},
		{"thousands separator", "1,234", 1234},
		{"leading zeros", "007", 7},
		{"largest", "9223372036854775807", 9223372036854775807},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInt(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseIntRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		msg  string
	}{
		{"empty", "", `parsing integer "": empty`},
		{"only spaces", "  ", `parsing integer "  ": empty`},
		{"fraction", "3.5", `parsing integer "3.5": not a whole number`},
		{"fraction after zero", "3.05", `parsing integer "3.05": not a whole number`},
		{"point without fraction", "3.", `parsing integer "3.": no digits after the decimal point`},
		{"letters", "three", `parsing integer "three": unexpected character 't'`},
		{"unit", "3人", `parsing integer "3人": unexpected character '人'`},
		{"only sign", "-", `parsing integer "-": no digits`},
		{"decimal comma", "3,5", `parsing integer "3,5": misplaced thousands separator`},
		{"scientific notation", "3E+2", `parsing integer "3E+2": unexpected character 'E'`},
		{"overflow", "9223372036854775808", `parsing integer "9223372036854775808": out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseInt(tt.in)
			require.EqualError(t, err, tt.msg)
		})
	}
}
