package dataserver

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
)

// jsonProblem says what is wrong with a request body in the body's terms
// (its keys), where encoding/json's messages name the Go types it is read
// into ("cannot unmarshal string into Go struct field
// commandRequest.seconds of type int").
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field + ": want " + jsonWant(te.Type) + ", got " + jsonGot(te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonWant describes a Go type as a JSON value.
func jsonWant(t reflect.Type) string {
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

// jsonGot describes UnmarshalTypeError.Value: "string", "number 1.5", …
func jsonGot(v string) string {
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
