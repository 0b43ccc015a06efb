package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCardInfoCopiesDoNotShareWrites(t *testing.T) {
	var a Card
	a.CardInfo.Set(2, "three")
	b := a // as a GET's view copies the stored card
	b.CardInfo.Set(2, "changed")
	b.CardInfo.Set(39, "forty")
	assert.Equal(t, "three", a.CardInfo.Get(2))
	assert.Equal(t, "", a.CardInfo.Get(39))
	assert.Equal(t, "changed", b.CardInfo.Get(2))
	assert.Equal(t, "forty", b.CardInfo.Get(39))
}

func TestCardInfoEmptyAgainEqualsZero(t *testing.T) {
	var a CardInfo
	assert.Equal(t, "", a.Get(0))
	a.Set(5, "x")
	a.Set(5, "")
	assert.Equal(t, CardInfo{}, a)
	assert.Equal(t, [CardInfoFields]string{}, a.Array())
	want := [CardInfoFields]string{0: "one", 39: "forty"}
	assert.Equal(t, want, CardInfoOf(want).Array())
	assert.Equal(t, CardInfo{}, CardInfoOf([CardInfoFields]string{}))
}
