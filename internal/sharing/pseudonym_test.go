package sharing

import (
	"strings"
	"testing"
)

func TestPseudonym(t *testing.T) {
	a, b := []byte(strings.Repeat("a", 32)), []byte(strings.Repeat("b", 32))
	p := Pseudonym(a, 352, 1001)
	if p != Pseudonym(a, 352, 1001) {
		t.Error("the same child gets a different pseudonym")
	}
	if len(p) != 16 || strings.Contains(p, "1001") {
		t.Errorf("pseudonym %q", p)
	}
	seen := map[string]bool{}
	for id := int64(1); id <= 20000; id++ {
		q := Pseudonym(a, 352, id)
		if seen[q] {
			t.Fatalf("two children share pseudonym %s", q)
		}
		seen[q] = true
	}
	if Pseudonym(b, 352, 1001) == p || Pseudonym(a, 355, 1001) == p {
		t.Error("another council's key or code gives the same pseudonym")
	}
}
