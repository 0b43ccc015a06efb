// Package image builds the pacsim OCI image (SPEC §11) without a Docker
// daemon, with go-containerregistry: one layer holding the static binary
// on an empty base (no shell, no libc), user 65532, entrypoint pacsim and
// a serve command listening on 0.0.0.0.
package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// BinaryPath is where the binary lies in the image; PATH names its
// directory, so the entrypoint is plain "pacsim".
const BinaryPath = "/usr/local/bin/pacsim"

// User is the image's user: the "nonroot" uid and gid of distroless.
const User = "65532:65532"

// The ports of serve in the image: SmartService, Web SDK, control API.
const (
	PortEntraPass = 8801
	PortGenetec   = 4590
	PortControl   = 9700
)

// Cmd is the image's command: serve with every listener on 0.0.0.0,
// which only a container should do (loopback stays every default).
var Cmd = []string{"serve",
	"--entrapass", fmt.Sprintf("0.0.0.0:%d", PortEntraPass),
	"--genetec", fmt.Sprintf("0.0.0.0:%d", PortGenetec),
	"--control", fmt.Sprintf("0.0.0.0:%d", PortControl)}

// Meta are the OCI labels' values.
type Meta struct {
	Version  string // org.opencontainers.image.version
	Revision string // org.opencontainers.image.revision
	Source   string // org.opencontainers.image.source
	Created  time.Time
}

// Build returns the image of the static binary bin (built for linux/arch).
func Build(bin []byte, arch string, m Meta) (v1.Image, error) {
	layer, err := binaryLayer(bin, m.Created)
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		return nil, err
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.Created = v1.Time{Time: m.Created}
	cf.Config.User = User
	cf.Config.Entrypoint = []string{"pacsim"}
	cf.Config.Cmd = Cmd
	cf.Config.Env = []string{"PATH=/usr/local/bin"}
	cf.Config.ExposedPorts = map[string]struct{}{}
	for _, p := range []int{PortEntraPass, PortGenetec, PortControl} {
		cf.Config.ExposedPorts[fmt.Sprintf("%d/tcp", p)] = struct{}{}
	}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":    "pacsim",
		"org.opencontainers.image.version":  m.Version,
		"org.opencontainers.image.revision": m.Revision,
		"org.opencontainers.image.source":   m.Source,
		"org.opencontainers.image.licenses": "see source",
	}
	return mutate.ConfigFile(img, cf)
}

// binaryLayer is one layer holding the binary, executable by anyone,
// owned by root so the user 65532 cannot change it.
func binaryLayer(bin []byte, mod time.Time) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"usr/", "usr/local/", "usr/local/bin/"} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: 0o755, ModTime: mod}); err != nil {
			return nil, err
		}
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: BinaryPath[1:], Mode: 0o755, Size: int64(len(bin)), ModTime: mod}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(bin); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
		tarball.WithMediaType(types.OCILayer))
}

// WriteFile writes img as a tarball that docker load, podman load and
// crane push accept, tagged tag ("pacsim:dev").
func WriteFile(path, tag string, img v1.Image) error {
	ref, err := name.NewTag(tag)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := tarball.WriteToFile(tmp, ref, img); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
