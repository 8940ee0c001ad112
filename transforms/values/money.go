package values

import (
	"fmt"
	"strings"
)

// ParseMoney parses an amount in yuan (元) and returns it as an exact number
// of fen (分, 1/100 yuan), never going through a float. It accepts 1234,
// 1234.5, 1,234.50, a leading currency sign (￥1234.5, ¥1234.5), a trailing
// 元 (1234元), a sign before or after the currency sign (-12.3, ¥-12.3),
// full-width digits and punctuation, and surrounding white space. More than
// two decimals is an error unless the extra digits are zeros (12.300), since
// rounding would invent an amount. Empty text is an error wrapping ErrEmpty;
// whether an empty cell means zero is the caller's decision.
func ParseMoney(s string) (int64, error) {
	t := fold(s)
	if t == "" {
		return 0, fmt.Errorf("parsing amount %q: %w", s, ErrEmpty)
	}
	t, signed, neg := cutSign(t)
	if rest, ok := strings.CutPrefix(t, "¥"); ok {
		t = strings.TrimSpace(rest)
		if !signed {
			t, _, neg = cutSign(t)
		}
	}
	if rest, ok := strings.CutSuffix(t, "元"); ok {
		t = strings.TrimSpace(rest)
	}
	fen, err := parseDecimal(t, 2)
	if err != nil {
		return 0, fmt.Errorf("parsing amount %q: %w", s, err)
	}
	if neg {
		fen = -fen
	}
	return fen, nil
}
