// Package wire renders the answers of pacsim's simulated Genetec Security
// Center Web SDK: the response envelope in each of the four serialisations a
// client can ask for with its Accept header, and the parts of the chunked
// event stream.
//
// Handlers build a result tree from *Object, Rows, slices and scalars, pick a
// Format with Negotiate and call Append or AppendFail. Everything appends to
// a caller-owned buffer so that a handler, and above all the event stream,
// can reuse one buffer and render without allocating.
//
// The four serialisations:
//
//	text/json                {"Rsp":{"Status":"Ok","Result":…}}
//	text/xml                 <WebSdk><Rsp><Status>Ok</Status><Result>…</Result></Rsp></WebSdk>
//	application/xml          <rsp status="ok">…</rsp>               (legacy XML, the default)
//	application/jsonrequest  {"rsp":{"status":"ok","result":…}}     (legacy JSON)
//
// Legacy XML is parsed by production clients by exact text, so its shapes
// (a property per child of rsp, <QueryResult><Row><Cell name=…> for reports)
// are fixed; the text/xml and legacy JSON shapes of nested values are our
// reading of the protocol, as no capture of them exists.
//
// No reflection and no encoding/json: the tree holds only the value types
// listed on Object, rendered by type switches, which keeps the hot path free
// of allocations.
package wire
