// Package jsonerr says what is wrong with a JSON document in the
// document's terms — its keys and its values — where encoding/json's
// messages name the Go types it is read into ("cannot unmarshal string into
// Go struct field commandRequest.seconds of type int"). Every pacsim API and
// file that reads JSON words its errors with it, so they read alike.
package jsonerr

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
)

// Problem describes err, an encoding/json decoding error: for a value of
// the wrong type, "seconds: want a whole number, got a string"; otherwise
// the decoder's message without its "json: " prefix.
func Problem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field + ": want " + Want(te.Type) + ", got " + Got(te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// Want describes a Go type as the JSON value it reads.
func Want(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// Got describes json.UnmarshalTypeError.Value: "string" is "a string",
// "number 1.5" is "1.5", "bool" is "true or false".
func Got(v string) string {
	switch {
	case v == "array", v == "object":
		return "an " + v
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number "):
		return strings.TrimPrefix(v, "number ")
	}
	return "a " + v
}
