package chcompat

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DocQuery is a statement of a ```sql block of the documentation.
type DocQuery struct {
	File string // relative to the repository root
	Line int    // of the block's first line
	SQL  string
}

// Skipped is a documented statement the replay does not run, and why.
type Skipped struct {
	Where, Why string
}

// DocQueries returns the statements of every ```sql block in README.md and
// docs/*.md under root: the queries (SELECT, WITH, SHOW, DESCRIBE, EXISTS)
// to run, and every other statement as skipped with the reason.
func DocQueries(root string) ([]DocQuery, []Skipped, error) {
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, nil, err
	}
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	var queries []DocQuery
	var skipped []Skipped
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		blocks, err := sqlBlocks(path)
		if err != nil {
			return nil, nil, err
		}
		for _, b := range blocks {
			for _, stmt := range splitStatements(b.text) {
				where := fmt.Sprintf("%s:%d", rel, b.line)
				switch kw := firstKeyword(stmt); kw {
				case "SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS":
					queries = append(queries, DocQuery{File: rel, Line: b.line, SQL: stmt})
				case "":
				default:
					skipped = append(skipped, Skipped{Where: where, Why: kw + " statement: it would change the warehouse the queries read"})
				}
			}
		}
	}
	return queries, skipped, nil
}

type block struct {
	line int
	text string
}

func sqlBlocks(path string) ([]block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []block
	var cur *block
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.EqualFold(trimmed, "```sql"):
			cur = &block{line: n + 1}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if cur != nil {
		return nil, fmt.Errorf("reading %s: the ```sql block of line %d is not closed", path, cur.line-1)
	}
	return out, nil
}

// splitStatements splits on semicolons outside string literals and drops
// comment lines.
func splitStatements(text string) []string {
	var out []string
	var sb strings.Builder
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inString:
			sb.WriteByte(c)
			if c == '\\' && i+1 < len(text) {
				i++
				sb.WriteByte(text[i])
			} else if c == '\'' {
				inString = false
			}
		case c == '\'':
			inString = true
			sb.WriteByte(c)
		case c == '-' && strings.HasPrefix(text[i:], "--"):
			for i < len(text) && text[i] != '\n' {
				i++
			}
			sb.WriteByte('\n')
		case c == ';':
			out = append(out, strings.TrimSpace(sb.String()))
			sb.Reset()
		default:
			sb.WriteByte(c)
		}
	}
	out = append(out, strings.TrimSpace(sb.String()))
	kept := out[:0]
	for _, s := range out {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return kept
}

var wordRE = regexp.MustCompile(`^[A-Za-z]+`)

func firstKeyword(stmt string) string {
	return strings.ToUpper(wordRE.FindString(strings.TrimLeft(stmt, "( \t\n")))
}

// sendingMethods are the driver.Conn methods that send a statement.
var sendingMethods = map[string]bool{"Exec": true, "Query": true, "QueryRow": true, "Select": true, "PrepareBatch": true}

// SendingFunctions returns the functions of the module under root (package
// path module + "/" + folder; test files, internal/chcompat and folders
// starting with "." left out) that call Exec, Query, QueryRow, Select or
// PrepareBatch on a connection, named as runtime names them:
// zengshou/reports.Headlines, zengshou/pipeline/sink/clickhouse.(*Sink).Migrate.
func SendingFunctions(root, module string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		if pkg == module+"/internal/chcompat" {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || !sends(fn.Body) {
				continue
			}
			name := fn.Name.Name
			if fn.Recv != nil && len(fn.Recv.List) == 1 {
				switch r := fn.Recv.List[0].Type.(type) {
				case *ast.StarExpr:
					if id, ok := r.X.(*ast.Ident); ok {
						name = "(*" + id.Name + ")." + name
					}
				case *ast.Ident:
					name = r.Name + "." + name
				}
			}
			out = append(out, pkg+"."+name)
		}
		return nil
	})
	return out, err
}

// sends reports whether body calls a sending method on a receiver whose
// name mentions a connection (conn, Conn(), boot).
func sends(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !sendingMethods[sel.Sel.Name] {
			return true
		}
		recv := strings.ToLower(exprString(sel.X))
		if strings.Contains(recv, "conn") || strings.Contains(recv, "boot") || strings.Contains(recv, "db") {
			found = true
		}
		return true
	})
	return found
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.CallExpr:
		return exprString(x.Fun) + "()"
	default:
		return ""
	}
}

// FunctionOf strips the closure suffixes (.func1, .func1.2) of a runtime
// function name.
func FunctionOf(runtimeName string) string {
	return closureRE.ReplaceAllString(runtimeName, "")
}

var closureRE = regexp.MustCompile(`(\.func\d+(\.\d+)*)+$`)
