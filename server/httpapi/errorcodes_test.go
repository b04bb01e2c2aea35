package httpapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"testing"

	"github.com/sprechstunde/sprechstunde/frontend"
)

// TestErrorCodesTranslated: every error code the API can answer has a text
// in each catalog, so a page shows it in the reader's language instead of
// the API's English message. The codes are read from this package's
// sources: arguments of newAPIError and fieldConflict, Code fields of
// apiError literals and the status-to-code map of fromEchoError.
func TestErrorCodesTranslated(t *testing.T) {
	codes := errorCodesInSources(t)
	if len(codes) < 15 {
		t.Fatalf("found only %d codes: %v", len(codes), codes)
	}
	static, err := frontend.Static()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"de", "en"} {
		b, err := fs.ReadFile(static, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(b, &cat); err != nil {
			t.Fatal(err)
		}
		for code := range codes {
			if cat["errors."+code] == "" {
				t.Errorf("%s: no text for error code %q (key errors.%s)", lang, code, code)
			}
		}
		for _, k := range []string{"errors.unknown", "errors.field", "errors.network"} {
			if cat[k] == "" {
				t.Errorf("%s: no fallback text %s", lang, k)
			}
		}
	}
}

func errorCodesInSources(t *testing.T) map[string]bool {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	add := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
				codes[s] = true
			}
		}
	}
	for _, p := range pkgs {
		for name, f := range p.Files {
			if len(name) > 8 && name[len(name)-8:] == "_test.go" {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "newAPIError" || id.Name == "fieldConflict") && len(n.Args) > 1 {
						add(n.Args[1])
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Code" {
						add(n.Value)
					}
				case *ast.FuncDecl:
					if n.Name.Name == "fromEchoError" {
						ast.Inspect(n.Body, func(m ast.Node) bool {
							if kv, ok := m.(*ast.KeyValueExpr); ok {
								add(kv.Value)
							}
							if as, ok := m.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
								add(as.Rhs[0])
							}
							return true
						})
					}
				}
				return true
			})
		}
	}
	return codes
}
