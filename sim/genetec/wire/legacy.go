package wire

// The legacy serialisations predate the Rsp envelope: lower-case keys and
// statuses, and in XML the status as an attribute of <rsp> with the result
// spread directly inside it.

// appendLegacyXML writes <rsp status="ok">…</rsp>. The result's content goes
// straight into <rsp>: an object's properties become children of rsp (a
// create answers <Guid>…</Guid>, a property read <Name>…</Name><State>…),
// Rows become <QueryResult>. Clients match this text exactly, so the shape
// is fixed and the element is never self-closed.
func appendLegacyXML(dst []byte, s Status, result any) []byte {
	result, _ = unwrap(result)
	dst = append(dst, `<rsp status="`...)
	dst = appendXMLText(dst, s.legacy())
	dst = append(dst, `">`...)
	dst = appendXMLContent(dst, result, legacyXML, 0)
	return append(dst, `</rsp>`...)
}

// appendLegacyJSON writes {"rsp":{"status":"ok","result":…}}, the result
// being the same tree as in text/json. This is our reading: no capture shows
// a legacy JSON result, and a single "result" key keeps every result shape
// (entity, properties, report) unambiguous.
func appendLegacyJSON(dst []byte, s Status, result any) []byte {
	result, _ = unwrap(result)
	dst = append(dst, `{"rsp":{"status":`...)
	dst = appendJSONString(dst, s.legacy())
	if result != nil {
		dst = append(dst, `,"result":`...)
		dst = appendJSON(dst, result, 0)
	}
	return append(dst, `}}`...)
}
