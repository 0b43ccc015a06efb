package jsonerr

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProblem(t *testing.T) {
	var v struct {
		Seconds int      `json:"seconds"`
		Name    string   `json:"name"`
		On      *bool    `json:"on"`
		List    []string `json:"list"`
	}
	for body, want := range map[string]string{
		`{"seconds":"5"}`: `seconds: want a whole number, got a string`,
		`{"seconds":1.5}`: `seconds: want a whole number, got 1.5`,
		`{"name":true}`:   `name: want a string, got true or false`,
		`{"on":"yes"}`:    `on: want true or false, got a string`,
		`{"list":{}}`:     `list: want an array, got an object`,
		`{"seconds":5,}`:  `invalid character '}' looking for beginning of object key string`,
	} {
		err := json.Unmarshal([]byte(body), &v)
		assert.Equal(t, want, Problem(err), body)
	}
}
