package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearthcare/hearth/internal/config"
	"github.com/hearthcare/hearth/internal/demo"
	"github.com/hearthcare/hearth/internal/postgres"
)

// benchPages loads a running Hearth over real HTTP on loopback with many
// distinct signed-in people: social workers opening children on their
// caseload, team managers opening their council's. Every figure is of fixed
// request counts (never "as many as fit in 30 s"), and each request has a
// deadline, so a run always ends. /accessibility, a page that reads nothing,
// runs beside the others as the floor of the HTTP stack on this machine.
func benchPages(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the Hearth to load (start it with `hearth serve` on the demo database)")
	sessions := fs.Int("sessions", 200, "distinct people signed in")
	workers := fs.Int("workers", 50, "closed loop: requests in flight at once, no think time")
	requests := fs.Int("requests", 2000, "closed loop: requests for each page")
	think := fs.Duration("think", 4*time.Second, "open loop: each person's pause between pages (0: skip the open loop)")
	perSession := fs.Int("visits", 10, "open loop: pages each person opens")
	runs := fs.Int("runs", 3, "runs; each is reported, then the medians")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of each request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sessions < 1 || *workers < 1 || *requests < 1 || *runs < 1 || *perSession < 1 {
		return errors.New("bench pages: --sessions, --workers, --requests, --visits and --runs must be at least 1")
	}
	people, err := benchPeople(ctx, cfg, log, *sessions)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: *sessions + *workers, MaxConnsPerHost: 0},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fmt.Fprintf(stdout, "bench pages: %s, %d people signing in (%d social workers, %d team managers)…\n", *base, len(people), countRole(people, "social_worker"), countRole(people, "team_manager"))
	start := time.Now()
	if err := signInAll(ctx, client, *base, people); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  signed in %d people in %s\n", len(people), time.Since(start).Round(time.Millisecond))

	pages := benchPageKinds()
	var closed, open []map[string]pageStats
	for run := 1; run <= *runs; run++ {
		fmt.Fprintf(stdout, "run %d, load average before %s\n", run, loadAverage())
		c := map[string]pageStats{}
		for _, p := range pages {
			c[p.name] = closedLoop(ctx, client, *base, people, p, *workers, *requests)
		}
		closed = append(closed, c)
		fmt.Fprintf(stdout, "  closed loop, %d workers, %d requests a page:\n", *workers, *requests)
		printStats(stdout, pages, c, true)
		if *think > 0 {
			o := openLoop(ctx, client, *base, people, pages, *think, *perSession)
			open = append(open, o)
			fmt.Fprintf(stdout, "  open loop, %d people, %s think time, %d pages each (pages in turn):\n", len(people), *think, *perSession)
			printStats(stdout, pages, o, false)
		}
		fmt.Fprintf(stdout, "  load average after %s\n", loadAverage())
	}
	if *runs > 1 {
		fmt.Fprintf(stdout, "medians of %d runs:\n  closed loop:\n", *runs)
		printStats(stdout, pages, medianStats(pages, closed), true)
		if len(open) > 0 {
			fmt.Fprintf(stdout, "  open loop:\n")
			printStats(stdout, pages, medianStats(pages, open), false)
		}
	}
	return nil
}

type benchPerson struct {
	email, role string
	children    []int64
	jar         http.CookieJar
}

func countRole(ps []*benchPerson, role string) int {
	n := 0
	for _, p := range ps {
		if p.role == role {
			n++
		}
	}
	return n
}

// benchPeople picks demo people from the configured database: social workers
// with a caseload and team managers, in turn, each with the children they may open.
func benchPeople(ctx context.Context, cfg config.Config, log *slog.Logger, n int) ([]*benchPerson, error) {
	pool, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	ctx = postgres.WithCouncils(ctx, postgres.AllCouncils())
	rows, err := pool.Query(ctx, `
		WITH sw AS (
			SELECT u.email, 'social_worker' AS role, array_agg(a.child_id ORDER BY a.child_id) AS kids,
			       row_number() OVER (ORDER BY u.user_id) AS k
			FROM users u JOIN allocations a ON a.user_id = u.user_id AND a.valid_to IS NULL
			WHERE u.email LIKE '%.demo.hearth.test' AND u.disabled_at IS NULL
			GROUP BY u.user_id, u.email),
		tm AS (
			SELECT u.email, 'team_manager' AS role,
			       (SELECT array_agg(c.child_id) FROM (SELECT child_id FROM children c WHERE c.la_id = r.la_id
			            ORDER BY c.child_id LIMIT 200) c) AS kids,
			       row_number() OVER (ORDER BY u.user_id) AS k
			FROM users u JOIN role_assignments r ON r.user_id = u.user_id AND r.role = 'team_manager' AND r.valid_to IS NULL
			WHERE u.email LIKE '%.demo.hearth.test' AND u.disabled_at IS NULL)
		SELECT email, role, kids FROM (SELECT * FROM sw UNION ALL SELECT * FROM tm) p
		WHERE cardinality(kids) > 0
		ORDER BY k, role LIMIT $1`, n)
	if err != nil {
		return nil, fmt.Errorf("bench pages: pick demo people (load the demo first: hearth demo --children 100000): %w", err)
	}
	defer rows.Close()
	var out []*benchPerson
	for rows.Next() {
		p := &benchPerson{}
		if err := rows.Scan(&p.email, &p.role, &p.children); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("bench pages: no demo social workers or team managers; load the demo first (hearth demo --children 100000)")
	}
	return out, nil
}

// signInAll signs everyone in through the sign-in form, a few at a time
// (each costs an argon2id check).
func signInAll(ctx context.Context, client *http.Client, base string, people []*benchPerson) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	sem := make(chan struct{}, 4)
	for _, p := range people {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			jar, _ := cookiejar.New(nil)
			p.jar = jar
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/signin",
				strings.NewReader(url.Values{"email": {p.email}, "password": {demo.Password}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := do(client, jar, req)
			if err != nil {
				errs <- fmt.Errorf("sign in %s: %w", p.email, err)
				return
			}
			u, _ := url.Parse(base)
			if res != http.StatusSeeOther || len(jar.Cookies(u)) == 0 {
				errs <- fmt.Errorf("sign in %s: status %d and no session", p.email, res)
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// do sends req with the person's cookies, reads the whole answer and returns its status.
func do(client *http.Client, jar http.CookieJar, req *http.Request) (int, error) {
	res, err := send(client, jar, req)
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// send sends req with the person's cookies, keeps any they are given and
// reads the whole answer (so the connection is reused); the body is closed.
func send(client *http.Client, jar http.CookieJar, req *http.Request) (*http.Response, error) {
	for _, c := range jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if cs := res.Cookies(); len(cs) > 0 {
		jar.SetCookies(req.URL, cs)
	}
	_, err = io.Copy(io.Discard, res.Body)
	return res, err
}

type pageKind struct {
	name string
	path func(p *benchPerson, r *rand.Rand) string
	// follow is where a 303 the page answers by design may lead, followed as
	// a browser would and timed as one page: the new-assessment address of a
	// child who already has a draft leads to the draft's form (decision "A new
	// assessment becomes a draft at its first change"). Any other redirect is
	// counted as the status it is.
	follow string
}

func benchPageKinds() []pageKind {
	child := func(p *benchPerson, r *rand.Rand) int64 { return p.children[r.IntN(len(p.children))] }
	return []pageKind{
		{"child page", func(p *benchPerson, r *rand.Rand) string { return fmt.Sprintf("/children/%d", child(p, r)) }, ""},
		{"children list", func(*benchPerson, *rand.Rand) string { return "/children" }, ""},
		{"needs form", func(p *benchPerson, r *rand.Rand) string {
			return fmt.Sprintf("/children/%d/assessments/new", child(p, r))
		}, "/assessments/"},
		{"API children list", func(*benchPerson, *rand.Rand) string { return "/api/v1/children" }, ""},
		{"/accessibility", func(*benchPerson, *rand.Rand) string { return "/accessibility" }, ""},
	}
}

type pageStats struct {
	n, failed     int
	elapsed       time.Duration
	p50, p99, max time.Duration
	statuses      map[int]int
}

func (s pageStats) rate() float64 { return float64(s.n) / s.elapsed.Seconds() }

func summarise(lat []time.Duration, elapsed time.Duration, statuses map[int]int) pageStats {
	slices.Sort(lat)
	s := pageStats{n: len(lat), elapsed: elapsed, statuses: statuses}
	if len(lat) > 0 {
		s.p50, s.p99, s.max = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)], lat[len(lat)-1]
	}
	for code, n := range statuses {
		if code != http.StatusOK {
			s.failed += n
		}
	}
	return s
}

// closedLoop sends requests for one page from workers that each send the
// next as soon as the last is answered, each worker as a different person.
func closedLoop(ctx context.Context, client *http.Client, base string, people []*benchPerson, p pageKind, workers, requests int) pageStats {
	var mu sync.Mutex
	lat := make([]time.Duration, 0, requests)
	statuses := map[int]int{}
	next := make(chan int, requests)
	for i := range requests {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 19))
			for i := range next {
				who := people[(w+i*workers)%len(people)]
				lat1, code := timed(ctx, client, base, who, p, p.path(who, r))
				mu.Lock()
				lat = append(lat, lat1)
				statuses[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return summarise(lat, time.Since(start), statuses)
}

// openLoop has every person open pages in turn with a pause between them,
// as people at work do; arrivals are spread over the first pause.
func openLoop(ctx context.Context, client *http.Client, base string, people []*benchPerson, pages []pageKind, think time.Duration, visits int) map[string]pageStats {
	var mu sync.Mutex
	lat := map[string][]time.Duration{}
	statuses := map[string]map[int]int{}
	for _, p := range pages {
		statuses[p.name] = map[int]int{}
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i, who := range people {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 4))
			time.Sleep(time.Duration(r.Int64N(int64(think))))
			for v := range visits {
				p := pages[(i+v)%len(pages)]
				d, code := timed(ctx, client, base, who, p, p.path(who, r))
				mu.Lock()
				lat[p.name] = append(lat[p.name], d)
				statuses[p.name][code]++
				mu.Unlock()
				// Think time varies ±50%, so the people do not march in step.
				time.Sleep(think/2 + time.Duration(r.Int64N(int64(think))))
			}
		})
	}
	wg.Wait()
	out := map[string]pageStats{}
	for _, p := range pages {
		out[p.name] = summarise(lat[p.name], time.Since(start), statuses[p.name])
	}
	return out
}

func timed(ctx context.Context, client *http.Client, base string, who *benchPerson, p pageKind, path string) (time.Duration, int) {
	start := time.Now()
	code, loc, err := get(ctx, client, who, base+path)
	if err == nil && code == http.StatusSeeOther && p.follow != "" && strings.HasPrefix(loc, p.follow) {
		code, _, err = get(ctx, client, who, base+loc)
	}
	d := time.Since(start)
	if err != nil {
		return d, -1 // a transport failure or the deadline
	}
	return d, code
}

// get sends one GET as the person and returns the status and any Location.
func get(ctx context.Context, client *http.Client, who *benchPerson, u string) (int, string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := send(client, who.jar, req)
	if err != nil {
		return 0, "", err
	}
	return res.StatusCode, res.Header.Get("Location"), nil
}

func printStats(w io.Writer, pages []pageKind, s map[string]pageStats, closed bool) {
	// In the open loop the rate is what the people ask for, the same for
	// every page: only the closed loop's rates compare with the floor.
	floor := s["/accessibility"].rate()
	if !closed {
		floor = 0
	}
	for _, p := range pages {
		st := s[p.name]
		extra := ""
		if p.name != "/accessibility" && floor > 0 {
			extra = fmt.Sprintf("  (%.2f of /accessibility's rate)", st.rate()/floor)
		}
		bad := ""
		if st.failed > 0 {
			bad = fmt.Sprintf("  NOT 200: %v", st.statuses)
		}
		fmt.Fprintf(w, "    %-18s %6d req  %8.1f req/s  p50 %6.1f ms  p99 %7.1f ms  max %7.1f ms%s%s\n", p.name, st.n, st.rate(),
			ms(st.p50), ms(st.p99), ms(st.max), extra, bad)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// medianStats is each figure's median over the runs.
func medianStats(pages []pageKind, runs []map[string]pageStats) map[string]pageStats {
	out := map[string]pageStats{}
	for _, p := range pages {
		var rates []float64
		var p50, p99, mx []time.Duration
		n, failed := 0, 0
		statuses := map[int]int{}
		for _, r := range runs {
			s := r[p.name]
			rates, p50, p99, mx = append(rates, s.rate()), append(p50, s.p50), append(p99, s.p99), append(mx, s.max)
			n, failed = n+s.n, failed+s.failed
			for c, k := range s.statuses {
				statuses[c] += k
			}
		}
		slices.Sort(rates)
		rate := rates[len(rates)/2]
		// elapsed is set so that rate() gives the median rate.
		out[p.name] = pageStats{n: n, failed: failed, statuses: statuses, elapsed: time.Duration(float64(n) / rate * float64(time.Second)),
			p50: medianDur(p50), p99: medianDur(p99), max: medianDur(mx)}
	}
	return out
}

func medianDur(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// loadAverage is the machine's 1, 5 and 15 minute load averages: the machine
// may be shared, and a figure means little without them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
