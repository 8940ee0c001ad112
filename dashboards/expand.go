package dashboards

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Values are concrete values for the template variables and the time range,
// standing in for what Grafana and the ClickHouse plugin substitute before a
// query is sent.
type Values struct {
	// Period is the selected period, the first day of a month.
	Period time.Time
	// Cities and Counties are the selected codes; empty means "All".
	Cities, Counties []string
	// From and To are the dashboard's time range.
	From, To time.Time
}

// Macros are the ClickHouse plugin macros the dashboards may use, each
// documented by the plugin (README "Macros").
var Macros = []string{"$__dateFilter", "$__timeFilter", "$__conditionalAll"}

// Variables are the template variables the dashboards define.
var Variables = []string{"period", "city", "county"}

var (
	macroRef    = regexp.MustCompile(`\$__[A-Za-z_]+`)
	variableRef = regexp.MustCompile(`\$\{([a-z]+)(?::([a-z]+))?\}|\$([a-z]+)`)
)

// Expand substitutes macros and template variables the way the plugin and
// Grafana do, so that a panel's SQL can be run directly. It fails on a
// macro or variable the dashboards do not define.
func Expand(sql string, v Values) (string, error) {
	out := sql
	for {
		i := strings.Index(out, "$__conditionalAll(")
		if i < 0 {
			break
		}
		args, end, err := macroArgs(out, i+len("$__conditionalAll("))
		if err != nil {
			return "", err
		}
		if len(args) != 2 {
			return "", fmt.Errorf("expanding $__conditionalAll at %d: want 2 arguments, have %d", i, len(args))
		}
		name := strings.TrimPrefix(strings.TrimSpace(args[1]), "$")
		selected, err := v.selection(name)
		if err != nil {
			return "", err
		}
		cond := "1=1"
		if len(selected) > 0 {
			cond = strings.TrimSpace(args[0])
		}
		out = out[:i] + cond + out[end:]
	}
	for _, m := range []struct {
		macro  string
		render func(col string) string
	}{
		{"$__dateFilter(", func(col string) string {
			return fmt.Sprintf("%s >= toDate('%s') AND %s <= toDate('%s')", col, v.From.UTC().Format(time.DateOnly), col, v.To.UTC().Format(time.DateOnly))
		}},
		{"$__timeFilter(", func(col string) string {
			return fmt.Sprintf("%s >= toDateTime(%d) AND %s <= toDateTime(%d)", col, v.From.Unix(), col, v.To.Unix())
		}},
	} {
		for {
			i := strings.Index(out, m.macro)
			if i < 0 {
				break
			}
			args, end, err := macroArgs(out, i+len(m.macro))
			if err != nil {
				return "", err
			}
			if len(args) != 1 {
				return "", fmt.Errorf("expanding %s) at %d: want 1 argument, have %d", m.macro, i, len(args))
			}
			out = out[:i] + m.render(strings.TrimSpace(args[0])) + out[end:]
		}
	}
	if m := macroRef.FindString(out); m != "" {
		return "", fmt.Errorf("expanding %q: macro %s is not one the dashboards use (%s)", sql, m, strings.Join(Macros, ", "))
	}
	var expandErr error
	out = variableRef.ReplaceAllStringFunc(out, func(ref string) string {
		parts := variableRef.FindStringSubmatch(ref)
		name, format := parts[1], parts[2]
		if name == "" {
			name = parts[3]
		}
		var vals []string
		if name == "period" {
			vals = []string{v.Period.Format(time.DateOnly)}
		} else {
			sel, err := v.selection(name)
			if err != nil {
				expandErr = err
				return ref
			}
			vals = sel
		}
		switch format {
		case "":
			return strings.Join(vals, ",")
		case "singlequote":
			q := make([]string, len(vals))
			for i, s := range vals {
				q[i] = "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
			}
			return strings.Join(q, ",")
		}
		expandErr = fmt.Errorf("expanding %s: format %q is not used by the dashboards", ref, format)
		return ref
	})
	if expandErr != nil {
		return "", expandErr
	}
	if strings.Contains(out, "$") {
		return "", fmt.Errorf("expanding %q: a $ is left after expansion", sql)
	}
	return out, nil
}

// selection returns the codes selected for a multi-value variable.
func (v Values) selection(name string) ([]string, error) {
	switch name {
	case "city":
		return v.Cities, nil
	case "county":
		return v.Counties, nil
	}
	return nil, fmt.Errorf("expanding variable %s: not a multi-value variable of the dashboards", strconv.Quote(name))
}

// macroArgs splits the arguments of a macro call starting at start (just
// after the opening parenthesis) at top-level commas, returning them and the
// index after the closing parenthesis.
func macroArgs(s string, start int) ([]string, int, error) {
	depth, quoted := 0, false
	argStart := start
	var args []string
	for i := start; i < len(s); i++ {
		switch c := s[i]; {
		case quoted:
			if c == '\\' {
				i++
			} else if c == '\'' {
				quoted = false
			}
		case c == '\'':
			quoted = true
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ')':
			return append(args, s[argStart:i]), i + 1, nil
		case c == ',' && depth == 0:
			args = append(args, s[argStart:i])
			argStart = i + 1
		}
	}
	return nil, 0, fmt.Errorf("expanding macro at %d: no closing parenthesis", start)
}

// PromValues are concrete values for Grafana's interval variables in a
// Prometheus panel: the dashboard's range ($__range), the step of a range
// query ($__interval) and the rate window ($__rate_interval: Grafana takes
// the larger of $__interval + the scrape interval and four scrape
// intervals).
type PromValues struct {
	Range, Interval, RateInterval time.Duration
}

// PromVariables are the Grafana variables the PromQL of the dashboards may
// use.
var PromVariables = []string{"$__range", "$__rate_interval", "$__interval"}

var promVariableRef = regexp.MustCompile(`\$\{?__[a-z_]+\}?`)

// ExpandPromQL substitutes Grafana's interval variables the way Grafana
// does before it sends a query to Prometheus (durations as whole seconds).
// It fails on any other variable.
func ExpandPromQL(expr string, v PromValues) (string, error) {
	var expandErr error
	out := promVariableRef.ReplaceAllStringFunc(expr, func(ref string) string {
		var d time.Duration
		switch strings.Trim(ref, "${}") {
		case "__range":
			d = v.Range
		case "__rate_interval":
			d = v.RateInterval
		case "__interval":
			d = v.Interval
		default:
			expandErr = fmt.Errorf("expanding %q: variable %s is not one the dashboards use (%s)", expr, ref, strings.Join(PromVariables, ", "))
			return ref
		}
		if d < time.Second {
			expandErr = fmt.Errorf("expanding %s in %q: %s is shorter than a second", ref, expr, d)
			return ref
		}
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	})
	if expandErr != nil {
		return "", expandErr
	}
	if strings.Contains(out, "$") {
		return "", fmt.Errorf("expanding %q: a $ is left after expansion", expr)
	}
	return out, nil
}
