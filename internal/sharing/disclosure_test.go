package sharing

import (
	"strconv"
	"testing"
)

// TestPublish pins the published rule for every count up to 600 and every
// cell key: nothing from 1 to MinCount−1 is shown, a shown count is within
// MaxNoise of the truth, the same cell always gets the same answer, and the
// noise averages zero over the keys.
func TestPublish(t *testing.T) {
	for _, ctl := range []Control{Default, {MinCount: 10, MaxNoise: 3, ZeroMask: 64, Seed: 7}} {
		for n := 1; n <= 600; n++ {
			sum := 0
			for k := range 256 {
				c := ctl.Publish(Count{N: n, Key: k}, "t")
				if c != ctl.Publish(Count{N: n, Key: k}, "t") {
					t.Fatalf("%+v: n=%d key=%d gets two answers", ctl, n, k)
				}
				switch {
				case c.Suppressed && n >= ctl.MinCount+ctl.MaxNoise:
					t.Errorf("n=%d key=%d withheld though no noise takes it below %d", n, k, ctl.MinCount)
				case c.Suppressed:
				case c.N < ctl.MinCount:
					t.Errorf("n=%d key=%d published as %d", n, k, c.N)
				case abs(c.N-n) > ctl.MaxNoise:
					t.Errorf("n=%d key=%d published as %d: beyond ±%d", n, k, c.N, ctl.MaxNoise)
				}
				if n < ctl.MinCount && !c.Suppressed {
					t.Errorf("n=%d shown", n)
				}
				sum += ctl.noise(n, k)
			}
			if sum != 0 {
				t.Errorf("%+v: noise for n=%d sums to %d over the keys, not 0", ctl, n, sum)
			}
		}
	}
	// Rows differ, so nested cells with the same key get different noise.
	same := 0
	for k := range 256 {
		if Default.noise(40, k) == Default.noise(41, k) {
			same++
		}
	}
	if same > 150 {
		t.Errorf("rows 40 and 41 agree on %d of 256 keys: not shuffled", same)
	}
}

// TestEmptyCells: an empty cell is shown as 0 or c by its label, about a
// quarter c, always the same way for the same label and question.
func TestEmptyCells(t *testing.T) {
	ctl := Default
	ctl.scope = `{"uasc":true}`
	masked := 0
	for i := range 10000 {
		c := ctl.Publish(Count{}, "bands|row"+strconv.Itoa(i))
		if c.Suppressed {
			masked++
		} else if c.N != 0 {
			t.Fatalf("an empty cell shown as %d", c.N)
		}
		if c != ctl.Publish(Count{}, "bands|row"+strconv.Itoa(i)) {
			t.Fatal("an empty cell gets two answers")
		}
	}
	if masked < 2200 || masked > 2800 {
		t.Errorf("%d of 10,000 empty cells withheld, want about a quarter", masked)
	}
	if c := Exact.Publish(Count{N: 3, Key: 9}, "x"); c.Suppressed || c.N != 3 {
		t.Errorf("Exact shows 3 as %+v", c)
	}
	if c := Exact.Publish(Count{}, "x"); c.Suppressed {
		t.Error("Exact withholds a zero")
	}
}

// TestProtectByHand: a table's totals are perturbed from their own true
// counts and keys, not added up from the perturbed cells.
func TestProtectByHand(t *testing.T) {
	counts := [][]Count{{{N: 40, Key: 3}, {N: 2, Key: 200}}, {{N: 0}, {N: 61, Key: 17}}}
	tb := Default.Protect("t", []string{"a", "b"}, []string{"x", "y"}, counts)
	if !tb.Cells[0][1].Suppressed || tb.Cells[0][1].N != 0 {
		t.Errorf("a count of 2 published as %+v", tb.Cells[0][1])
	}
	want := map[string][2]Cell{
		"a total": {tb.RowTotals[0], Default.Publish(Count{N: 42, Key: 203}, "t|a|total")},
		"y total": {tb.ColTotals[1], Default.Publish(Count{N: 63, Key: 217}, "t|total|y")},
		"total":   {tb.Total, Default.Publish(Count{N: 103, Key: 220}, "t|total")},
	}
	for name, w := range want {
		if w[0] != w[1] {
			t.Errorf("%s %+v, want %+v", name, w[0], w[1])
		}
	}
}
