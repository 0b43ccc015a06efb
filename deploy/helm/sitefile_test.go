package helm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChartSiteFile: with site.file every site serves that file from a
// ConfigMap mounted read-only; the pod runs locally with the ConfigMap's
// data where the mount would be, until its probes pass.
func TestChartSiteFile(t *testing.T) {
	site, err := os.ReadFile(filepath.Join("..", "..", "sim", "sites", "default.yaml"))
	require.NoError(t, err)
	r := render(t, map[string]any{"site": map[string]any{"file": string(site)}})
	require.Len(t, r.ConfigMaps, 1)
	cm := r.ConfigMaps[0]
	assert.Equal(t, strings.TrimRight(string(site), "\n"), strings.TrimRight(cm.Data["site.yaml"], "\n"), "the ConfigMap holds the file as given")

	ss := r.StatefulSets[0]
	assert.NotEmpty(t, ss.Spec.Template.Annotations["checksum/site"], "a new file rolls the pods")
	pod := ss.Spec.Template.Spec
	require.Len(t, pod.Volumes, 1)
	require.NotNil(t, pod.Volumes[0].ConfigMap)
	assert.Equal(t, cm.Name, pod.Volumes[0].ConfigMap.Name)
	c := pod.Containers[0]
	require.Len(t, c.VolumeMounts, 1)
	m := c.VolumeMounts[0]
	assert.Equal(t, pod.Volumes[0].Name, m.Name)
	assert.True(t, m.ReadOnly)
	path := flagValue(t, c.Args, "--site")
	assert.Equal(t, m.MountPath, filepath.Dir(path), "--site is in the mount")
	assert.NotContains(t, c.Args, "--generate")

	// The mount, locally: the ConfigMap's keys as files in a folder.
	dir := t.TempDir()
	for k, v := range cm.Data {
		require.NoError(t, os.WriteFile(filepath.Join(dir, k), []byte(v), 0o444))
	}
	args := loopback(expand(t, c.Args, pod0.env(t, c, nil)))
	for i := range args {
		if i > 0 && args[i-1] == "--site" {
			args[i] = filepath.Join(dir, filepath.Base(args[i]))
		}
	}
	probe(t, c, start(t, args, nil))
}

var pod0 = pod{name: "fleet-0", index: 0}

// TestChartJournalRetention: site.journalRetention reaches each site as
// --journal-retention; left at 0, the flag is not given (the site file's,
// else the default).
func TestChartJournalRetention(t *testing.T) {
	c := render(t, map[string]any{"site": map[string]any{"journalRetention": 250000}}).StatefulSets[0].Spec.Template.Spec.Containers[0]
	assert.Equal(t, "250000", flagValue(t, c.Args, "--journal-retention"))
	c = render(t, nil).StatefulSets[0].Spec.Template.Spec.Containers[0]
	assert.NotContains(t, c.Args, "--journal-retention")
}
