package values

import (
	"errors"
	"fmt"
	"strings"
)

var errNotYesNo = errors.New("not one of 是/否, Y/N, 1/0, true/false")

// ParseYesNo parses a yes/no field: 是/否, Y/N, 1/0 or true/false, in any
// letter case, full-width or not, with surrounding white space. Anything
// else, including an empty cell (wrapping ErrEmpty), is an error: an unknown
// flag is never taken to mean no.
func ParseYesNo(s string) (bool, error) {
	t := fold(s)
	switch {
	case t == "":
		return false, fmt.Errorf("parsing yes/no %q: %w", s, ErrEmpty)
	case t == "是" || t == "1" || strings.EqualFold(t, "y") || strings.EqualFold(t, "true"):
		return true, nil
	case t == "否" || t == "0" || strings.EqualFold(t, "n") || strings.EqualFold(t, "false"):
		return false, nil
	}
	return false, fmt.Errorf("parsing yes/no %q: %w", s, errNotYesNo)
}
