package values

import "fmt"

// ParseInt parses a whole number such as a household size or a year: an
// optional sign, digits (full-width digits folded), optional thousands
// separators, and surrounding white space. Excel often renders a whole number
// stored as a float as 3.0, so a fraction made only of zeros is accepted;
// 3.5 is an error, because truncating it would hide a wrong cell.
func ParseInt(s string) (int64, error) {
	t := fold(s)
	if t == "" {
		return 0, fmt.Errorf("parsing integer %q: %w", s, ErrEmpty)
	}
	t, _, neg := cutSign(t)
	n, err := parseDecimal(t, 0)
	if err != nil {
		return 0, fmt.Errorf("parsing integer %q: %w", s, err)
	}
	if neg {
		n = -n
	}
	return n, nil
}
