package values

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseYesNo(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"是", true},
		{"否", false},
		{"Y", true},
		{"N", false},
		{"y", true},
		{"n", false},
		{"1", true},
		{"0", false},
		{"true", true},
		{"false", false},
		{"TRUE", true},
		{"FALSE", false},
		{"True", true},
		{"fAlSe", false},
		{" 是 ", true},
		{"\u3000否\u3000", false},
		{"Ｙ", true},
		{"ｎ", false},
		{"１", true},
		{"０", false},
		{"ＴＲＵＥ", true},
		{"ｆａｌｓｅ", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYesNo(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseYesNoRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		msg  string
	}{
		{"empty", "", `parsing yes/no "": empty`},
		{"only spaces", " ", `parsing yes/no " ": empty`},
		{"other word", "maybe", `parsing yes/no "maybe": not one of 是/否, Y/N, 1/0, true/false`},
		{"other number", "2", `parsing yes/no "2": not one of 是/否, Y/N, 1/0, true/false`},
		{"Excel float rendering", "1.0", `parsing yes/no "1.0": not one of 是/否, Y/N, 1/0, true/false`},
		{"two answers", "是否", `parsing yes/no "是否": not one of 是/否, Y/N, 1/0, true/false`},
		{"Chinese 有", "有", `parsing yes/no "有": not one of 是/否, Y/N, 1/0, true/false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYesNo(tt.in)
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestParseYesNoEmptyIsErrEmpty(t *testing.T) {
	_, err := ParseYesNo("")
	require.ErrorIs(t, err, ErrEmpty)
}
