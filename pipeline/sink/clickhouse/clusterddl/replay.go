package clusterddl

import (
	"fmt"
	"regexp"
	"strings"

	"zengshou/schemas"
)

// migratedTable is what the migrations say of one table once all of them
// have run: each column's type, DEFAULT expression and COMMENT, in column
// order, and the engine clause of its latest CREATE (ENGINE = … PARTITION
// BY … ORDER BY …).
type migratedTable struct {
	name    string
	columns []migratedColumn
	engine  string
}

type migratedColumn struct {
	name, typ, def, comment string
}

func (t *migratedTable) index(name string) int {
	for i, c := range t.columns {
		if c.name == name {
			return i
		}
	}
	return -1
}

var (
	createRe    = regexp.MustCompile(`(?s)^CREATE TABLE\s+(?:IF NOT EXISTS\s+)?([A-Za-z0-9_]+)\s*\((.*)\)\s*(ENGINE\s*=.*)$`)
	columnRe    = regexp.MustCompile(`^([A-Za-z0-9_]+)\s+(.+?)(?:\s+DEFAULT\s+(.+?))?\s+COMMENT\s+'((?:[^'\\]|\\.)*)'$`)
	addColumnRe = regexp.MustCompile(`(?s)^ALTER TABLE\s+([A-Za-z0-9_]+)\s+ADD COLUMN\s+(.+?)(?:\s+AFTER\s+([A-Za-z0-9_]+))?$`)
	commentRe   = regexp.MustCompile(`(?s)^ALTER TABLE\s+([A-Za-z0-9_]+)\s+COMMENT COLUMN\s+([A-Za-z0-9_]+)\s+'((?:[^'\\]|\\.)*)'$`)
	dropRe      = regexp.MustCompile(`^DROP TABLE\s+(?:IF EXISTS\s+)?([A-Za-z0-9_]+)$`)
	renameRe    = regexp.MustCompile(`(?s)^RENAME TABLE\s+(.+)$`)
	renamePair  = regexp.MustCompile(`^([A-Za-z0-9_]+)\s+TO\s+([A-Za-z0-9_]+)$`)
)

// replay runs the migrations' DDL in memory: CREATE TABLE, DROP TABLE,
// RENAME TABLE, ALTER TABLE … ADD COLUMN (with AFTER) and ALTER TABLE …
// COMMENT COLUMN. INSERT … SELECT moves rows and changes no schema. Any
// other statement is an error, so that a migration the replay does not
// understand cannot silently give the cluster another schema than a single
// node's.
func replay(migrations []schemas.Migration) (map[string]*migratedTable, error) {
	tables := map[string]*migratedTable{}
	for _, m := range migrations {
		for i, stmt := range m.Statements {
			if err := apply(tables, strings.TrimSpace(stmt)); err != nil {
				return nil, fmt.Errorf("replaying migration %s statement %d: %w", m.Name, i+1, err)
			}
		}
	}
	return tables, nil
}

func apply(tables map[string]*migratedTable, stmt string) error {
	switch {
	case strings.HasPrefix(stmt, "CREATE TABLE"):
		m := createRe.FindStringSubmatch(stmt)
		if m == nil {
			return fmt.Errorf("CREATE TABLE not understood: %.80s", stmt)
		}
		t := &migratedTable{name: m[1], engine: strings.Join(strings.Fields(m[3]), " ")}
		for _, line := range strings.Split(m[2], "\n") {
			line = strings.TrimSuffix(strings.TrimSpace(line), ",")
			if line == "" {
				continue
			}
			c, err := parseColumn(line)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			t.columns = append(t.columns, c)
		}
		if _, ok := tables[t.name]; !ok || !strings.Contains(stmt, "IF NOT EXISTS") {
			tables[t.name] = t
		}
	case strings.HasPrefix(stmt, "DROP TABLE"):
		m := dropRe.FindStringSubmatch(stmt)
		if m == nil {
			return fmt.Errorf("DROP TABLE not understood: %.80s", stmt)
		}
		delete(tables, m[1])
	case strings.HasPrefix(stmt, "RENAME TABLE"):
		m := renameRe.FindStringSubmatch(stmt)
		var pairs [][2]string
		for _, p := range strings.Split(m[1], ",") {
			pm := renamePair.FindStringSubmatch(strings.TrimSpace(p))
			if pm == nil {
				return fmt.Errorf("RENAME TABLE not understood: %.80s", stmt)
			}
			pairs = append(pairs, [2]string{pm[1], pm[2]})
		}
		// RENAME applies its pairs in order (a TO b, c TO a swaps).
		for _, p := range pairs {
			t, ok := tables[p[0]]
			if !ok {
				return fmt.Errorf("RENAME TABLE %s: no such table", p[0])
			}
			delete(tables, p[0])
			t.name = p[1]
			tables[p[1]] = t
		}
	case strings.HasPrefix(stmt, "ALTER TABLE") && addColumnRe.MatchString(stmt) && strings.Contains(stmt, " ADD COLUMN "):
		m := addColumnRe.FindStringSubmatch(stmt)
		t, ok := tables[m[1]]
		if !ok {
			return fmt.Errorf("ADD COLUMN to %s: no such table", m[1])
		}
		c, err := parseColumn(strings.TrimSpace(m[2]))
		if err != nil {
			return fmt.Errorf("table %s: %w", t.name, err)
		}
		if t.index(c.name) >= 0 {
			return fmt.Errorf("ADD COLUMN %s.%s: the column exists", t.name, c.name)
		}
		at := len(t.columns)
		if m[3] != "" {
			if at = t.index(m[3]); at < 0 {
				return fmt.Errorf("ADD COLUMN %s.%s AFTER %s: no such column", t.name, c.name, m[3])
			}
			at++
		}
		t.columns = append(t.columns[:at], append([]migratedColumn{c}, t.columns[at:]...)...)
	case strings.HasPrefix(stmt, "ALTER TABLE") && commentRe.MatchString(stmt):
		m := commentRe.FindStringSubmatch(stmt)
		t, ok := tables[m[1]]
		if !ok {
			return fmt.Errorf("COMMENT COLUMN of %s: no such table", m[1])
		}
		i := t.index(m[2])
		if i < 0 {
			return fmt.Errorf("COMMENT COLUMN %s.%s: no such column", m[1], m[2])
		}
		t.columns[i].comment = m[3]
	case strings.HasPrefix(stmt, "INSERT INTO"):
	default:
		return fmt.Errorf("statement not understood by the cluster DDL replay: %.80s", stmt)
	}
	return nil
}

func parseColumn(line string) (migratedColumn, error) {
	m := columnRe.FindStringSubmatch(line)
	if m == nil {
		return migratedColumn{}, fmt.Errorf("column definition without a COMMENT or not understood: %q", line)
	}
	return migratedColumn{name: m[1], typ: m[2], def: m[3], comment: m[4]}, nil
}
