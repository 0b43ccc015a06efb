package steps

import "testing"

func TestTargetEndpoint(t *testing.T) {
	for _, c := range []struct {
		url, hostport string
		tls, bad      bool
	}{
		{url: "http://10.0.0.5:8080", hostport: "10.0.0.5:8080"},
		{url: "https://ep.example.com/SmartService/", hostport: "ep.example.com:8080", tls: true},
		{url: "ep.example.com:8801", hostport: "ep.example.com:8801"},
		{url: "http://[::1]:9000", hostport: "[::1]:9000"},
		{url: "ftp://x", bad: true},
		{url: "http://x:70000", bad: true},
		{url: "http://:8080", bad: true},
	} {
		hp, tls, err := Target{URL: c.url, Username: "u"}.endpoint()
		if c.bad {
			if err == nil {
				t.Errorf("%s: accepted", c.url)
			}
			continue
		}
		if err != nil || hp != c.hostport || tls != c.tls {
			t.Errorf("%s: %s %v %v, want %s %v", c.url, hp, tls, err, c.hostport, c.tls)
		}
	}
	if err := (Target{Username: "u"}).Validate(); err == nil {
		t.Error("--username without --entrapass-url accepted")
	}
	if err := (Target{URL: "http://x"}).Validate(); err == nil {
		t.Error("--entrapass-url without --username accepted")
	}
	if init, err := (Target{}).Initializer(); err != nil || init == nil {
		t.Errorf("the simulator: %v", err)
	}
}

// TestSkipStep: a skipping step takes as many arguments as its pattern.
func TestSkipStep(t *testing.T) {
	f := skipStep(`^a "([^"]*)" b (\d+)$`).(func(string, string) error)
	if err := f("x", "1"); err == nil || err.Error() != "skipped" {
		t.Fatalf("got %v", err)
	}
}
