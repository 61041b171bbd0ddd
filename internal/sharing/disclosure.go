// Package sharing owns what councils share with their regional care
// cooperative: sharing agreements, keyed pseudonyms, and disclosure control
// of every regional figure.
package sharing

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"sync"
)

// Control is an RCC's disclosure control: cell key perturbation, the method
// of the ONS's Census 2021 flexible tables and the ABS TableBuilder it came
// from (docs/disclosure.md says what it does in words).
//
//   - Every child (and court case) has a fixed random record key, 0–255.
//   - A cell's key is the sum of its records' keys mod 256, so the same
//     children always make the same cell key however the table was asked for.
//   - The perturbation table gives the noise for (count, cell key): the same
//     cell always gets the same answer, so repeating a query, or asking for
//     it another way, averages nothing away.
//   - A count below MinCount, before or after the noise, is published as c.
//   - Some empty cells are published as c too (ZeroMask of the 256 keys), so
//     c never tells anyone that a group has at least one child.
//
// Counts of 1 to MinCount−1 are never published. A published count n means
// the true count is between n−MaxNoise and n+MaxNoise.
type Control struct {
	MinCount int `json:"min_count"` // 5 by default
	MaxNoise int `json:"max_noise"` // 3 by default; 0 turns perturbation off (tests only)
	ZeroMask int `json:"-"`         // of 256, how many empty cells show c; 64 by default
	// Seed shuffles the perturbation table's rows. It is configuration, per
	// RCC, and not shown: the protection does not depend on it being secret,
	// but it costs an attacker the exact table.
	Seed int64 `json:"-"`
	// K is the extract's k-anonymity: every combination of quasi-identifiers
	// is shared by at least K rows.
	K int `json:"k_anonymity"`

	scope string // what was asked for (the filter), for the keys of empty cells
}

// Default is the published default: counts below 5 withheld, noise of up to
// ±3 (mostly ±1), a quarter of empty cells withheld, extract k = 5.
var Default = Control{MinCount: 5, MaxNoise: 3, ZeroMask: 64, Seed: 1, K: 5}

// Exact publishes every count as it is (a council's own figures).
var Exact = Control{MinCount: 1, K: 1}

// Count is the true count of a cell and its cell key.
type Count struct {
	N   int
	Key int // the sum of the records' keys, mod 256
}

// Add puts one record with the given record key in the cell.
func (c *Count) Add(key uint8) {
	c.N++
	c.Key = (c.Key + int(key)) & 255
}

// Plus is two cells together.
func (c Count) Plus(d Count) Count { return Count{N: c.N + d.N, Key: (c.Key + d.Key) & 255} }

// Cell is one published count: the number, or withheld.
type Cell struct {
	N             int  `json:"n"`
	Suppressed    bool `json:"suppressed"`
	NotShared     bool `json:"not_shared,omitempty"`     // the council does not share this; also Suppressed
	NotApplicable bool `json:"not_applicable,omitempty"` // nothing meaningful to count here; also Suppressed
}

// String shows a cell as published, with the DfE's symbols: c withheld to
// protect confidentiality, x not available (the council does not share it),
// z not applicable.
func (c Cell) String() string {
	switch {
	case c.NotApplicable:
		return "z"
	case c.NotShared:
		return "x"
	case c.Suppressed:
		return "c"
	}
	return strconv.Itoa(c.N)
}

func notApplicable() Cell { return Cell{Suppressed: true, NotApplicable: true} }

// Publish is a count as published. label names the cell (table, row,
// column); it only matters for empty cells, which have no records to key them.
func (ctl Control) Publish(c Count, label string) Cell {
	switch {
	case c.N == 0:
		if ctl.ZeroMask > 0 && emptyKey(ctl.scope+"|"+label) < ctl.ZeroMask {
			return Cell{Suppressed: true}
		}
		return Cell{}
	case c.N < ctl.MinCount:
		return Cell{Suppressed: true}
	}
	n := c.N + ctl.noise(c.N, c.Key)
	if n < ctl.MinCount {
		return Cell{Suppressed: true}
	}
	return Cell{N: n}
}

// emptyKey is an empty cell's key: from what was asked, since it has no records.
func emptyKey(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() & 255)
}

// ptableRows is how many counts the perturbation table has rows for; larger
// counts reuse the rows from MinCount on, as the ONS's table does.
const ptableRows = 512

type ptableID struct{ maxNoise, seed int64 }

var ptables sync.Map // ptableID → *[ptableRows][256]int8

// PTable is the perturbation table: the noise added to a count n whose cell
// key is k is PTable()[row(n)][k]. In each row the noise −D…+D appears in
// proportion (D+1−|noise|)² (for D = 3: 1, 4, 9, 16, 9, 4, 1 in 44), so it
// averages zero; each row is shuffled on its own, so two nested cells with the same
// key do not get the same noise.
func (ctl Control) PTable() *[ptableRows][256]int8 {
	id := ptableID{int64(ctl.MaxNoise), ctl.Seed}
	if t, ok := ptables.Load(id); ok {
		return t.(*[ptableRows][256]int8)
	}
	d := ctl.MaxNoise
	var base [256]int8
	if d > 0 {
		// Weights (D+1−|e|)²: small noise common, the largest rare, so an
		// attacker who knows the bound seldom meets a cell at it.
		total := 0
		for e := -d; e <= d; e++ {
			total += (d + 1 - abs(e)) * (d + 1 - abs(e))
		}
		i := 0
		for e := -d; e <= d; e++ {
			w := (d + 1 - abs(e)) * (d + 1 - abs(e))
			for range 256 * w / total {
				base[i] = int8(e)
				i++
			}
		}
		// What the rounding left over is no noise.
		for ; i < 256; i++ {
			base[i] = 0
		}
	}
	t := new([ptableRows][256]int8)
	for n := range t {
		t[n] = base
		r := rand.New(rand.NewPCG(uint64(ctl.Seed), uint64(n)))
		r.Shuffle(256, func(i, j int) { t[n][i], t[n][j] = t[n][j], t[n][i] })
	}
	got, _ := ptables.LoadOrStore(id, t)
	return got.(*[ptableRows][256]int8)
}

func (ctl Control) noise(n, key int) int {
	if ctl.MaxNoise <= 0 {
		return 0
	}
	row := n
	if row >= ptableRows {
		lo := max(ctl.MinCount, 1)
		row = lo + (n-lo)%(ptableRows-lo)
	}
	return int(ctl.PTable()[row][key&255])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Table is a two-way table of counts with row and column totals, as published.
type Table struct {
	Rows, Cols []string
	Cells      [][]Cell
	RowTotals  []Cell
	ColTotals  []Cell
	Total      Cell
	// Note says what the totals add up, where it is not simply every row.
	Note string `json:",omitempty"`
}

// Protect publishes a table of counts. Every cell and every total is
// perturbed on its own from its true count and cell key, so there is nothing
// to subtract: a total is not the sum of the cells shown, and no cell can be
// worked out from the others.
func (ctl Control) Protect(name string, rows, cols []string, counts [][]Count) Table {
	t := Table{Rows: rows, Cols: cols, Cells: make([][]Cell, len(rows)), RowTotals: make([]Cell, len(rows)), ColTotals: make([]Cell, len(cols))}
	colSum := make([]Count, len(cols))
	var all Count
	for i := range rows {
		t.Cells[i] = make([]Cell, len(cols))
		var sum Count
		for j := range cols {
			c := counts[i][j]
			t.Cells[i][j] = ctl.Publish(c, name+"|"+rows[i]+"|"+cols[j])
			sum, colSum[j] = sum.Plus(c), colSum[j].Plus(c)
		}
		t.RowTotals[i] = ctl.Publish(sum, name+"|"+rows[i]+"|total")
		all = all.Plus(sum)
	}
	for j := range cols {
		t.ColTotals[j] = ctl.Publish(colSum[j], name+"|total|"+cols[j])
	}
	t.Total = ctl.Publish(all, name+"|total")
	return t
}
