package forecast

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Options are a forecast's parameters.
type Options struct {
	// Months is the horizon, in month-end steps after the as-of date.
	Months int
	// Paths is the number of simulated paths (Simulate needs at least 1,000
	// for its 95% interval to rest on 25 paths each side).
	Paths int
	// Seed makes a simulation repeatable: the same seed, model and options
	// give the same figures on any machine and any number of cores.
	Seed uint64
	// EntrantChange scales entrants: +0.1 is 10% more than the window saw.
	EntrantChange float64
	// FixedRates turns off parameter uncertainty: each path then uses the
	// fitted rates exactly, and only the flow of children is random.
	FixedRates bool
	// NoTrend holds the rates at the window's average instead of continuing
	// the trend fitted over the window (trend.go).
	NoTrend bool
}

// MinPaths is the fewest paths Simulate accepts.
const MinPaths = 1000

// Interval is a forecast figure: the mean of the paths and their quantiles.
type Interval struct {
	Mean, P025, P10, P50, P90, P975 float64
}

// Month is the forecast for one month end.
type Month struct {
	Date     time.Time
	Total    Interval
	Category [NumCategories]Interval
	Band     [NumAgeBands]Interval
	// Mix is the mean number in care by category and band, for costs.
	Mix [NumCategories][NumAgeBands]float64
	// Entrants and AgedOut are the month's mean flows in and out at 18.
	Entrants, AgedOut float64
	// Need is Mix by need band (NeedUnknown for not assessed), set by
	// SetNeeds from the need-band projection; nil when the forecast has no
	// need bands, and spend then holds today's need mix.
	Need map[string]*[NumCategories][NumAgeBands]float64 `json:",omitempty"`
}

// Forecast is a projection with everything a reader needs to judge it.
type Forecast struct {
	Method     string
	AsOf       time.Time
	WindowFrom time.Time
	WindowTo   time.Time
	Options    Options
	Start      float64
	Months     []Month
	// Drift is the model error per month of horizon (log scale) that Widen
	// added to the intervals, by series (total, categories, age bands); nil
	// when the intervals carry chance and rate uncertainty only.
	Drift []float64 `json:",omitempty"`
	// Trend is the fitted trend the forecast continued; nil when it held
	// the window's average rates.
	Trend *Trend `json:",omitempty"`
	// NeedBands are the need bands of Month.Need (SetNeeds), NeedUnknown
	// first; nil without them.
	NeedBands []string `json:",omitempty"`
}

// ErrOptions reports unusable forecast parameters.
var ErrOptions = errors.New("invalid forecast options")

func (o Options) check(sim bool) error {
	var errs []error
	if o.Months < 1 || o.Months > 120 {
		errs = append(errs, fmt.Errorf("months: %d; want 1 to 120", o.Months))
	}
	if sim && (o.Paths < MinPaths || o.Paths > 100000) {
		errs = append(errs, fmt.Errorf("paths: %d; want %d to 100000", o.Paths, MinPaths))
	}
	if o.EntrantChange < -1 || o.EntrantChange > 10 || math.IsNaN(o.EntrantChange) {
		errs = append(errs, fmt.Errorf("entrant change: %g; want −1 (none) to +10", o.EntrantChange))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrOptions, errors.Join(errs...))
	}
	return nil
}

func (m *Model) header(method string, o Options) *Forecast {
	f := &Forecast{Method: method, AsOf: m.To, WindowFrom: m.From, WindowTo: m.To, Options: o, Start: m.StartTotal()}
	if m.trendOn(o) {
		tr := m.FitTrend()
		f.Trend = &tr
	}
	return f
}

// Project is the expected-value projection: each month every state loses the
// expected share to each destination, ages a month (leaving at 18) and gains
// the expected entrants, spread evenly over the months of their year of age.
func (m *Model) Project(o Options) (*Forecast, error) {
	if err := o.check(false); err != nil {
		return nil, err
	}
	f := m.header("hearth-expected", o)
	rates := m.rates()
	p := m.probs(&rates)
	cur := slices.Clone(m.Start)
	next := make([]float64, len(cur))
	ent := m.entrantsPerStep(o.EntrantChange)
	ent1 := ent
	shares := m.allMonthShares()
	tp, ent0 := m.trendStart(f, &rates, ent)
	frac := FirstStep(m.To)
	for step := 1; step <= o.Months; step++ {
		// A step is a model month, but the first runs only from the as-of
		// date to the end of its month (share frac of a month): its hazards
		// act over those days, its entrants are that share of a month's,
		// and that share of each state reaches its next month of age.
		age, mid := 1.0, stepMid(frac, step)
		if step == 1 {
			age = frac
		}
		if f.Trend != nil || step <= 2 {
			r := rates
			if f.Trend != nil {
				for b := range NumAgeBands {
					for c := range NumCategories {
						for j := range NumCategories + 1 {
							r[b][c][j] *= stepFactor(tp.dest[j], mid)
						}
					}
				}
			}
			p = probsOver(&r, age*StepDays)
			for y := range 18 {
				for c := range NumCategories {
					if f.Trend != nil {
						ent[y][c] = ent0[y][c] * stepFactor(tp.ent[c], mid)
					} else {
						ent[y][c] = ent1[y][c]
					}
					ent[y][c] *= age
				}
			}
		}
		clear(next)
		var aged, entered float64
		// put moves v children from month of age am, category j, on a
		// step: the share age a month older (leaving at 18), the rest not.
		put := func(am, j int, v float64) {
			up, keep := v*age, v*(1-age)
			if am+1 < LeaveMonths {
				next[(am+1)*NumCategories+j] += up
			} else {
				aged += up
			}
			next[am*NumCategories+j] += keep
		}
		for am := range LeaveMonths {
			b := BandOfMonths(am)
			for c := range NumCategories {
				n := cur[am*NumCategories+c]
				if n == 0 {
					continue
				}
				stay := n
				for j := range NumCategories + 1 {
					mv := n * p[b][c][j]
					stay -= mv
					if j < NumCategories {
						put(am, j, mv)
					}
				}
				put(am, c, stay)
			}
		}
		for y := range 18 {
			for c := range NumCategories {
				e := ent[y][c]
				entered += e
				sh := &shares[y][c]
				for k := range 12 {
					next[(y*12+k)*NumCategories+c] += e * sh[k]
				}
			}
		}
		cur, next = next, cur
		mo := Month{Date: StepEnd(m.To, step), Entrants: entered, AgedOut: aged}
		var tot float64
		for am := range LeaveMonths {
			b := BandOfMonths(am)
			for c := range NumCategories {
				n := cur[am*NumCategories+c]
				tot += n
				mo.Mix[c][b] += n
			}
		}
		mo.Total = point(tot)
		for c := range NumCategories {
			var s float64
			for b := range NumAgeBands {
				s += mo.Mix[c][b]
			}
			mo.Category[c] = point(s)
		}
		for b := range NumAgeBands {
			var s float64
			for c := range NumCategories {
				s += mo.Mix[c][b]
			}
			mo.Band[b] = point(s)
		}
		f.Months = append(f.Months, mo)
	}
	return f, nil
}

func point(v float64) Interval { return Interval{v, v, v, v, v, v} }

// entrantsPerStep is the expected entrants a month by year of age and
// category, first entries and re-entries together.
func (m *Model) entrantsPerStep(change float64) (e [18][NumCategories]float64) {
	for k := range 2 {
		for y := range 18 {
			for c := range Category(NumCategories) {
				e[y][c] += m.EntrantsPerDay(k, y, c) * StepDays * (1 + change)
			}
		}
	}
	return e
}

// series is one path's figures per month: total, categories, bands.
const series = 1 + NumCategories + NumAgeBands

// Simulate runs o.Paths stochastic paths of the model: each month the
// children leaving each state are binomial and split multinomially across
// destinations, entrants are Poisson, and (unless FixedRates) each path first
// draws its rates from their gamma posterior given the window's events and
// days at risk, so the intervals carry the uncertainty of the estimates as
// well as of the flows. The result is the same for a seed whatever the number
// of cores.
func (m *Model) Simulate(o Options) (*Forecast, error) {
	if err := o.check(true); err != nil {
		return nil, err
	}
	f := m.header("hearth-simulated", o)
	vals := make([]float32, o.Paths*o.Months*series)
	mix := make([][NumCategories][NumAgeBands]float64, o.Months)
	flows := make([][2]float64, o.Months)
	workers := min(runtime.GOMAXPROCS(0), o.Paths)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range workers {
		wg.Go(func() {
			s := newSim(m, o)
			lmix := make([][NumCategories][NumAgeBands]float64, o.Months)
			lflows := make([][2]float64, o.Months)
			for path := w; path < o.Paths; path += workers {
				s.run(uint64(path), vals[path*o.Months*series:(path+1)*o.Months*series], lmix, lflows)
			}
			mu.Lock()
			for i := range lmix {
				for c := range NumCategories {
					for b := range NumAgeBands {
						mix[i][c][b] += lmix[i][c][b]
					}
				}
				flows[i][0] += lflows[i][0]
				flows[i][1] += lflows[i][1]
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	col := make([]float64, o.Paths)
	for step := range o.Months {
		mo := Month{Date: StepEnd(m.To, step+1), Entrants: flows[step][0] / float64(o.Paths), AgedOut: flows[step][1] / float64(o.Paths)}
		for c := range NumCategories {
			for b := range NumAgeBands {
				mo.Mix[c][b] = mix[step][c][b] / float64(o.Paths)
			}
		}
		for k := range series {
			for p := range o.Paths {
				col[p] = float64(vals[(p*o.Months+step)*series+k])
			}
			iv := quantiles(col)
			switch {
			case k == 0:
				mo.Total = iv
			case k <= NumCategories:
				mo.Category[k-1] = iv
			default:
				mo.Band[k-1-NumCategories] = iv
			}
		}
		f.Months = append(f.Months, mo)
	}
	return f, nil
}

// quantiles sorts v in place and reads the interval off it (type 7, as R's
// and NumPy's default).
func quantiles(v []float64) Interval {
	slices.Sort(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	q := func(p float64) float64 {
		h := p * float64(len(v)-1)
		lo := int(h)
		if lo+1 >= len(v) {
			return v[len(v)-1]
		}
		return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
	}
	return Interval{Mean: sum / float64(len(v)), P025: q(0.025), P10: q(0.10), P50: q(0.5), P90: q(0.90), P975: q(0.975)}
}

// sim holds one worker's buffers.
type sim struct {
	m        *Model
	o        Options
	cur, nxt []int32
	rates    [NumAgeBands][NumCategories][NumCategories + 1]float64
	ent      [2][18][NumCategories]float64
	trend    bool
	tr       Trend
	// The current step's: probability of leaving each band and category,
	// its logarithm of staying, and the cumulative split of those leaving
	// over destinations.
	out1     [NumAgeBands][NumCategories]float64
	logStay  [NumAgeBands][NumCategories]float64
	cumSplit [NumAgeBands][NumCategories][NumCategories + 1]float64
	split    [NumAgeBands][NumCategories][NumCategories + 1]float64
	// entStep is the step's expected entrants by year of age and category,
	// both kinds together (a sum of Poissons is Poisson).
	entStep [18][NumCategories]float64
	// cumShares is how year 0's entrants spread over its months,
	// cumulated.
	cumShares [NumCategories][12]float64
	// pow[b][c][n] is (1 − p)^n for the step, filled to the largest state
	// of the band and category (powLen).
	pow    [NumAgeBands][NumCategories][]float64
	powLen [NumAgeBands][NumCategories]int
}

func newSim(m *Model, o Options) *sim {
	s := &sim{m: m, o: o, cur: make([]int32, len(m.Start)), nxt: make([]int32, len(m.Start)), trend: m.trendOn(o)}
	if s.trend {
		s.tr = m.FitTrend()
	}
	for c := range NumCategories {
		var acc float64
		for k, v := range m.monthShares(0, c) {
			acc += v
			s.cumShares[c][k] = acc
		}
	}
	return s
}

// leavers draws Binomial(n, p) for band b and category c: by inversion
// while n·p is small, which is almost always (a state holds a few dozen
// children and a few per cent leave a month), starting from (1 − p)^n.
func (s *sim) leavers(r *rand.Rand, b AgeBand, c, n int) int {
	p := s.out1[b][c]
	if p <= 0 || p > 0.5 || float64(n)*p >= 30 {
		return binomial(r, n, p)
	}
	q := 1 - p
	ratio := p / q
	a := float64(n+1) * ratio
	var f float64
	if n < s.powLen[b][c] {
		f = s.pow[b][c][n]
	} else {
		f = math.Exp(float64(n) * s.logStay[b][c])
	}
	u := r.Float64()
	k := 0
	for u > f && k < n {
		u -= f
		k++
		f *= a/float64(k) - ratio
	}
	return k
}

// setStep works out a step's probabilities from the path's rates, carried
// on by its trend to the step's middle (mid model months after the as-of
// date), for a step of age model months (1, or less for a short first step).
func (s *sim) setStep(mid, age float64, tp *trendPath) {
	r := s.rates
	if s.trend {
		var f [NumCategories + 1]float64
		for j := range f {
			f[j] = stepFactor(tp.dest[j], mid)
		}
		for b := range NumAgeBands {
			for c := range NumCategories {
				for j := range NumCategories + 1 {
					r[b][c][j] *= f[j]
				}
			}
		}
	}
	p := probsOver(&r, age*StepDays)
	for b := range NumAgeBands {
		for c := range NumCategories {
			var out float64
			for j := range NumCategories + 1 {
				out += p[b][c][j]
			}
			s.out1[b][c] = out
			s.logStay[b][c] = math.Log1p(-out)
			var acc float64
			for j := range NumCategories + 1 {
				if out > 0 {
					acc += p[b][c][j] / out
					s.split[b][c][j] = p[b][c][j] / out
				} else {
					s.split[b][c][j] = 0
				}
				s.cumSplit[b][c][j] = acc
			}
		}
	}
	g := [NumCategories]float64{1, 1, 1, 1}
	if s.trend {
		for c := range g {
			g[c] = stepFactor(tp.ent[c], mid)
		}
	}
	for y := range 18 {
		for c := range NumCategories {
			s.entStep[y][c] = (s.ent[0][y][c] + s.ent[1][y][c]) * g[c] * age
		}
	}
}

// fillPow tables (1 − p)^n for each band and category up to its largest
// state now, and a little beyond, so the month's leavers are drawn with one
// multiplication a state instead of an exponential; the table is refilled
// each step only when the trend moves p.
func (s *sim) fillPow() {
	var most [NumAgeBands][NumCategories]int32
	for am := range LeaveMonths {
		b := BandOfMonths(am)
		for c := range NumCategories {
			most[b][c] = max(most[b][c], s.cur[am*NumCategories+c])
		}
	}
	for b := range NumAgeBands {
		for c := range NumCategories {
			n := int(most[b][c])*2 + 16
			if cap(s.pow[b][c]) < n {
				s.pow[b][c] = make([]float64, n)
			}
			t := s.pow[b][c][:n]
			q := 1 - s.out1[b][c]
			f := 1.0
			for i := range t {
				t[i] = f
				f *= q
			}
			s.pow[b][c], s.powLen[b][c] = t, n
		}
	}
}

// splitMany is the number of leavers from one state above which their
// destinations are drawn as a multinomial by conditional binomials rather
// than one draw each.
const splitMany = 8

func (s *sim) run(path uint64, out []float32, mix [][NumCategories][NumAgeBands]float64, flows [][2]float64) {
	r := rand.New(rand.NewPCG(s.o.Seed, path*0x9e3779b97f4a7c15+1))
	m := s.m
	for b := range AgeBand(NumAgeBands) {
		for c := range Category(NumCategories) {
			for j := range NumCategories + 1 {
				if s.o.FixedRates || m.Exposure[b][c] <= 0 {
					s.rates[b][c][j] = m.Rate(b, c, j)
				} else {
					s.rates[b][c][j] = gamma(r, m.Events[b][c][j]) / m.Exposure[b][c]
				}
			}
		}
	}
	d := m.entryDays()
	for k := range 2 {
		for y := range 18 {
			for c := range NumCategories {
				n := m.Entries[k][y][c]
				if !s.o.FixedRates {
					n = gamma(r, n)
				}
				s.ent[k][y][c] = n / d * StepDays * (1 + s.o.EntrantChange)
			}
		}
	}
	var tp trendPath
	if s.trend {
		// The path's slopes: the fitted ones, or (with parameter
		// uncertainty) a draw from their sampling distribution.
		tr := &s.tr
		for j := range tp.dest {
			tp.dest[j] = tr.Dest[j].PerYear
			if !s.o.FixedRates {
				tp.dest[j] += tr.Dest[j].SE * r.NormFloat64()
			}
			tp.dest[j] = max(-maxSlope, min(maxSlope, tp.dest[j]))
		}
		for c := range tp.ent {
			tp.ent[c] = tr.Entrants[c].PerYear
			if !s.o.FixedRates {
				tp.ent[c] += tr.Entrants[c].SE * r.NormFloat64()
			}
			tp.ent[c] = max(-maxSlope, min(maxSlope, tp.ent[c]))
		}
		m.endRates(&tp, &s.rates, &s.ent)
	}
	for i, v := range m.Start {
		s.cur[i] = int32(math.Round(v))
	}
	frac := FirstStep(m.To)
	for step := range s.o.Months {
		age := 1.0
		if step == 0 {
			age = frac
		}
		if step == 0 || s.trend || step == 1 && frac < 1 {
			s.setStep(stepMid(frac, step+1), age, &tp)
			s.fillPow()
		}
		clear(s.nxt)
		var aged float64
		if age < 1 {
			aged = s.shortStep(r, age)
		} else {
			aged = s.fullStep(r)
		}
		entered := s.enter(r)
		s.cur, s.nxt = s.nxt, s.cur
		row := out[step*series : (step+1)*series]
		clear(row)
		for am := range LeaveMonths {
			b := BandOfMonths(am)
			for c := range NumCategories {
				n := s.cur[am*NumCategories+c]
				if n == 0 {
					continue
				}
				row[0] += float32(n)
				row[1+c] += float32(n)
				row[1+NumCategories+int(b)] += float32(n)
				mix[step][c][b] += float64(n)
			}
		}
		flows[step][0] += entered
		flows[step][1] += aged
	}
}

// shortStep moves the children of a first step shorter than a month (age
// of a month long, from an as-of date inside its month): leavers binomial
// at the step's probabilities, destinations multinomial, and each child a
// month older with chance age (their monthly birthday falls in the step),
// leaving at 18. It returns those who reached 18. One step of a forecast, so
// it is written for clarity, not speed.
func (s *sim) shortStep(r *rand.Rand, age float64) float64 {
	var aged float64
	put := func(am, j, k int) {
		if k == 0 {
			return
		}
		up := binomial(r, k, age)
		if am+1 < LeaveMonths {
			s.nxt[(am+1)*NumCategories+j] += int32(up)
		} else {
			aged += float64(up)
		}
		s.nxt[am*NumCategories+j] += int32(k - up)
	}
	for am := range LeaveMonths {
		b := BandOfMonths(am)
		for c := range NumCategories {
			n := int(s.cur[am*NumCategories+c])
			if n == 0 {
				continue
			}
			left := binomial(r, n, s.out1[b][c])
			put(am, c, n-left)
			// Each leaver's destination is one draw against the
			// cumulative split: a fixed number of draws whatever the
			// rates' last digits, so two models equal to rounding (a
			// region's summed statistics and its pooled histories) give
			// the same paths.
			split := &s.cumSplit[b][c]
			var to [NumCategories]int
			for range left {
				u := r.Float64()
				j := 0
				for j < NumCategories && u >= split[j] {
					j++
				}
				if j < NumCategories {
					to[j]++
				}
			}
			for j, k := range to {
				put(am, j, k)
			}
		}
	}
	return aged
}

// fullStep moves the children of a whole month's step: leavers, their
// destinations, and everyone a month older. It returns those who reached
// 18.
func (s *sim) fullStep(r *rand.Rand) float64 {
	var aged float64
	for am := range LeaveMonths {
		b := BandOfMonths(am)
		last := am+1 >= LeaveMonths
		for c := range NumCategories {
			n := int(s.cur[am*NumCategories+c])
			if n == 0 {
				continue
			}
			// How many leave: one binomial draw; then where they go:
			// one draw each against the cumulative split of
			// destinations, or a multinomial when many leave.
			left := s.leavers(r, b, c, n)
			stay := n - left
			var moved int
			if left >= splitMany {
				rest, pr := left, 1.0
				for j := range NumCategories {
					if rest == 0 || pr <= 0 {
						break
					}
					pj := s.split[b][c][j]
					k := 0
					if pj > 0 {
						k = binomial(r, rest, min(1, pj/pr))
					}
					rest -= k
					pr -= pj
					moved += k
					if !last && k > 0 {
						s.nxt[(am+1)*NumCategories+j] += int32(k)
					}
				}
			} else {
				split := &s.cumSplit[b][c]
				for range left {
					u := r.Float64()
					j := 0
					for j < NumCategories && u >= split[j] {
						j++
					}
					if j == Exit {
						continue
					}
					moved++
					if !last {
						s.nxt[(am+1)*NumCategories+j]++
					}
				}
			}
			if last {
				aged += float64(stay + moved)
			} else {
				s.nxt[(am+1)*NumCategories+c] += int32(stay)
			}
		}
	}
	return aged
}

// enter adds the step's Poisson entrants to the next month's states and
// returns how many came in.
func (s *sim) enter(r *rand.Rand) float64 {
	var entered float64
	for y := range 18 {
		for c := range NumCategories {
			l := s.entStep[y][c]
			if l <= 0 {
				continue
			}
			// Entrants of a year of age arrive evenly over its months;
			// babies as the window's did (cumulative shares).
			n := poisson(r, l)
			entered += float64(n)
			if y == 0 {
				cum := &s.cumShares[c]
				for range n {
					u := r.Float64()
					k := 0
					for k < 11 && u >= cum[k] {
						k++
					}
					s.nxt[k*NumCategories+c]++
				}
				continue
			}
			for range n {
				s.nxt[(y*12+r.IntN(12))*NumCategories+c]++
			}
		}
	}
	return entered
}

// binomial draws from Binomial(n, p): by inversion when n·p is small (the
// usual case: a few dozen children in a state, a few per cent leaving a
// month), by the normal approximation with continuity correction otherwise.
func binomial(r *rand.Rand, n int, p float64) int {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(r, n, 1-p)
	}
	np := float64(n) * p
	if np < 30 {
		q := 1 - p
		s := p / q
		a := float64(n+1) * s
		f := math.Pow(q, float64(n))
		u := r.Float64()
		k := 0
		for u > f && k < n {
			u -= f
			k++
			f *= a/float64(k) - s
		}
		return k
	}
	k := int(math.Floor(np + math.Sqrt(np*(1-p))*r.NormFloat64() + 0.5))
	return max(0, min(n, k))
}

// poisson draws from Poisson(l): inversion below 30, normal approximation
// above.
func poisson(r *rand.Rand, l float64) int {
	if l <= 0 {
		return 0
	}
	if l < 30 {
		f := math.Exp(-l)
		u := r.Float64()
		k := 0
		for u > f && k < 1000 {
			u -= f
			k++
			f *= l / float64(k)
		}
		return k
	}
	return max(0, int(math.Floor(l+math.Sqrt(l)*r.NormFloat64()+0.5)))
}

// gamma draws from Gamma(shape, 1) (Marsaglia and Tsang); the posterior of a
// rate after shape events is gamma(shape)/exposure. No events gives 0.
func gamma(r *rand.Rand, shape float64) float64 {
	if shape <= 0 {
		return 0
	}
	if shape < 1 {
		return gamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// allMonthShares is monthShares for every year of age and category: how a
// year's entrants spread over its months of age.
func (m *Model) allMonthShares() (sh [18][NumCategories][12]float64) {
	for y := range 18 {
		for c := range NumCategories {
			sh[y][c] = m.monthShares(y, c)
		}
	}
	return sh
}

// trendStart is an expected projection's trend at the window's end: the
// slopes it continues and the entrants they start from, with rates moved to
// the window's end (endRates). Without a trend it leaves rates as they are.
func (m *Model) trendStart(f *Forecast, rates *[NumAgeBands][NumCategories][NumCategories + 1]float64, ent [18][NumCategories]float64) (tp trendPath, ent0 [18][NumCategories]float64) {
	if f.Trend == nil {
		return tp, ent0
	}
	for j := range tp.dest {
		tp.dest[j] = f.Trend.Dest[j].PerYear
	}
	for c := range tp.ent {
		tp.ent[c] = f.Trend.Entrants[c].PerYear
	}
	e2 := [2][18][NumCategories]float64{ent}
	m.endRates(&tp, rates, &e2)
	return tp, e2[0]
}
