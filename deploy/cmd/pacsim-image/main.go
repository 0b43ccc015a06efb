// Command pacsim-image writes the pacsim OCI image tarball (make image):
// the static binary on an empty base, built without a Docker daemon.
//
//	go run ./cmd/pacsim-image -o ../pacsim-image.tar
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pacsim/pacsim/deploy/image"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pacsim-image:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("o", "pacsim-image.tar", "the tarball to write")
	tag := flag.String("tag", "pacsim:dev", "the image's name and tag in the tarball (what docker load names it)")
	arch := flag.String("arch", runtime.GOARCH, "the architecture to build for (amd64, arm64)")
	version := flag.String("version", "dev", "org.opencontainers.image.version, and pacsim version's answer")
	revision := flag.String("revision", "unknown", "org.opencontainers.image.revision: the commit built")
	source := flag.String("source", "https://github.com/pacsim/pacsim", "org.opencontainers.image.source")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("no arguments expected, got %q", flag.Args())
	}
	root, err := image.Root(".")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "pacsim-image")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "pacsim")
	if err := image.BuildBinary(root, *arch, *version, bin); err != nil {
		return err
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	// The Unix epoch, as ko does: a rebuild of the same commit is the
	// same image, byte for byte.
	created := time.Unix(0, 0).UTC()
	img, err := image.Build(b, *arch, image.Meta{Version: *version, Revision: *revision, Source: *source, Created: created})
	if err != nil {
		return err
	}
	if err := image.WriteFile(*out, *tag, img); err != nil {
		return err
	}
	d, _ := img.Digest()
	fmt.Printf("wrote %s (%s, %s)\n", *out, *tag, d)
	return nil
}
