package wire_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

func TestObjectOrderAndReplace(t *testing.T) {
	o := wire.NewObject(2).Set("b", 1).Set("a", 2).Set("c", 3)
	assert.Equal(t, []string{"b", "a", "c"}, o.Keys())
	assert.Equal(t, 3, o.Len())

	// Replacing keeps the position: overriding a default must not reorder.
	assert.Same(t, o, o.Set("a", "two"))
	assert.Equal(t, []string{"b", "a", "c"}, o.Keys())
	v, ok := o.Get("a")
	assert.True(t, ok)
	assert.Equal(t, "two", v)
	assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":{"b":1,"a":"two","c":3}}}`,
		string(wire.Append(nil, wire.TextJSON, wire.Ok, o)))

	_, ok = o.Get("missing")
	assert.False(t, ok)

	// A nil value is present, not missing.
	o.Set("n", nil)
	v, ok = o.Get("n")
	assert.True(t, ok)
	assert.Nil(t, v)
}

func TestObjectKeysIsACopy(t *testing.T) {
	o := wire.NewObject(0).Set("a", 1)
	o.Keys()[0] = "z"
	assert.Equal(t, []string{"a"}, o.Keys())
}

func TestObjectZeroAndNil(t *testing.T) {
	var zero wire.Object
	assert.Equal(t, 0, zero.Len())
	zero.Set("k", "v")
	assert.Equal(t, []string{"k"}, zero.Keys())

	var nilObj *wire.Object
	assert.Equal(t, 0, nilObj.Len())
	assert.Nil(t, nilObj.Keys())
	_, ok := nilObj.Get("k")
	assert.False(t, ok)

	assert.Equal(t, 0, wire.NewObject(-1).Len())
	assert.Nil(t, wire.NewObject(4).Keys())
}
