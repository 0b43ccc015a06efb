package entrapass_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/driver/entrapass"
)

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://h:8801/SmartService/Login?userName=abc%2B%3D&password=xyz&encrypted=1&ConnectedProgram=q%2Fw%3D&DateFormat=yyyy-MM-dd",
			"http://h:8801/SmartService/Login?userName=REDACTED&password=REDACTED&encrypted=1&ConnectedProgram=REDACTED&DateFormat=yyyy-MM-dd"},
		// A plain login shows the user name, never the password.
		{"http://h/SmartService/Login?userName=pacsim&password=pacsim",
			"http://h/SmartService/Login?userName=pacsim&password=REDACTED"},
		// Names compare case-insensitively, as SmartService binds them.
		{"http://h/SmartService/LockDoor?SDKEY=0f8fad5b-d9cb&id=20", "http://h/SmartService/LockDoor?SDKEY=REDACTED&id=20"},
		{"http://h/SmartService/Login?USERNAME=a&PassWord=b&Encrypted=true", "http://h/SmartService/Login?USERNAME=REDACTED&PassWord=REDACTED&Encrypted=true"},
		{"http://h/SmartService/Events?sdKey=k&startDate=2026-01-05", "http://h/SmartService/Events?sdKey=REDACTED&startDate=2026-01-05"},
		{"http://h/SmartService/GatewaysSites", "http://h/SmartService/GatewaysSites"},
		{"http://h/SmartService/x?sd%4Bey=k", "http://h/SmartService/x?sd%4Bey=REDACTED"},
		{"http://h/SmartService/x?%zz=k", "http://h/SmartService/x?%zz=REDACTED"},
		{"http://h/SmartService/x?sdKey=k#frag", "http://h/SmartService/x?sdKey=REDACTED#frag"},
	} {
		assert.Equal(t, tc.want, entrapass.RedactURL(tc.in), tc.in)
	}
}
