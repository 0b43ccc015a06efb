package wire

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultMarshalGolden(t *testing.T) {
	f := &Fault{
		Message:                        "COMPONENT_NOT_EXIST",
		FirstLanguageErrorDescription:  "first",
		SecondLanguageErrorDescription: "second",
		VisibleMessage:                 "Door <9> & co",
	}
	want := `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
		`<FirstLanguageErrorDescription>first</FirstLanguageErrorDescription>` +
		`<Message>COMPONENT_NOT_EXIST</Message>` +
		`<SecondLanguageErrorDescription>second</SecondLanguageErrorDescription>` +
		`<VisibleMessage>Door &lt;9&gt; &amp; co</VisibleMessage>` +
		`</StandardFault>`
	assert.Equal(t, want, string(f.Marshal()))
	assert.Equal(t, "x"+want, string(f.AppendTo([]byte("x"))))
}

func TestFaultMarshalEmpty(t *testing.T) {
	assert.Equal(t,
		standardFaultOpen+`<FirstLanguageErrorDescription></FirstLanguageErrorDescription><Message></Message><SecondLanguageErrorDescription></SecondLanguageErrorDescription><VisibleMessage></VisibleMessage></StandardFault>`,
		string((&Fault{}).Marshal()))
}

func TestFaultConstructors(t *testing.T) {
	tests := []struct {
		name        string
		f           *Fault
		code        string
		visible     string
		mustContain []string
	}{
		{"ErrorLogin default", ErrorLogin(""), "Error Login", "Invalid user name or password.", nil},
		{"ErrorLogin disabled", ErrorLogin("Operator pacsim is disabled."), "Error Login", "Operator pacsim is disabled.", nil},
		{"InvalidSessionKey", InvalidSessionKey(), "Invalid SessionKey", "", []string{"SessionKey"}},
		{"Error72", Error72(), "Error 72", "", []string{"sessions"}},
		{"UnknownWebSDKID default", UnknownWebSDKID(""), "SMARTLINK_UNKNOWN_WEB_SDK_ID", "", []string{"licensed"}},
		{"UnknownWebSDKID reuse", UnknownWebSDKID("The connected program GUID was already used."), "SMARTLINK_UNKNOWN_WEB_SDK_ID", "The connected program GUID was already used.", nil},
		{"ComponentNotExist", ComponentNotExist("591"), "COMPONENT_NOT_EXIST", "Component 591 does not exist.", nil},
		{"InvalidParameter", InvalidParameter("delay", "must be 1 to 64800 seconds"), "INVALID_PARAMETER", "Invalid parameter delay: must be 1 to 64800 seconds.", nil},
		{"InvalidParameter without reason", InvalidParameter("id", ""), "INVALID_PARAMETER", "Invalid parameter id.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.code, tt.f.Message)
			if tt.visible != "" {
				assert.Equal(t, tt.visible, tt.f.VisibleMessage)
			}
			for _, s := range tt.mustContain {
				assert.Contains(t, tt.f.VisibleMessage, s)
			}
			assert.NotEmpty(t, tt.f.VisibleMessage)
			assert.Equal(t, tt.f.VisibleMessage, tt.f.FirstLanguageErrorDescription)
			assert.Equal(t, tt.f.VisibleMessage, tt.f.SecondLanguageErrorDescription)
			assert.Equal(t, tt.code+": "+tt.f.VisibleMessage, tt.f.Error())
		})
	}
}

func TestInvalidSessionKeyBodyContainsSessionKey(t *testing.T) {
	// ropelletier's client re-logs in when the body contains "SessionKey".
	assert.Contains(t, string(InvalidSessionKey().Marshal()), "SessionKey")
	// kantech-gateway detects a failed login by "Error Login" in the body.
	assert.Contains(t, string(ErrorLogin("").Marshal()), "Error Login")
}

func TestFaultIsAnError(t *testing.T) {
	var err error = fmt.Errorf("handler: %w", InvalidParameter("id", "not a number"))
	var f *Fault
	require.True(t, errors.As(err, &f))
	assert.Equal(t, CodeInvalidParameter, f.Message)
	assert.Equal(t, "Error 72", (&Fault{Message: "Error 72"}).Error())
}

func TestParseFaultRoundTrip(t *testing.T) {
	for _, f := range []*Fault{ErrorLogin(""), InvalidSessionKey(), Error72(), UnknownWebSDKID("x"), ComponentNotExist("<&>"), InvalidParameter("a", "b"), {}} {
		got, ok := ParseFault(f.Marshal())
		require.True(t, ok)
		assert.Equal(t, f, got)
	}
}

func TestParseFault(t *testing.T) {
	got, ok := ParseFault([]byte(`<?xml version="1.0" encoding="utf-8"?>
<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK">
  <VisibleMessage>v</VisibleMessage><Message>m</Message><Other/><FirstLanguageErrorDescription/>
</StandardFault>`))
	require.True(t, ok)
	assert.Equal(t, &Fault{Message: "m", VisibleMessage: "v"}, got)

	for _, doc := range []string{``, `<int>1</int>`, `<StandardFault>`, `<StandardFault><Message><b/></Message></StandardFault>`, `<StandardFault/><x/>`, `OK`} {
		_, ok := ParseFault([]byte(doc))
		assert.False(t, ok, doc)
	}
}
