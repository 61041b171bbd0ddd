package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
)

// MaxRows is the most data rows a "Show the data" table lists point by
// point. A scatter of a whole council's children has thousands of points;
// past this the table gives, for each X value, each series' count and the
// median, lowest and highest Y, which are the figures a reader takes from the
// picture.
const MaxRows = 200

// Figure is the chart as SVG followed by a GOV.UK details "Show the data"
// with the same figures as a table (WCAG 1.1.1: a chart's information must
// be available as text, not only as a picture).
func (c Chart) Figure() template.HTML {
	return c.SVG() + Table(c)
}

// Table is a GOV.UK details element holding the figures of one chart, or of
// a set of small multiples sharing an X axis, as one table. It returns
// nothing when the charts have no points.
func Table(charts ...Chart) template.HTML {
	if len(charts) == 0 {
		return ""
	}
	empty := true
	for _, c := range charts {
		empty = empty && c.Empty()
	}
	if empty {
		return ""
	}
	c := charts[0]
	caption := c.Title
	if len(charts) > 1 {
		caption = fmt.Sprintf("%d charts: %s", len(charts), strings.Join(titles(charts), ", "))
	}
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString(`<details class="govuk-details hearth-chart-data"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show the data`)
	if c.Title != "" && len(charts) == 1 {
		b.WriteString(`<span class="govuk-visually-hidden"> for ` + esc(c.Title) + `</span>`)
	}
	b.WriteString(`</span></summary><div class="govuk-details__text">`)
	b.WriteString(`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">` + esc(caption) + `</caption>`)
	head, rows := tabulate(charts)
	b.WriteString(`<thead class="govuk-table__head"><tr class="govuk-table__row">`)
	for i, h := range head {
		cls := "govuk-table__header"
		if i > 0 {
			cls += " govuk-table__header--numeric"
		}
		b.WriteString(`<th scope="col" class="` + cls + `">` + esc(h) + `</th>`)
	}
	b.WriteString(`</tr></thead><tbody class="govuk-table__body">`)
	for _, r := range rows {
		b.WriteString(`<tr class="govuk-table__row">`)
		for i, v := range r {
			if i == 0 {
				b.WriteString(`<th scope="row" class="govuk-table__header">` + esc(v) + `</th>`)
				continue
			}
			b.WriteString(`<td class="govuk-table__cell govuk-table__cell--numeric">` + esc(v) + `</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	var notes []string
	for _, band := range c.Bands {
		notes = append(notes, fmt.Sprintf("%s: %s to %s.", band.Label, c.yText(band.Lo), c.yText(band.Hi)))
	}
	for _, v := range c.VLines {
		notes = append(notes, fmt.Sprintf("Marked line: %s at %s.", v.Label, c.xText(v.X)))
	}
	if len(notes) > 0 {
		b.WriteString(`<p class="govuk-body-s">` + esc(strings.Join(notes, " ")) + `</p>`)
	}
	b.WriteString(`<p class="govuk-body-s">` + esc(c.Caption()) + `</p></div></details>`)
	return template.HTML(b.String())
}

func titles(cs []Chart) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Title
	}
	return out
}

// column is one series of the table, with the chart that formats it.
type column struct {
	c Chart
	s Series
}

// tabulate lays the figures out: one row per X value (a date, a number or a
// bar's category) and one column per series for line and bar charts; one
// row per point for a small scatter; and a summary by X for a large one.
func tabulate(charts []Chart) ([]string, [][]string) {
	var cols []column
	total := 0
	for _, c := range charts {
		for _, s := range c.Series {
			cols = append(cols, column{c, s})
			total += len(s.Points)
		}
	}
	c := charts[0]
	xHead := c.XLabel
	switch {
	case c.Kind == Bar:
		xHead = "Category"
	case xHead == "" && c.XTime:
		xHead = "Date"
	case xHead == "":
		xHead = "X"
	}
	name := func(col column) string {
		if len(charts) > 1 && col.s.Name == "" {
			return col.c.Title
		}
		if col.s.Name == "" {
			return valueHead(col.c)
		}
		return col.s.Name
	}
	if c.Kind == Scatter {
		if total <= MaxRows {
			head := []string{xHead, valueHead(c)}
			if len(cols) > 1 {
				head = []string{"Series", xHead, valueHead(c)}
			}
			if hasLabels(cols) {
				head = append(head, "Detail")
			}
			var rows [][]string
			for _, col := range cols {
				pts := slices.Clone(col.s.Points)
				sort.SliceStable(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
				for _, p := range pts {
					r := []string{col.c.xText(p.X), col.c.yText(p.Y)}
					if len(cols) > 1 {
						r = append([]string{name(col)}, r...)
					}
					if hasLabels(cols) {
						r = append(r, p.Label)
					}
					rows = append(rows, r)
				}
			}
			return head, rows
		}
		// Summarise: per X value (or, when X takes too many values, per
		// range of X), each series' count and median (range). One pass over
		// the points, so a national cohort is not read once per row.
		head := []string{xHead}
		for _, col := range cols {
			head = append(head, name(col)+": children", name(col)+": median (lowest–highest)")
		}
		xs := distinctX(cols)
		keys, labels := xs, make([]string, len(xs))
		for i, x := range xs {
			labels[i] = c.xText(x)
		}
		slot := func(x float64) int { return sort.SearchFloat64s(keys, x) }
		if len(xs) > MaxRows {
			edges := niceTicks(xs[0], xs[len(xs)-1], 20)
			keys, labels = edges[:len(edges)-1], make([]string, len(edges)-1)
			for i := range keys {
				labels[i] = c.xText(edges[i]) + " to under " + c.xText(edges[i+1])
			}
			slot = func(x float64) int {
				return max(0, min(len(keys)-1, sort.SearchFloat64s(edges, x+1e-9*math.Abs(x)+1e-12)-1))
			}
		}
		ys := make([][][]float64, len(cols)) // series, row: Y values
		for ci, col := range cols {
			ys[ci] = make([][]float64, len(keys))
			for _, p := range col.s.Points {
				k := slot(p.X)
				ys[ci][k] = append(ys[ci][k], p.Y)
			}
		}
		rows := make([][]string, 0, len(keys))
		for k := range keys {
			r := []string{labels[k]}
			for ci := range cols {
				v := ys[ci][k]
				if len(v) == 0 {
					r = append(r, "0", "–")
					continue
				}
				sort.Float64s(v)
				r = append(r, Number(float64(len(v))), fmt.Sprintf("%s (%s–%s)", c.yText(median(v)), c.yText(v[0]), c.yText(v[len(v)-1])))
			}
			rows = append(rows, r)
		}
		return head, rows
	}
	head := []string{xHead}
	for _, col := range cols {
		head = append(head, name(col))
	}
	type key struct {
		x   float64
		cat string
	}
	var keys []key
	seen := map[key]bool{}
	if c.Kind == Bar {
		for _, cat := range c.Plan().Categories {
			k := key{cat: cat}
			seen[k] = true
			keys = append(keys, k)
		}
	} else {
		for _, x := range distinctX(cols) {
			keys = append(keys, key{x: x})
		}
	}
	// Each series' first point at each key, found once.
	index := make([]map[key]Point, len(cols))
	for ci, col := range cols {
		index[ci] = make(map[key]Point, len(col.s.Points))
		for _, p := range col.s.Points {
			k := key{x: p.X}
			if c.Kind == Bar {
				k = key{cat: p.Label}
			}
			if _, ok := index[ci][k]; !ok {
				index[ci][k] = p
			}
		}
	}
	rows := make([][]string, 0, len(keys))
	for _, k := range keys {
		r := []string{c.xText(k.x)}
		if c.Kind == Bar {
			r[0] = k.cat
		}
		for ci, col := range cols {
			v := "–"
			if p, ok := index[ci][k]; ok {
				v = col.c.yText(p.Y)
			}
			r = append(r, v)
		}
		rows = append(rows, r)
	}
	return head, rows
}

func valueHead(c Chart) string {
	if c.YLabel != "" {
		return c.YLabel
	}
	return "Value"
}

func hasLabels(cols []column) bool {
	for _, col := range cols {
		for _, p := range col.s.Points {
			if p.Label != "" {
				return true
			}
		}
	}
	return false
}

func distinctX(cols []column) []float64 {
	seen := map[float64]bool{}
	var xs []float64
	for _, col := range cols {
		for _, p := range col.s.Points {
			if !seen[p.X] {
				seen[p.X] = true
				xs = append(xs, p.X)
			}
		}
	}
	sort.Float64s(xs)
	return xs
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// xText formats an X value as the reader would say it.
func (c Chart) xText(x float64) string {
	if c.XTime {
		return FromDays(x).Format("2 January 2006")
	}
	return Number(math.Round(x*10) / 10)
}

// yText formats a Y value with the chart's own names and units.
func (c Chart) yText(y float64) string {
	if name, ok := c.YLabels[y]; ok {
		return name
	}
	if c.YTickFmt != nil {
		return c.YTickFmt(y)
	}
	return Number(math.Round(y*10) / 10)
}
