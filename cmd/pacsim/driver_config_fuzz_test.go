package main

import (
	"flag"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/entrapass"
)

// FuzzDriverConfig: whatever the --config file holds, reading it never
// panics, a flag given keeps its value, an error names --config, and a
// configuration that validates gives a URL with its host.
func FuzzDriverConfig(f *testing.F) {
	for _, s := range []string{
		`{"host":"127.0.0.1","port":8801,"username":"pacsim","password":"pacsim","poll":"1s"}`,
		`{"host":"entrapass.example","tls":true,"insecure":true,"state":"/tmp/x"}`,
		`{"port":0}`, `{"port":"8801"}`, `{"hots":"x"}`, `{}`, `[]`, `null`, `{"host":"[::1]"}`,
		`{"host":"a b","poll":"-1s"}`, `{"poll":"100ns"}`, `{"host":"h"} {"host":"i"}`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "driver.json")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		fs := flag.NewFlagSet("pacsim driver", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var fl driverFile
		fs.StringVar(&fl.Host, "host", "", "")
		fs.IntVar(&fl.Port, "port", entrapass.DefaultPort, "")
		fs.StringVar(&fl.Username, "username", "", "")
		fs.StringVar(&fl.Poll, "poll", entrapass.DefaultPoll.String(), "")
		if err := fs.Parse([]string{"--username", "given"}); err != nil {
			t.Fatal(err)
		}
		if err := mergeDriverFile(fs, &fl, name); err != nil {
			if !strings.HasPrefix(err.Error(), "--config ") {
				t.Fatalf("%q: %v does not name --config", data, err)
			}
			return
		}
		if fl.Username != "given" {
			t.Fatalf("%q: the file overrode --username: %q", data, fl.Username)
		}
		poll, err := time.ParseDuration(fl.Poll)
		if err != nil {
			return
		}
		cfg := entrapass.Config{Host: fl.Host, Port: fl.Port, Username: fl.Username, Password: fl.Password,
			TLS: fl.TLS, InsecureSkipVerify: fl.Insecure, Poll: poll}
		if err := cfg.Validate(); err != nil {
			return
		}
		u, err := url.Parse(cfg.BaseURL())
		if err != nil || u.Hostname() == "" {
			t.Fatalf("%q: valid, yet the URL %q does not parse with a host: %v", data, cfg.BaseURL(), err)
		}
	})
}
