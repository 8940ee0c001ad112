package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// treeDigest is the SHA-256 of every file of the inbox, by sorted path.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	tree := readTree(t, dir)
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(tree)) {
		fmt.Fprintf(h, "%s\x00%d\x00", k, len(tree[k]))
		h.Write(tree[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The digests of smallConfig's inboxes as the generator wrote them before
// the extra departments existed (commit afd4c03). With the departments off
// the inbox, truth.json included, must stay byte for byte the same. A
// deliberate change of the model changes them: recompute and say so in the
// commit.
func TestInboxWithoutDepartmentsIsUnchanged(t *testing.T) {
	for _, tc := range []struct {
		dirty  bool
		digest string
	}{
		{true, "7a9853b08011b7b371a69a7d68a593e034e0e90dd9f75233ea9c279d21b5206e"},
		{false, "a10e9c731e0adfad0dd8a2a336133ea975b31e2da122471d1fa796bd0669d69e"},
	} {
		_, dir := generate(t, smallConfig(tc.dirty))
		require.Equal(t, tc.digest, treeDigest(t, dir), "dirty=%v", tc.dirty)
	}
}

// Enabling the departments adds their files and truth and changes no byte
// of the other files.
func TestDepartmentsOnlyAddFiles(t *testing.T) {
	cfg := smallConfig(true)
	_, offDir := generate(t, cfg)
	cfg.Departments = slices.Clone(Departments)
	_, onDir := generate(t, cfg)
	off, on := readTree(t, offDir), readTree(t, onDir)
	added := 0
	for name, b := range on {
		if prev, ok := off[name]; ok {
			if name != "truth.json" {
				require.Equal(t, prev, b, "%s changed when the departments were enabled", name)
			}
			continue
		}
		stem := name[8:]
		stem = stem[:strings.IndexByte(stem, '.')]
		require.Contains(t, Departments, stem, name)
		added++
	}
	require.Equal(t, 3*8, added, "three departments in each of eight months")
	require.Len(t, on, len(off)+added)
}
