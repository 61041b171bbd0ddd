package sealing_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/sealing"
)

func TestSealOpensOnlyForItsOwner(t *testing.T) {
	k, err := sealing.Parse(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("JBSWY3DPEHPK3PXP")
	sealed, err := k.Seal("user_totp:7", secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Fatal("the sealed value holds the secret as it is")
	}
	if got, err := k.Open("user_totp:7", sealed); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v; want the secret", got, err)
	}
	tests := []struct {
		name   string
		key    sealing.Key
		aad    string
		sealed []byte
	}{
		{"another owner's row", k, "user_totp:8", sealed},
		{"another key", sealing.Key(bytes.Repeat([]byte{1}, 32)), "user_totp:7", sealed},
		{"tampered", k, "user_totp:7", append(bytes.Clone(sealed[:len(sealed)-1]), sealed[len(sealed)-1]^1)},
		{"too short", k, "user_totp:7", sealed[:5]},
	}
	for _, tt := range tests {
		if _, err := tt.key.Open(tt.aad, tt.sealed); err == nil {
			t.Errorf("%s: opened; want refused", tt.name)
		}
	}
	if _, err := sealing.Key(nil).Seal("x", secret); !errors.Is(err, sealing.ErrNoKey) {
		t.Errorf("Seal without a key: %v; want ErrNoKey", err)
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{strings.Repeat("0f", 32), true},
		{"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true},
		{strings.Repeat("0f", 16), false},
		{"not a key", false},
	} {
		if _, err := sealing.Parse(tt.in); (err == nil) != tt.ok {
			t.Errorf("Parse(%q): %v; want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestDevKeyIsMadeOnceAndPrivate(t *testing.T) {
	f := filepath.Join(t.TempDir(), "data", "secret.key")
	a, err := sealing.DevKey(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sealing.DevKey(f)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("second DevKey = %x, %v; want the same key %x", b, err, a)
	}
	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v; want 0600", st.Mode().Perm())
	}
}
