package entrapass

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoSimImport: the driver must work against a real server, so no
// non-test file of it imports the simulator (SPEC: driver/... never
// imports sim/...).
func TestNoSimImport(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/pacsim/pacsim/sim" || strings.HasPrefix(p, "github.com/pacsim/pacsim/sim/") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
