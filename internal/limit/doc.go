// Package limit bounds what a decoder of untrusted XML or JSON may build:
// how deep the document nests and how many tokens it holds. A body's size
// cap alone is not enough: encoding/xml keeps a stack entry per open
// element, so a 1 MiB body of "<a><a><a>…" holds some 23 MB while it is
// read, and many such bodies at once take the process down.
//
// Every server-side decoder of pacsim (SmartService, the control API, the
// fault API, the connector's and the driver's APIs) reads through XML or
// checks its body with JSON before decoding, and answers a *Error in its
// own error shape.
package limit
