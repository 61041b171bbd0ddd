package sharing

import (
	"math/rand/v2"
	"testing"
)

// recoverable tries what an analyst with the published table would: a
// suppressed cell that is the only unknown in a row or column whose total is
// published equals that total minus the visible cells. The attack assumes the
// totals are exact (as if rounding were off), the stronger case.
func recoverable(t Table) (int, int, bool) {
	for i := range t.Cells {
		n, at := 0, -1
		for j, c := range t.Cells[i] {
			if c.Suppressed {
				n++
				at = j
			}
		}
		if n == 1 && !t.RowTotals[i].Suppressed {
			return i, at, true
		}
	}
	for j := range t.Cols {
		n, at := 0, -1
		for i := range t.Rows {
			if t.Cells[i][j].Suppressed {
				n++
				at = i
			}
		}
		if n == 1 && !t.ColTotals[j].Suppressed {
			return at, j, true
		}
	}
	// A hidden row (or column) total is the grand total minus the others.
	for _, totals := range [][]Cell{t.RowTotals, t.ColTotals} {
		hidden, at := 0, -1
		for k, c := range totals {
			if c.Suppressed {
				hidden++
				at = k
			}
		}
		if hidden == 1 && !t.Total.Suppressed {
			return at, -1, true
		}
	}
	return 0, 0, false
}

func TestSuppressedCellsCannotBeRecovered(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		rows, cols := 2+r.IntN(5), 2+r.IntN(5)
		counts := make([][]int, rows)
		for i := range counts {
			counts[i] = make([]int, cols)
			for j := range counts[i] {
				switch x := r.Float64(); {
				case x < 0.25:
					counts[i][j] = 0
				case x < 0.55:
					counts[i][j] = 1 + r.IntN(4) // small: must be hidden
				default:
					counts[i][j] = 5 + r.IntN(60)
				}
			}
		}
		rn, cn := make([]string, rows), make([]string, cols)
		tab := Default.Protect(rn, cn, counts)
		for i := range counts {
			for j, n := range counts[i] {
				c := tab.Cells[i][j]
				if n > 0 && n < 5 && !c.Suppressed {
					t.Fatalf("trial %d: count %d at %d,%d published", trial, n, i, j)
				}
				if c.Suppressed && c.N != 0 {
					t.Fatalf("trial %d: a suppressed cell carries its count", trial)
				}
				if !c.Suppressed && c.N != n {
					t.Fatalf("trial %d: cell %d,%d shows %d, not %d", trial, i, j, c.N, n)
				}
			}
		}
		if i, j, ok := recoverable(tab); ok {
			t.Fatalf("trial %d: cell %d,%d (%d) is the only suppressed cell in its line and can be worked out from the total\n%v", trial, i, j, counts[i][j], counts)
		}
		for _, tot := range append(append([]Cell{tab.Total}, tab.RowTotals...), tab.ColTotals...) {
			if !tot.Suppressed && tot.N%5 != 0 {
				t.Fatalf("trial %d: total %d is not rounded to 5", trial, tot.N)
			}
		}
	}
}

func TestProtectByHand(t *testing.T) {
	// rows: two councils; columns: low, medium, high.
	counts := [][]int{{12, 3, 20}, {8, 9, 2}}
	tab := Default.Protect([]string{"A", "B"}, []string{"low", "medium", "high"}, counts)
	// Primary: A-medium (3) and B-high (2). Rows: A has one suppressed cell, so
	// its smallest other, A-low (12), goes; likewise B-low (8). Columns: medium
	// then has one (A), so B-medium (9) goes; high has one (B), so A-high (20)
	// goes. Every line now has zero or at least two suppressed cells.
	got := ""
	for i := range tab.Cells {
		for _, c := range tab.Cells[i] {
			got += c.String() + " "
		}
		got += "| "
	}
	if want := "c c c | c c c | "; got != want {
		t.Errorf("published %q; want %q", got, want)
	}
	if tab.Total.N != 55 { // 54 rounds to 55
		t.Errorf("total %v; want 55", tab.Total)
	}
}
