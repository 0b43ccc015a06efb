package image

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildBinary builds the static pacsim binary of the module at root for
// linux/arch into out: CGO_ENABLED=0 (no libc to find in an empty image),
// the time zone database embedded (timetzdata: the image has no
// /usr/share/zoneinfo), version set with -X main.version.
func BuildBinary(root, arch, version, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "timetzdata",
		"-ldflags", "-s -w -X main.version="+version, "-o", out, "./cmd/pacsim")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/pacsim: %v\n%s", err, strings.TrimSpace(string(b)))
	}
	return nil
}

// Root finds the main module's root from dir upwards: the go.mod naming
// github.com/pacsim/pacsim.
func Root(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/pacsim/pacsim\n") {
			return d, nil
		}
		p := filepath.Dir(d)
		if p == d {
			return "", fmt.Errorf("no go.mod of github.com/pacsim/pacsim above %s", dir)
		}
		d = p
	}
}
