// Package websdk is a client of Genetec Security Center's Web-based SDK
// (the "Web SDK" role): HTTP Basic authentication as
// "user;applicationId:password", text/json envelopes
// {"Rsp":{"Status":…,"Result":…}}, the q= query language on /entity,
// /report and /action, and the chunked event stream of /events.
//
// It talks to a real Security Center and to pacsim's simulated one alike:
// nothing here knows about the simulator, only the wire.
//
//	cl, err := websdk.New(websdk.Config{
//		URL:      "https://sc.example.com:4590/WebSdk/",
//		Username: "visitors", AppID: "…", Password: "…",
//	})
//	major, minor, full, err := cl.ServerVersion(ctx)
//	guid, err := cl.Create(ctx, "entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper")
//
// Failures are typed so that callers can tell them apart: *AuthError (401,
// 403), *HTTPError (any other non-200), *ProtocolError (a 200 that is not a
// Web SDK answer), *SdkError (an application failure, "Status":"Fail") and
// *NetError (no answer: DNS, TCP, TLS, timeouts). No error, and nothing the
// package prints, ever holds the password or the Authorization header.
package websdk
