package values

import "fmt"

// FormatFen renders an amount of fen as yuan with two decimals: 123456 → "1234.56".
func FormatFen(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
