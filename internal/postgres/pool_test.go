package postgres

import (
	"runtime"
	"testing"
)

func TestServerMaxConns(t *testing.T) {
	def := int32(max(8, 4*runtime.GOMAXPROCS(0)))
	for _, tc := range []struct {
		configured int32
		url        string
		want       int32
	}{
		{0, "postgres://db/hearth", def},
		{24, "postgres://db/hearth", 24},
		{24, "postgres://db/hearth?pool_max_conns=3", 24},
		{0, "postgres://db/hearth?pool_max_conns=3", 0}, // the URL's own, left to pgxpool
	} {
		if got := ServerMaxConns(tc.configured, tc.url); got != tc.want {
			t.Errorf("ServerMaxConns(%d, %q) = %d; want %d", tc.configured, tc.url, got, tc.want)
		}
	}
}
