package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/pacsim/pacsim/internal/jsonerr"
)

// jsonProblem says what is wrong with a JSON file the user wrote (the
// driver's --config), read into v by a json.Decoder that returned err, in
// the file's terms: its keys, lines and columns. encoding/json's own
// messages name the Go types the file is read into ("cannot unmarshal
// string into Go struct field driverFile.port of type int").
func jsonProblem(data []byte, err error, v any) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "empty: want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends inside a value"
	case errors.As(err, &se):
		line, col := lineCol(data, int(se.Offset)-1) // Offset counts the offending byte
		return fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &te):
		key := te.Field
		if key == "" {
			key = "the file"
		}
		// The decoder's offset is where it stopped, on the value's line.
		line, _ := lineCol(data, int(te.Offset)-1)
		return fmt.Sprintf("%s: want %s, got %s (line %d)", key, jsonerr.Want(te.Type), jsonerr.Got(te.Value), line)
	}
	if k, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("unknown key %s (the keys are %s)", k, strings.Join(jsonKeys(reflect.TypeOf(v)), ", "))
	}
	return err.Error()
}

// jsonKeys lists the JSON keys of the struct t points to.
func jsonKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var keys []string
	if t.Kind() != reflect.Struct {
		return keys
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys = append(keys, name)
	}
	return keys
}

// lineCol returns the 1-based line and column (in bytes) of data[off].
func lineCol(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	return line, off - bytes.LastIndexByte(before, '\n')
}
