package fault

import (
	"encoding/json"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func init() {
	register(&kindSpec{kind: KindAppFault, params: []string{"code", "message"}, primary: "code",
		check: func(*Params) error { return nil }})
}

// DefaultAppFaultCode is the code of an app-fault that gives none, as
// EntraPass's StandardFault Message: the code the simulated server answers
// an internal error with.
const DefaultAppFaultCode = "INTERNAL_ERROR"

// DefaultAppFaultMessage is the sentence of an app-fault that gives none.
const DefaultAppFaultMessage = "The server could not process the request (pacsim fault injection)."

// EntraPassAppFault is the application fault of the simulated EntraPass
// SmartService: HTTP 200 with a <StandardFault> whose Message is code
// (default DefaultAppFaultCode) and whose VisibleMessage and descriptions
// are message (default DefaultAppFaultMessage), written by package wire
// exactly as the server writes its own.
func EntraPassAppFault(code, message string) (string, []byte) {
	if code == "" {
		code = DefaultAppFaultCode
	}
	if message == "" {
		message = DefaultAppFaultMessage
	}
	f := &wire.Fault{Message: code, FirstLanguageErrorDescription: message,
		SecondLanguageErrorDescription: message, VisibleMessage: message}
	return "application/xml; charset=utf-8", f.Marshal()
}

// GenetecAppFault is a Web SDK application failure: HTTP 200 with
// {"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":code,"Message":message}}}
// (code default "InvalidOperation"). The Genetec head-end may replace it
// with its own through WithAppFault.
func GenetecAppFault(code, message string) (string, []byte) {
	if code == "" {
		code = "InvalidOperation"
	}
	if message == "" {
		message = DefaultAppFaultMessage
	}
	type result struct {
		SdkErrorCode string
		Message      string
	}
	type rsp struct {
		Status string
		Result result
	}
	b, _ := json.Marshal(struct{ Rsp rsp }{rsp{"Fail", result{code, message}}})
	return "text/json; charset=utf-8", b
}
