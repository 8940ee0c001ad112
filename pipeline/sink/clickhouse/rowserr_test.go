package clickhouse_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryRowsLoopChecksErr: a result set that ends early (a lost
// connection, a server error sent mid-stream) only shows in rows.Err();
// a loop over rows.Next() that does not check it silently reads a cut-off
// result as a whole one — a skipped migration, a run not recovered. Every
// function of the module's (non-test) code that iterates a value with
// Next() must also call that value's Err().
func TestEveryRowsLoopChecksErr(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch fn := n.(type) {
			case *ast.FuncDecl:
				body = fn.Body
			case *ast.FuncLit:
				body = fn.Body
			default:
				return true
			}
			if body == nil {
				return true
			}
			calls := map[string]map[string]bool{} // receiver → methods called
			ast.Inspect(body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				recv, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				if calls[recv.Name] == nil {
					calls[recv.Name] = map[string]bool{}
				}
				calls[recv.Name][sel.Sel.Name] = true
				return true
			})
			for recv, methods := range calls {
				if methods["Next"] && methods["Scan"] {
					checked++
					require.True(t, methods["Err"], "%s: %s.Next() is iterated without checking %s.Err()",
						fset.Position(body.Pos()), recv, recv)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, checked, 12, "the check found the module's row loops")
}
