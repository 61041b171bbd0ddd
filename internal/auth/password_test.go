package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not use argon2id at OWASP's minimum parameters", h)
	}
	if h2 := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	}
	for _, tt := range tests {
		if got, err := CheckPassword(h, tt.password); err != nil || got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=19$m=x$salt$key"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) accepted a malformed hash", bad)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password string
		ok       bool
	}{
		{"short", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{strings.Repeat("x", 257), false},
	}
	for _, tt := range tests {
		if err := ValidatePassword(tt.password); (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%d chars) = %v; want ok=%v", len(tt.password), err, tt.ok)
		}
	}
}

func TestDelay(t *testing.T) {
	t.Parallel()
	s := &Service{set: Settings{SlowAfter: 3}}
	tests := []struct {
		failures int
		want     time.Duration
	}{{1, 0}, {3, 0}, {4, 500 * time.Millisecond}, {5, time.Second}, {6, 2 * time.Second}, {8, 8 * time.Second}, {20, 8 * time.Second}}
	for _, tt := range tests {
		if got := s.Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d) = %v; want %v", tt.failures, got, tt.want)
		}
	}
}
