// Package sealing owns the server's secret key (HEARTH_SECRET_KEY) and the
// secrets sealed under it: AES-256-GCM, with what the secret belongs to bound
// in as additional data, so a sealed value copied to another row does not
// open. The key lives in the server's environment, never in the database, so
// a copy of the database (a backup, a replica) gives nobody the secrets.
package sealing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoKey: HEARTH_SECRET_KEY is not set, so nothing can be sealed or opened.
var ErrNoKey = errors.New("HEARTH_SECRET_KEY is not set: the server cannot keep secrets safely without it")

// Key is a 32-byte AES-256 key; the zero Key seals nothing.
type Key []byte

// Parse reads a key given as 64 hex digits or base64 of 32 bytes.
func Parse(v string) (Key, error) {
	v = strings.TrimSpace(v)
	if b, err := hex.DecodeString(v); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(v); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("HEARTH_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -hex 32)")
}

// FromEnv reads HEARTH_SECRET_KEY; nil when unset.
func FromEnv() (Key, error) {
	v := strings.TrimSpace(os.Getenv("HEARTH_SECRET_KEY"))
	if v == "" {
		return nil, nil
	}
	return Parse(v)
}

// DevKey reads the development key kept in file, making it (0600) the first
// time. Only for the private development cluster, whose data sits beside it.
func DevKey(file string) (Key, error) {
	if b, err := os.ReadFile(file); err == nil {
		return Parse(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("development key: %w", err)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("development key: %w", err)
	}
	if err := os.WriteFile(file, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("development key: %w", err)
	}
	return k, nil
}

// Seal encrypts secret for the owner named by aad (for example
// "council_idp:352"): a random nonce followed by the ciphertext.
func (k Key) Seal(aad string, secret []byte) ([]byte, error) {
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, secret, []byte(aad)), nil
}

// Open decrypts what Seal made for the same owner.
func (k Key) Open(aad string, sealed []byte) ([]byte, error) {
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("sealed secret is too short")
	}
	b, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], []byte(aad))
	if err != nil {
		return nil, fmt.Errorf("secret of %s does not open with HEARTH_SECRET_KEY: %w", aad, err)
	}
	return b, nil
}

func (k Key) gcm() (cipher.AEAD, error) {
	if len(k) != 32 {
		return nil, ErrNoKey
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
