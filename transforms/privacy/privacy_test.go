package privacy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKeysAreStableHexAndKeyed(t *testing.T) {
	k1, err := NewKeyer([]byte("0123456789abcdef"))
	require.NoError(t, err)
	k2, err := NewKeyer([]byte("0123456789abcdef"))
	require.NoError(t, err)
	other, err := NewKeyer([]byte("fedcba9876543210"))
	require.NoError(t, err)

	id := "36010219900101123X"
	p := k1.PersonKey(id)
	require.Regexp(t, "^[0-9a-f]{64}$", p)
	require.Equal(t, p, k2.PersonKey(id), "the same key gives the same person_key, so months join")
	require.Equal(t, p, k1.PersonKey(id), "a Keyer is reusable")
	require.NotEqual(t, p, other.PersonKey(id), "another key gives another pseudonym")
	require.NotContains(t, p, id)

	// Household keys join county and number unambiguously.
	require.NotEqual(t, k1.HouseholdKey("360731", "1001"), k1.HouseholdKey("360731100", "1"))
	require.Equal(t, k1.HouseholdKey("360731", "H1"), k2.HouseholdKey("360731", "H1"))

	_, err = NewKeyer([]byte("short"))
	require.ErrorIs(t, err, ErrShortKey)
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"张三": "张**", "欧阳娜娜": "欧**", "": "", "Li": "L**"} {
		require.Equal(t, want, MaskName(in), in)
	}
}

func TestFingerprintIdentifiesTheKeyWithoutRevealingIt(t *testing.T) {
	key := []byte("0123456789abcdef")
	// HMAC-SHA256("0123456789abcdef", "zengshou key fingerprint v1"), worked
	// out independently (Python's hmac module).
	require.Equal(t, "be0fc31561f32e2f0ba19c87a59ea649d1fdfe012f5ea3b0a347f70ee3c3dc7f", Fingerprint(key))
	require.Equal(t, Fingerprint(key), Fingerprint([]byte("0123456789abcdef")), "stable")
	require.NotEqual(t, Fingerprint(key), Fingerprint([]byte("fedcba9876543210")), "another key, another fingerprint")
	require.NotContains(t, Fingerprint(key), "0123456789abcdef")
}
