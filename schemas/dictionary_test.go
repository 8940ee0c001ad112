package schemas

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dictionaryPath is the analyst-facing data dictionary, relative to this
// package.
const dictionaryPath = "../docs/data-dictionary.md"

// dictSection is one "## " section of the data dictionary.
type dictSection struct {
	// Table is the first `backticked` identifier of the heading ("" if none).
	Table string
	// Heading is the heading text without the leading "## ".
	Heading string
	// Rows are the markdown table rows whose first cell is a `backticked`
	// identifier: column rows in a table's section, code rows elsewhere.
	Rows []dictRow
}

// dictRow is one such markdown table row.
type dictRow struct {
	Name  string
	Cells []string // the cells after the name
}

var (
	headingTable = regexp.MustCompile("^## .*?`([A-Za-z0-9_]+)`")
	rowName      = regexp.MustCompile("^`([A-Za-z0-9_]+)`$")
)

// parseDictionary splits the dictionary into its "## " sections, ignoring
// fenced code blocks.
func parseDictionary(t *testing.T) []dictSection {
	t.Helper()
	f, err := os.Open(dictionaryPath)
	require.NoError(t, err, "the data dictionary must exist")
	defer f.Close()
	var out []dictSection
	inCode := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		if strings.HasPrefix(line, "## ") {
			s := dictSection{Heading: strings.TrimPrefix(line, "## ")}
			if m := headingTable.FindStringSubmatch(line); m != nil {
				s.Table = m[1]
			}
			out = append(out, s)
			continue
		}
		if len(out) == 0 || !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		m := rowName.FindStringSubmatch(cells[0])
		if m == nil {
			continue
		}
		cur := &out[len(out)-1]
		cur.Rows = append(cur.Rows, dictRow{Name: m[1], Cells: cells[1:]})
	}
	require.NoError(t, sc.Err())
	require.False(t, inCode, "unterminated code block in %s", dictionaryPath)
	return out
}

// tableSections returns the sections that document a table, by table name;
// it fails when a table has two sections.
func tableSections(t *testing.T, sections []dictSection) map[string]dictSection {
	t.Helper()
	out := map[string]dictSection{}
	for _, s := range sections {
		if s.Table == "" || len(s.Rows) == 0 {
			continue
		}
		_, dup := out[s.Table]
		require.False(t, dup, "table %s is documented in two sections", s.Table)
		out[s.Table] = s
	}
	return out
}

// schemaMigrationsColumns are the columns of the bookkeeping table the sink
// creates itself (pipeline/sink/clickhouse/migrate.go), outside Tables.
var schemaMigrationsColumns = []TableColumn{
	{"version", "UInt32"},
	{"name", "String"},
	{"applied_at", "DateTime"},
}

// TestDataDictionaryDocumentsEveryColumn keeps docs/data-dictionary.md true:
// each warehouse table has its own section whose column table lists exactly
// the table's columns, with their ClickHouse types, in insert order, each
// with a meaning; no section documents a table that does not exist.
func TestDataDictionaryDocumentsEveryColumn(t *testing.T) {
	sections := tableSections(t, parseDictionary(t))
	want := append([]Table{}, Tables...)
	want = append(want, Table{Name: "schema_migrations", Columns: schemaMigrationsColumns})

	for _, table := range want {
		t.Run(table.Name, func(t *testing.T) {
			s, ok := sections[table.Name]
			require.True(t, ok, "%s has no section (a \"## `%s` …\" heading with a column table)", table.Name, table.Name)
			var got []TableColumn
			for _, r := range s.Rows {
				require.Len(t, r.Cells, 2, "%s.%s: want | `name` | type | meaning |", table.Name, r.Name)
				require.NotEmpty(t, r.Cells[1], "%s.%s has no meaning", table.Name, r.Name)
				got = append(got, TableColumn{Name: r.Name, Type: r.Cells[0]})
			}
			require.Equal(t, table.Columns, got, "the dictionary's columns of %s must equal schemas.Tables (name, type, order)", table.Name)
		})
	}

	documented := map[string]bool{}
	for _, table := range want {
		documented[table.Name] = true
	}
	for name := range sections {
		require.True(t, documented[name], "the dictionary documents %s, which is not a warehouse table", name)
	}
}

// TestDataDictionaryListsEveryReasonCode checks that every quarantine reason
// code declared in quarantine.go has a row in the dictionary's reason-code
// section.
func TestDataDictionaryListsEveryReasonCode(t *testing.T) {
	codes := reasonCodes(t)
	require.Contains(t, codes, ReasonIDInvalid, "reading the Reason… constants of quarantine.go")

	var section *dictSection
	sections := parseDictionary(t)
	for i := range sections {
		if strings.Contains(strings.ToLower(sections[i].Heading), "reason code") {
			section = &sections[i]
		}
	}
	require.NotNil(t, section, "the dictionary needs a \"## … reason codes\" section")
	listed := map[string]bool{}
	for _, r := range section.Rows {
		require.NotEmpty(t, r.Cells, "reason %s has no meaning", r.Name)
		require.NotEmpty(t, r.Cells[len(r.Cells)-1], "reason %s has no meaning", r.Name)
		listed[r.Name] = true
	}
	for _, c := range codes {
		require.True(t, listed[c], "quarantine reason %s is not in the dictionary", c)
	}
	for c := range listed {
		require.Contains(t, codes, c, "the dictionary lists reason %s, which quarantine.go does not declare", c)
	}
}

// reasonCodes returns the values of the Reason… string constants of
// quarantine.go, so a new code cannot be added without documenting it.
func reasonCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "quarantine.go", nil, 0)
	require.NoError(t, err)
	var codes []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Reason") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok && lit.Kind == token.STRING, "%s must be a string literal", name.Name)
				v, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				codes = append(codes, v)
			}
		}
	}
	return codes
}

// trailingPosition is the AFTER/FIRST clause that may end an ADD COLUMN.
var trailingPosition = regexp.MustCompile(`(?i)\s+(?:AFTER\s+[A-Za-z0-9_]+|FIRST)\s*,?$`)

// ddlColumn is a column definition line of a migration: name type COMMENT '…'.
var ddlColumn = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)(?:\s+COMMENT\s+'((?:[^'\\]|\\.)*)')?\s*,?$`)

// TestMigrationColumnsHaveComments checks that every column a migration
// declares (in a CREATE TABLE body or an ADD COLUMN) carries a non-empty
// COMMENT: the warehouse documents itself in system.columns.
func TestMigrationColumnsHaveComments(t *testing.T) {
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range files {
		body, err := migrationFiles.ReadFile(name)
		require.NoError(t, err)
		t.Run(name, func(t *testing.T) {
			columns := 0
			for _, c := range declaredColumns(t, string(body)) {
				columns++
				require.NotEmpty(t, strings.TrimSpace(c.comment), "%s line %d: column %s has no COMMENT", name, c.line, c.name)
			}
			require.Positive(t, columns, "%s declares no columns", name)
		})
	}
}

// declaredColumn is one column definition found in a migration file.
type declaredColumn struct {
	table, name, typ, comment string
	line                      int
}

// declaredColumns returns the column definitions of a migration: the lines
// of CREATE TABLE bodies and of ALTER TABLE … ADD COLUMN clauses.
func declaredColumns(t *testing.T, sql string) []declaredColumn {
	t.Helper()
	createTable := regexp.MustCompile(`(?i)^CREATE TABLE (?:IF NOT EXISTS )?([A-Za-z0-9_]+)\s*\($`)
	alterTable := regexp.MustCompile(`(?i)^ALTER TABLE ([A-Za-z0-9_]+)\b`)
	addColumn := regexp.MustCompile(`(?i)\bADD COLUMN\s+(.*)$`)
	var out []declaredColumn
	table, inBody := "", false
	for i, raw := range strings.Split(sql, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		if m := createTable.FindStringSubmatch(line); m != nil {
			table, inBody = m[1], true
			continue
		}
		if inBody {
			if strings.HasPrefix(line, ")") {
				inBody = false
				continue
			}
			out = append(out, parseColumnLine(t, table, line, i+1))
			continue
		}
		if m := alterTable.FindStringSubmatch(line); m != nil {
			table = m[1]
		}
		if m := addColumn.FindStringSubmatch(line); m != nil {
			def := strings.TrimSuffix(strings.TrimSpace(m[1]), ";")
			out = append(out, parseColumnLine(t, table, def, i+1))
		}
	}
	return out
}

func parseColumnLine(t *testing.T, table, line string, n int) declaredColumn {
	t.Helper()
	line = trailingPosition.ReplaceAllString(line, "")
	m := ddlColumn.FindStringSubmatch(line)
	require.NotNil(t, m, "line %d: cannot read a column definition from %q", n, line)
	typ := m[2]
	for _, clause := range []string{" DEFAULT ", " MATERIALIZED ", " ALIAS ", " CODEC("} {
		if i := strings.Index(typ, clause); i >= 0 {
			typ = typ[:i]
		}
	}
	return declaredColumn{table: table, name: m[1], typ: strings.TrimSpace(typ), comment: m[3], line: n}
}
