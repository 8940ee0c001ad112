package values

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int64 // fen
	}{
		{"whole yuan", "1234", 123400},
		{"one decimal", "1234.5", 123450},
		{"two decimals", "1234.56", 123456},
		{"thousands separator", "1,234.50", 123450},
		{"millions", "12,345,678.09", 1234567809},
		{"full-width yen sign", "￥1234.5", 123450},
		{"half-width yen sign", "¥1234.5", 123450},
		{"space after yen sign", "¥ 1,234.50", 123450},
		{"yuan suffix", "1234元", 123400},
		{"yuan suffix after space", "1234.5 元", 123450},
		{"yen sign and yuan suffix", "￥12元", 1200},
		{"full-width digits", "１２３４．５", 123450},
		{"full-width comma and point", "１，２３４．５０", 123450},
		{"surrounding spaces", "  1234.50\t", 123450},
		{"ideographic spaces", "\u30001234.50\u3000", 123450},
		{"negative", "-12.3", -1230},
		{"explicit plus", "+12.3", 1230},
		{"minus before yen sign", "-¥12.3", -1230},
		{"minus after yen sign", "¥-12.3", -1230},
		{"full-width minus", "－１２.３", -1230},
		{"zero", "0", 0},
		{"zero with decimals", "0.00", 0},
		{"negative zero", "-0", 0},
		{"one fen", "0.01", 1},
		{"trailing zero decimals", "12.300", 1230},
		{"many trailing zero decimals", "12.34000", 1234},
		{"leading zeros", "007.5", 750},
		{"largest amount", "92233720368547758.07", 9223372036854775807},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseMoneyRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		msg  string
	}{
		{"empty", "", `parsing amount "": empty`},
		{"only spaces", "   ", `parsing amount "   ": empty`},
		{"three decimals", "12.345", `parsing amount "12.345": more than 2 decimals`},
		{"significant digit after zeros", "12.3001", `parsing amount "12.3001": more than 2 decimals`},
		{"decimal comma", "1,5", `parsing amount "1,5": misplaced thousands separator`},
		{"group of four", "1234,567", `parsing amount "1234,567": misplaced thousands separator`},
		{"leading comma", ",123", `parsing amount ",123": misplaced thousands separator`},
		{"double comma", "1,,234", `parsing amount "1,,234": misplaced thousands separator`},
		{"comma in fraction", "1.234,5", `parsing amount "1.234,5": unexpected character ','`},
		{"letters", "abc", `parsing amount "abc": unexpected character 'a'`},
		{"wan unit", "1.2万", `parsing amount "1.2万": unexpected character '万'`},
		{"only yen sign", "¥", `parsing amount "¥": no digits`},
		{"only minus", "-", `parsing amount "-": no digits`},
		{"no integer part", ".5", `parsing amount ".5": no digits`},
		{"point without fraction", "5.", `parsing amount "5.": no digits after the decimal point`},
		{"two points", "1.2.3", `parsing amount "1.2.3": unexpected character '.'`},
		{"two signs", "--5", `parsing amount "--5": unexpected character '-'`},
		{"sign on both sides of yen", "-¥-5", `parsing amount "-¥-5": unexpected character '-'`},
		{"inner space", "12 34", `parsing amount "12 34": unexpected character ' '`},
		{"scientific notation", "1E+5", `parsing amount "1E+5": unexpected character 'E'`},
		{"overflow", "92233720368547758.08", `parsing amount "92233720368547758.08": out of range`},
		{"overflow in whole yuan", "100000000000000000", `parsing amount "100000000000000000": out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMoney(tt.in)
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestParseMoneyEmptyIsErrEmpty(t *testing.T) {
	_, err := ParseMoney("\u3000")
	require.ErrorIs(t, err, ErrEmpty)
	_, err = ParseMoney("abc")
	require.NotErrorIs(t, err, ErrEmpty)
}

// BenchmarkParseMoney runs each form separately: ASCII text is parsed without
// allocating, full-width text pays for one width fold.
func BenchmarkParseMoney(b *testing.B) {
	for _, in := range []string{"1,234.50", "1234.5", "￥1234.5", "１２３４．５", "0"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseMoney(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
