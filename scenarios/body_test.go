package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBodySetAndBytes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		data      []byte
		text, b64 string
	}{
		{"empty", nil, "", ""},
		{"UTF-8 XML", []byte("<Name>Zoë</Name>"), "<Name>Zoë</Name>", ""},
		{"NUL is still UTF-8", []byte("a\x00b"), "a\x00b", ""},
		{"binary (a JPEG)", []byte{0xff, 0xd8, 0xff, 0xe0}, "", "/9j/4A=="},
		{"invalid UTF-8", []byte("caf\xe9"), "", "Y2Fm6Q=="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, b64 := "stale", "stale"
			SetBody(tc.data, &text, &b64)
			assert.Equal(t, tc.text, text)
			assert.Equal(t, tc.b64, b64)
			got, err := BodyBytes(text, b64)
			require.NoError(t, err)
			assert.Equal(t, string(tc.data), string(got))
		})
	}
}

func TestBodyBytesErrors(t *testing.T) {
	_, err := BodyBytes("a", "YQ==")
	assert.ErrorIs(t, err, ErrFormat)
	_, err = BodyBytes("", "not base64!")
	assert.ErrorIs(t, err, ErrFormat)
}

func TestBodyOfRequestResponseChunk(t *testing.T) {
	req := Request{Body64: "AAE="}
	b, err := req.Bytes()
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1}, b)

	resp := Response{Chunks: []Chunk{{Data: "Connection"}, {Data64: "/w=="}, {}, {Data: "Id"}}}
	b, err = resp.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "Connection\xffId", string(b))

	c := Chunk{Data: "x", Data64: "eA=="}
	_, err = c.Bytes()
	assert.ErrorIs(t, err, ErrFormat)
	resp = Response{Body: "x", Chunks: []Chunk{{Data: "y"}}}
	_, err = resp.Bytes()
	assert.ErrorIs(t, err, ErrFormat)
	resp = Response{Chunks: []Chunk{{Data64: "%%"}}}
	_, err = resp.Bytes()
	assert.ErrorIs(t, err, ErrFormat)
}

func TestBodyParseXML(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`<Card><UserName>a</UserName></Card>`, true},
		{`<?xml version="1.0" encoding="utf-8"?>` + "\n<Card/>\n", true},
		{`<s:Envelope xmlns:s="x"><s:Body/></s:Envelope>`, true},
		{`<a></b>`, false},
		{`<a/><b/>`, false},
		{`<a>`, false},
		{`text<a/>`, false},
		{`{"a":1}`, false},
		{``, false},
		{`<a>&nbsp;</a>`, false},
	} {
		_, ok := parseXML([]byte(tc.in))
		assert.Equal(t, tc.ok, ok, tc.in)
	}
	root, ok := parseXML([]byte(`<Card><UserName>A &amp; B</UserName><Empty/><Nip></Nip></Card>`))
	require.True(t, ok)
	body := `<Card><UserName>A &amp; B</UserName><Empty/><Nip></Nip></Card>`
	u := root.child("UserName")
	assert.Equal(t, "A & B", u.text)
	assert.Equal(t, "A &amp; B", body[u.start:u.end], "the span is the content as written")
	e := root.child("Empty")
	assert.Equal(t, e.start, e.end)
}

func TestBodyParseJSON(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"a":1}`, true},
		{` [1, "x", null, true, {"b":[]}] `, true},
		{`"just a string"`, false},
		{`12`, false},
		{`{"a":}`, false},
		{``, false},
	} {
		_, ok := parseJSON([]byte(tc.in))
		assert.Equal(t, tc.ok, ok, tc.in)
	}
	body := `{"Rsp" : {"Name":"Gr\u0061ce","N":-1.5e3,"L":[true,null]}}`
	root, ok := parseJSON([]byte(body))
	require.True(t, ok)
	rsp := root.get("Rsp")
	require.NotNil(t, rsp)
	name := rsp.get("Name")
	assert.Equal(t, "Grace", name.str)
	assert.Equal(t, `"Gr\u0061ce"`, body[name.start:name.end])
	assert.Equal(t, "-1.5e3", rsp.get("N").str)
	assert.Equal(t, "array", rsp.get("L").typeName())
	assert.Nil(t, rsp.get("missing"))
}

func TestBodyEdits(t *testing.T) {
	b := []byte("0123456789")
	out := applyEdits(b, []bodyEdit{{6, 8, []byte("xyz")}, {1, 3, nil}, {2, 4, []byte("overlap")}})
	assert.Equal(t, "0345xyz89", string(out))
	assert.Equal(t, "0123456789", string(b), "the input is left alone")
	assert.Equal(t, `"<a> & \"b\""`, string(jsonQuoted(`<a> & "b"`)))
	assert.Equal(t, "&lt;a&gt; &amp; \"b\"", string(xmlEscaped(`<a> & "b"`)))
}
