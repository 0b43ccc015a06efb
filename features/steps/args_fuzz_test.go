package steps

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// FuzzStepArguments hands every step that takes only quoted text arguments
// whatever a QA engineer might type between the quotes: no step may panic
// (a panic would take the whole suite down with one scenario); an error is
// the expected answer to nonsense. The site is built once per input; steps
// that would start a driver or a connector are left out (they connect, and
// their arguments are parsed by the code fuzzed in driver/entrapass and
// driver/genetec).
func FuzzStepArguments(f *testing.F) {
	for _, s := range []string{"", "100:1001", "Front Door", "18:30", "2026-03-09 09:00", "Saturday", "12ab", "-1", "99999999999999999999", "\x00", "ÿ", strings.Repeat("9", 300), "Port", "1e9", "..", "%s"} {
		f.Add(s, s)
	}
	// The steps of the vocabulary whose functions take strings only, and
	// that need no driver.
	var fns []StepDoc
	for _, d := range Steps() {
		if d.Group != "Hardware (@sim-only)" && d.Group != "Asset status" && d.Group != "Workflow events" {
			continue
		}
		fns = append(fns, d)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		w := newWorld()
		defer w.Close()
		if err := w.build(sim.DefaultSite()); err != nil {
			t.Fatal(err)
		}
		for _, d := range fns {
			fn := reflect.ValueOf(d.bind(w))
			ft := fn.Type()
			if ft.NumIn() == 0 || ft.NumIn() > 3 {
				continue
			}
			args := make([]reflect.Value, ft.NumIn())
			ok := true
			for i := range args {
				switch ft.In(i).Kind() {
				case reflect.String:
					if i%2 == 0 {
						args[i] = reflect.ValueOf(a)
					} else {
						args[i] = reflect.ValueOf(b)
					}
				case reflect.Int:
					args[i] = reflect.ValueOf(len(a) % 7)
				default:
					ok = false
				}
			}
			if !ok {
				continue
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("step %s panicked on %q, %q: %v", d.Pattern, a, b, r)
					}
				}()
				fn.Call(args)
			}()
		}
	})
}
