// Package privacy pseudonymises and masks identities (warehouse.md): no raw
// ID number or name leaves the pipeline.
package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"unicode/utf8"
)

// Keyer computes person and household keys under a secret HMAC key. It is
// not safe for concurrent use; make one per goroutine with the same key.
type Keyer struct {
	mac hash.Hash
	buf []byte
}

// ErrShortKey is returned for keys shorter than 16 bytes.
var ErrShortKey = errors.New("HMAC key shorter than 16 bytes")

// NewKeyer returns a Keyer for the secret key.
func NewKeyer(key []byte) (*Keyer, error) {
	if len(key) < 16 {
		return nil, ErrShortKey
	}
	return &Keyer{mac: hmac.New(sha256.New, key)}, nil
}

// PersonKey is the lower-case hex HMAC-SHA256 of the normalised ID number.
func (k *Keyer) PersonKey(id string) string {
	return k.sum(id)
}

// HouseholdKey is the HMAC over the county code and household number,
// joined by a colon so that no two pairs collide.
func (k *Keyer) HouseholdKey(county, householdNo string) string {
	return k.sum(county + ":" + householdNo)
}

func (k *Keyer) sum(s string) string {
	k.mac.Reset()
	k.mac.Write([]byte(s))
	k.buf = k.mac.Sum(k.buf[:0])
	return hex.EncodeToString(k.buf)
}

// MaskName keeps the first character of a name: 张三丰 → 张**.
func MaskName(name string) string {
	if name == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "**"
}

// fingerprintMessage is the fixed text whose HMAC identifies a key.
const fingerprintMessage = "zengshou key fingerprint v1"

// Fingerprint identifies a key without revealing it: the lower-case hex
// HMAC-SHA256 of a fixed text under the key. The warehouse keeps it so that a
// run under another key, whose pseudonyms would match no history, is refused.
func Fingerprint(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(fingerprintMessage))
	return hex.EncodeToString(mac.Sum(nil))
}
