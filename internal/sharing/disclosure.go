// Package sharing owns what councils share with their regional care
// cooperative: sharing agreements, keyed pseudonyms, and disclosure control
// of every regional figure.
package sharing

import (
	"math"
	"strconv"
)

// Control is the disclosure-control configuration (design.md §6).
type Control struct {
	MinCount int // counts from 1 to MinCount−1 are suppressed; 5 by default
	RoundTo  int // regional totals round to a multiple of this; 5 by default
}

// Default is design.md §6's rule: counts 1–4 suppressed, totals to the nearest 5.
var Default = Control{MinCount: 5, RoundTo: 5}

// Cell is one published count: the number, or suppressed.
type Cell struct {
	N          int  `json:"n"`
	Suppressed bool `json:"suppressed"`
	NotShared  bool `json:"not_shared,omitempty"` // the council does not share this; also Suppressed
}

// String shows a cell as published: "c" when suppressed, "x" when the
// council does not share it (the DfE's symbols).
func (c Cell) String() string {
	switch {
	case c.NotShared:
		return "x"
	case c.Suppressed:
		return "c"
	}
	return strconv.Itoa(c.N)
}

// Table is a two-way table of counts with row and column totals, as published.
type Table struct {
	Rows, Cols []string
	Cells      [][]Cell
	RowTotals  []Cell
	ColTotals  []Cell
	Total      Cell
}

// Protect publishes a table of counts under control:
//  1. primary suppression: counts from 1 to MinCount−1 become c;
//  2. secondary suppression: while any row or column has exactly one
//     suppressed cell, the smallest other non-zero cell in that line is also
//     suppressed, so no cell can be worked out by subtracting from a total;
//  3. totals are rounded to the nearest RoundTo (and suppressed when they
//     are themselves small), so suppressed cells cannot be recovered from the
//     difference between a total and the visible cells either.
func (ctl Control) Protect(rows, cols []string, counts [][]int) Table {
	t := Table{Rows: rows, Cols: cols, Cells: make([][]Cell, len(rows))}
	for i := range rows {
		t.Cells[i] = make([]Cell, len(cols))
		for j := range cols {
			n := counts[i][j]
			t.Cells[i][j] = Cell{N: n, Suppressed: n > 0 && n < ctl.MinCount}
		}
	}
	// A line whose one suppressed cell has no partner to hide behind keeps
	// its total back instead.
	hideRow, hideCol := make([]bool, len(rows)), make([]bool, len(cols))
	for changed := true; changed; {
		changed = false
		for i := range rows {
			done, partnerless := ctl.second(rowLine(t, i))
			changed = changed || done
			hideRow[i] = hideRow[i] || partnerless
		}
		for j := range cols {
			done, partnerless := ctl.second(colLine(t, j))
			changed = changed || done
			hideCol[j] = hideCol[j] || partnerless
		}
	}
	total := 0
	t.RowTotals = make([]Cell, len(rows))
	t.ColTotals = make([]Cell, len(cols))
	for i := range rows {
		sum := 0
		for j := range cols {
			sum += counts[i][j]
		}
		t.RowTotals[i] = ctl.total(sum)
		if hideRow[i] {
			t.RowTotals[i] = Cell{Suppressed: true}
		}
		total += sum
	}
	for j := range cols {
		sum := 0
		for i := range rows {
			sum += counts[i][j]
		}
		t.ColTotals[j] = ctl.total(sum)
		if hideCol[j] {
			t.ColTotals[j] = Cell{Suppressed: true}
		}
	}
	t.Total = ctl.total(total)
	// A single hidden row or column total could be worked out from the grand
	// total and the others; hide the grand total too.
	if count(t.RowTotals) == 1 || count(t.ColTotals) == 1 {
		t.Total = Cell{Suppressed: true}
	}
	for i := range t.Cells {
		for j := range t.Cells[i] {
			if t.Cells[i][j].Suppressed {
				t.Cells[i][j].N = 0 // never carried, even in JSON
			}
		}
	}
	return t
}

// rowLine and colLine return pointers to a line's cells.
func rowLine(t Table, i int) []*Cell {
	out := make([]*Cell, len(t.Cells[i]))
	for j := range t.Cells[i] {
		out[j] = &t.Cells[i][j]
	}
	return out
}

func colLine(t Table, j int) []*Cell {
	out := make([]*Cell, len(t.Cells))
	for i := range t.Cells {
		out[i] = &t.Cells[i][j]
	}
	return out
}

// second suppresses one more cell in a line with exactly one suppressed
// cell: the smallest visible non-zero one. It reports whether it did, and
// whether the line had no such partner (so its total must be kept back).
func (ctl Control) second(line []*Cell) (done, partnerless bool) {
	suppressed, best := 0, -1
	for k, c := range line {
		switch {
		case c.Suppressed:
			suppressed++
		case c.N > 0 && (best < 0 || c.N < line[best].N):
			best = k
		}
	}
	if suppressed != 1 {
		return false, false
	}
	if best < 0 {
		return false, true
	}
	line[best].Suppressed = true
	return true, false
}

func count(cells []Cell) int {
	n := 0
	for _, c := range cells {
		if c.Suppressed {
			n++
		}
	}
	return n
}

// total rounds a total to the nearest RoundTo; a small total is suppressed.
func (ctl Control) total(n int) Cell {
	if n > 0 && n < ctl.MinCount {
		return Cell{Suppressed: true}
	}
	r := ctl.RoundTo
	if r <= 1 {
		return Cell{N: n}
	}
	return Cell{N: int(math.Round(float64(n)/float64(r))) * r}
}
