package sim_test

import (
	"reflect"
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// FuzzGenerate: --generate either refuses with an error naming "generate"
// or gives options within the bounds; a small site generated from them is
// valid, builds a world and is the same for the same seed.
func FuzzGenerate(f *testing.F) {
	for _, s := range []string{"", "doors=8,users=50", "users=0", "doors=1", " doors = 3 , users = 7 ", "doors=0",
		"doors=100001", "users=-1", "doors=8,doors=9", "doors", "x=1", ",", "doors=0x10", "doors=1e3"} {
		f.Add(s, int64(1))
	}
	f.Fuzz(func(t *testing.T, spec string, seed int64) {
		o, err := sim.ParseGenerateSpec(spec)
		if err != nil {
			return
		}
		if o.Doors < 1 || o.Doors > sim.MaxGenerateDoors || o.Users < 0 || o.Users > sim.MaxGenerateUsers {
			t.Fatalf("%q gave %+v, out of bounds", spec, o)
		}
		// Only small sites are built: the fuzzer's time goes to the parser.
		o.Doors, o.Users, o.Seed = o.Doors%20+1, o.Users%100, seed
		sf, err := sim.Generate(o)
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		if err := sf.Validate(); err != nil {
			t.Fatalf("%+v: the generated site is invalid: %v", o, err)
		}
		if _, err := sim.New(sf); err != nil {
			t.Fatalf("%+v: the generated site builds no world: %v", o, err)
		}
		again, err := sim.Generate(o)
		if err != nil || !reflect.DeepEqual(sf, again) {
			t.Fatalf("%+v: not deterministic (%v)", o, err)
		}
	})
}
