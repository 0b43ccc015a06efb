package wire

// Append renders a whole envelope with status s and result (nil for none) in
// format f, appending to dst. A nil result leaves the result out entirely
// ({"Rsp":{"Status":"Ok"}}, <rsp status="ok"></rsp>), as the server does for
// commands that return nothing.
//
// Append panics if the tree holds a value of a type not listed on Object, or
// nests deeper than any real answer does (which is how a cycle shows).
func Append(dst []byte, f Format, s Status, result any) []byte {
	switch f.valid() {
	case TextJSON:
		return appendTextJSON(dst, s, result)
	case TextXML:
		return appendTextXML(dst, s, result)
	case LegacyJSON:
		return appendLegacyJSON(dst, s, result)
	default:
		return appendLegacyXML(dst, s, result)
	}
}

// AppendFail renders a failure envelope carrying an SdkErrorCode (such as
// "UnableToRetrieveEntity" or "InvalidOperation") and a human-readable
// message, in the shape each format gives errors: a Result of SdkErrorCode
// and Message in text/json and text/xml, an <error>/"error" of code and
// message in the legacy formats.
func AppendFail(dst []byte, f Format, code, message string) []byte {
	switch f.valid() {
	case TextJSON:
		dst = append(dst, `{"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":`...)
		dst = appendJSONString(dst, code)
		dst = append(dst, `,"Message":`...)
		dst = appendJSONString(dst, message)
		return append(dst, `}}}`...)
	case TextXML:
		dst = append(dst, `<WebSdk><Rsp><Status>Fail</Status><Result><SdkErrorCode>`...)
		dst = appendXMLText(dst, code)
		dst = append(dst, `</SdkErrorCode><Message>`...)
		dst = appendXMLText(dst, message)
		return append(dst, `</Message></Result></Rsp></WebSdk>`...)
	case LegacyJSON:
		dst = append(dst, `{"rsp":{"status":"fail","error":{"code":`...)
		dst = appendJSONString(dst, code)
		dst = append(dst, `,"message":`...)
		dst = appendJSONString(dst, message)
		return append(dst, `}}}`...)
	default:
		dst = append(dst, `<rsp status="fail"><error><code>`...)
		dst = appendXMLText(dst, code)
		dst = append(dst, `</code><message>`...)
		dst = appendXMLText(dst, message)
		return append(dst, `</message></error></rsp>`...)
	}
}

// Obsoleted is a result with the deprecation notices the real server
// sends beside it on full-entity reads: Rsp.ObsoletedMembers, a list of
// {Member, Message}. The legacy formats leave the notices out.
type Obsoleted struct {
	Result  any
	Members []any
}

// unwrap separates a result from its notices.
func unwrap(result any) (any, []any) {
	if o, ok := result.(Obsoleted); ok {
		return o.Result, o.Members
	}
	return result, nil
}

func appendTextJSON(dst []byte, s Status, result any) []byte {
	result, obs := unwrap(result)
	dst = append(dst, `{"Rsp":{"Status":`...)
	dst = appendJSONString(dst, s.String())
	if result != nil {
		dst = append(dst, `,"Result":`...)
		dst = appendJSON(dst, result, 0)
	}
	if obs != nil {
		dst = append(dst, `,"ObsoletedMembers":`...)
		dst = appendJSON(dst, obs, 0)
	}
	return append(dst, `}}`...)
}

func appendTextXML(dst []byte, s Status, result any) []byte {
	result, obs := unwrap(result)
	dst = append(dst, `<WebSdk><Rsp><Status>`...)
	dst = appendXMLText(dst, s.String())
	dst = append(dst, `</Status>`...)
	if result != nil {
		dst = append(dst, `<Result>`...)
		dst = appendXMLContent(dst, result, textXML, 0)
		dst = append(dst, `</Result>`...)
	}
	if obs != nil {
		dst = append(dst, `<ObsoletedMembers>`...)
		dst = appendXMLContent(dst, obs, textXML, 0)
		dst = append(dst, `</ObsoletedMembers>`...)
	}
	return append(dst, `</Rsp></WebSdk>`...)
}
