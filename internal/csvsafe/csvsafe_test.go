package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Oak House", "Oak House"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+44 161", "'+44 161"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-12.50", "-12.50"},
		{"+5", "+5"},
		{"a=b", "a=b"},
	} {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriter: what is written reads back as the escaped cells.
func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write([]string{"=1+1", "ok, with a comma"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) != 1 || recs[0][0] != "'=1+1" || recs[0][1] != "ok, with a comma" {
		t.Fatalf("%q, %v", recs, err)
	}
}

// TestUnsafe: the check the export tests use.
func TestUnsafe(t *testing.T) {
	if !Unsafe([]byte("a,=1\n")) || Unsafe([]byte("a,'=1,-3\n")) {
		t.Error("Unsafe is wrong")
	}
}
