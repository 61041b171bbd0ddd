package config

import (
	"strings"
	"testing"
)

func TestPoolSize(t *testing.T) {
	for _, tc := range []struct {
		v       string
		want    int32
		problem string
	}{
		{"", 0, ""},
		{"24", 24, ""},
		{"1", 0, "HEARTH_DB_MAX_CONNS"},
		{"lots", 0, "HEARTH_DB_MAX_CONNS"},
		{"5000", 0, "HEARTH_DB_MAX_CONNS"},
	} {
		c, err := Load(func(k string) string { return map[string]string{"HEARTH_DB_MAX_CONNS": tc.v}[k] })
		switch {
		case tc.problem != "" && (err == nil || !strings.Contains(err.Error(), tc.problem)):
			t.Errorf("HEARTH_DB_MAX_CONNS=%q: err %v; want it named", tc.v, err)
		case tc.problem == "" && (err != nil || c.DBMaxConns != tc.want):
			t.Errorf("HEARTH_DB_MAX_CONNS=%q: %d, %v; want %d", tc.v, c.DBMaxConns, err, tc.want)
		}
	}
}
