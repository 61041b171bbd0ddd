package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "" || c.OwnerURL != "" {
		t.Errorf("database URLs without settings = %q, %q; want the private cluster", c.DatabaseURL, c.OwnerURL)
	}
	if c, _ := Load(env(map[string]string{"DATABASE_URL": "postgres://hearth_app@db/hearth", "DATABASE_OWNER_URL": "postgres://hearth_owner@db/hearth"})); c.DatabaseURL != "postgres://hearth_app@db/hearth" || c.OwnerURL != "postgres://hearth_owner@db/hearth" {
		t.Errorf("Load(DATABASE_URL, DATABASE_OWNER_URL) = %q, %q", c.DatabaseURL, c.OwnerURL)
	}
	if c.ListenAddr != "localhost:8080" || c.DataDir != ".data" || !c.SecureCookies || c.SessionIdle != 30*time.Minute || c.LockAfter != 5 {
		t.Errorf("defaults = %+v", c)
	}
	_, err = Load(env(map[string]string{"HEARTH_SESSION_IDLE": "soon", "HEARTH_SECURE_COOKIES": "maybe", "HEARTH_LOCK_AFTER": "0", "LOG_FORMAT": "xml"}))
	for _, want := range []string{"HEARTH_SESSION_IDLE", "HEARTH_SECURE_COOKIES", "HEARTH_LOCK_AFTER", "LOG_FORMAT"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(bad) = %v; want it to name %s", err, want)
		}
	}
}
