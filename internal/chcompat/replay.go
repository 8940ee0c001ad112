package chcompat

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Failure is a statement that failed or gave different results.
type Failure struct {
	Index     int
	Statement Statement
	Problem   string
}

func (f Failure) String() string {
	return fmt.Sprintf("statement %d (%s, from %s): %s\n    %s", f.Index, f.Statement.Kind, f.Statement.Caller, f.Problem, abbreviate(f.Statement.SQL))
}

// Tally counts what a replay proved.
type Tally struct {
	Exec, Insert, Query int // statements run on both engines with the same outcome
	Rows                int // result rows compared
	OldOnly             int // statements only old servers are sent (OldServersOnly)
}

// Total is the number of statements proven on both engines.
func (t Tally) Total() int { return t.Exec + t.Insert + t.Query }

// mutationWait bounds waiting for an ALTER … UPDATE/DELETE to finish.
const mutationWait = 2 * time.Minute

// OldServersOnly are the program's functions whose statements it sends only
// to servers older than current releases, and why: they are replayed on the
// old engine alone (counted in Tally.OldOnly), never compared.
var OldServersOnly = map[string]string{
	"zengshou/pipeline/sink/clickhouse.(*Sink).awaitReplaced":  "the 18.16 work-around for replaced parts coming back at a restart; current releases keep an empty covering part and the program skips the wait (Sink.revives)",
	"zengshou/pipeline/sink/clickhouse.(*Sink).partitionParts": "reads system.parts for that wait only; part names and states are server internals that differ between versions",
}

// VersionDependent are the program's functions whose queries answer with
// the server's own facts (its version), run on both engines, never compared.
var VersionDependent = map[string]string{
	"zengshou/pipeline/sink/clickhouse.(*Sink).serverRevivesReplacedParts": "SELECT version(): the point is that it differs",
}

// Replay runs stmts in order on old and current. Statements without a
// result must succeed on both; the results of queries must be equal — row
// by row when the statement orders its rows at the top level, as sets of
// rows otherwise. After a mutation both engines are waited for until it is
// done, as the program does.
func Replay(ctx context.Context, stmts []Statement, old, current Engine) (Tally, []Failure) {
	var tally Tally
	var fails []Failure
	fail := func(i int, st Statement, format string, args ...any) {
		fails = append(fails, Failure{Index: i, Statement: st, Problem: fmt.Sprintf(format, args...)})
	}
	for i, st := range stmts {
		if st.Err != "" {
			fail(i, st, "not replayable: %s", st.Err)
			continue
		}
		if _, ok := OldServersOnly[st.Caller]; ok {
			var err error
			if st.Kind == KindExec || st.Kind == KindInsert {
				err = old.Exec(ctx, st.SQL)
			} else {
				_, err = old.Query(ctx, st.SQL)
			}
			if err != nil && !strings.Contains(st.SQL, "DROP PARTITION ID") {
				fail(i, st, "fails on ClickHouse %s: %v", old.Version(), err)
			}
			tally.OldOnly++
			continue
		}
		switch st.Kind {
		case KindExec, KindInsert:
			if err := old.Exec(ctx, st.SQL); err != nil {
				fail(i, st, "fails on ClickHouse %s: %v", old.Version(), err)
				continue
			}
			if err := current.Exec(ctx, st.SQL); err != nil {
				fail(i, st, "fails on ClickHouse %s: %v", current.Version(), err)
				continue
			}
			if isMutation(st.SQL) {
				for _, e := range []Engine{old, current} {
					if err := awaitMutations(ctx, e); err != nil {
						fail(i, st, "waiting for the mutation on ClickHouse %s: %v", e.Version(), err)
					}
				}
			}
			if st.Kind == KindExec {
				tally.Exec++
			} else {
				tally.Insert++
			}
		default:
			a, err := old.Query(ctx, st.SQL)
			if err != nil {
				fail(i, st, "fails on ClickHouse %s: %v", old.Version(), err)
				continue
			}
			b, err := current.Query(ctx, st.SQL)
			if err != nil {
				fail(i, st, "fails on ClickHouse %s: %v", current.Version(), err)
				continue
			}
			if _, ok := VersionDependent[st.Caller]; ok {
				tally.Query++
				continue
			}
			if diff := compare(a, b, Ordered(st.SQL)); diff != "" {
				fail(i, st, "results differ (ClickHouse %s vs %s): %s", old.Version(), current.Version(), diff)
				continue
			}
			tally.Query++
			tally.Rows += len(lines(a))
		}
	}
	return tally, fails
}

func isMutation(sql string) bool {
	u := strings.ToUpper(sql)
	return strings.HasPrefix(strings.TrimSpace(u), "ALTER TABLE") &&
		(strings.Contains(u, " UPDATE ") || strings.Contains(u, " DELETE "))
}

func awaitMutations(ctx context.Context, e Engine) error {
	deadline := time.Now().Add(mutationWait)
	for {
		out, err := e.Query(ctx, "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND is_done = 0")
		if err != nil {
			return err
		}
		if strings.TrimSpace(out) == "0" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not done after %s", mutationWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Ordered reports whether sql has an ORDER BY outside parentheses (ordering
// the result rather than a subquery) — only then is row order compared.
func Ordered(sql string) bool {
	u := strings.ToUpper(sql)
	depth := 0
	inString := false
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '\'' {
				inString = false
			}
		case c == '\'':
			inString = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(u[i:], "ORDER BY") && (i == 0 || !isIdent(u[i-1])):
			return true
		}
	}
	return false
}

func isIdent(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func lines(out string) []string {
	out = strings.TrimSuffix(out, "\n")
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// compare returns "" when the outputs are equal, else the first difference.
func compare(a, b string, ordered bool) string {
	la, lb := lines(a), lines(b)
	if !ordered {
		slices.Sort(la)
		slices.Sort(lb)
	}
	if len(la) != len(lb) {
		return fmt.Sprintf("%d rows vs %d rows (first rows %q vs %q)", len(la), len(lb), first(la), first(lb))
	}
	for i := range la {
		if !sameRow(la[i], lb[i]) {
			return fmt.Sprintf("row %d: %q vs %q", i+1, la[i], lb[i])
		}
	}
	return ""
}

// sameRow compares two TabSeparated rows field by field. Two spellings are
// the same value: 18.16 writes the zero Date and DateTime as 0000-00-00
// (00:00:00) where current versions write 1970-01-01; and floating-point
// fields agreeing to 12 significant digits are equal (18.16 parses a float
// literal to the nearest but one double, and sums in another order).
func sameRow(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := strings.Split(a, "\t"), strings.Split(b, "\t")
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if !sameField(fa[i], fb[i]) {
			return false
		}
	}
	return true
}

func sameField(a, b string) bool {
	if a == b {
		return true
	}
	if zeroDate(a) == zeroDate(b) {
		return true
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil || !strings.ContainsAny(a+b, ".e") {
		return false
	}
	return math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y))
}

func zeroDate(s string) string {
	s = strings.ReplaceAll(s, "0000-00-00 00:00:00", "1970-01-01 00:00:00")
	return strings.ReplaceAll(s, "0000-00-00", "1970-01-01")
}

func first(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

func abbreviate(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
