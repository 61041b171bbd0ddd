package ssda903

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestXMLCharsets reads the encodings the DfE tools declare.
func TestXMLCharsets(t *testing.T) {
	body := `<EXPSSDA903><CHILD><HEADER><CHILDID>K1</CHILDID><SEX>M</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN></HEADER></CHILD></EXPSSDA903>`
	for _, enc := range []string{"UTF-8", "us-ascii", "US-ASCII", "iso-8859-1", "ISO-8859-1"} {
		x := fmt.Sprintf(`<?xml version="1.0" encoding=%q?>`, enc) + body
		r := Read(2026, []File{{Name: "r.xml", Body: strings.NewReader(x)}})
		if len(r.Problems) > 0 || len(r.Headers) != 1 {
			t.Errorf("%s: %d headers, problems %v", enc, len(r.Headers), r.Problems)
		}
	}
	// Latin-1 bytes become their characters (and the identifier rule says what is wrong).
	x := `<?xml version="1.0" encoding="iso-8859-1"?><EXPSSDA903><CHILD><HEADER><CHILDID>K` + "\xe9" + `</CHILDID></HEADER></CHILD></EXPSSDA903>`
	r := Read(2026, []File{{Name: "r.xml", Body: strings.NewReader(x)}})
	if len(r.Problems) == 0 || r.Problems[0].Value != "KÉ" {
		t.Errorf("latin-1 child: %v", r.Problems)
	}
	r = Read(2026, []File{{Name: "r.xml", Body: strings.NewReader(`<?xml version="1.0" encoding="ebcdic"?><EXPSSDA903/>`)}})
	if len(r.Problems) == 0 || !strings.Contains(r.Problems[0].Message, `declares encoding "ebcdic"`) {
		t.Errorf("unknown encoding: %v", r.Problems)
	}
}

// repeat is an io.Reader of prefix, then body n times, then suffix, made as it
// is read so a 150 MB input costs no memory to produce.
func repeat(prefix, body string, n int64, suffix string) io.Reader {
	return io.MultiReader(strings.NewReader(prefix), &repeater{b: []byte(body), n: n}, strings.NewReader(suffix))
}

type repeater struct {
	b   []byte
	n   int64
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) && r.n > 0 {
		c := copy(p[w:], r.b[r.off:])
		w += c
		r.off += c
		if r.off == len(r.b) {
			r.off = 0
			r.n--
		}
	}
	if w == 0 {
		return 0, io.EOF
	}
	return w, nil
}

// TestHostileXML is the bound on what a hostile XML file costs: each of these
// 150 MB files (and a 1.6 MB comment-split text that once took 8 s) is
// refused within seconds in well under 200 MB, with one structural problem.
func TestHostileXML(t *testing.T) {
	const mb = 1 << 20
	root := "<EXPSSDA903><CHILD><HEADER><CHILDID>"
	tests := []struct {
		name, want string
		in         func() io.Reader
	}{
		{"comment-split text, 1.6 MB", "holds more than 4 KB of text", func() io.Reader {
			return repeat(root, "a<!---->", 200_000, "</CHILDID></HEADER></CHILD></EXPSSDA903>")
		}},
		{"comment-split text, 150 MB", "holds more than 4 KB of text", func() io.Reader {
			return repeat(root, "a<!---->", 150*mb/8, "</CHILDID></HEADER></CHILD></EXPSSDA903>")
		}},
		{"deep nesting, 150 MB", "nested more than 12 deep", func() io.Reader { return repeat("<EXPSSDA903>", "<a>", 150*mb/3, "") }},
		{"one field of 150 MB", "holds more than 4 KB of text", func() io.Reader { return repeat(root, "x", 150*mb, "</CHILDID></HEADER></CHILD></EXPSSDA903>") }},
		{"text between children, 150 MB", "runs past 1024 KB", func() io.Reader { return repeat("<EXPSSDA903>", "x", 150*mb, "</EXPSSDA903>") }},
		{"one comment, 150 MB", "runs past 1024 KB", func() io.Reader { return repeat("<EXPSSDA903><!--", "<<>>", 150*mb/4, "--></EXPSSDA903>") }},
		{"one attribute, 150 MB", "runs past 1024 KB", func() io.Reader { return repeat(`<EXPSSDA903 a="`, "x", 150*mb, `"/>`) }},
		{"a CHILD of 150 MB of episodes", "a CHILD holds more than", func() io.Reader {
			return repeat("<EXPSSDA903><CHILD>", "<EPISODE><DECOM>01/05/2025</DECOM></EPISODE>", 150*mb/45, "</CHILD></EXPSSDA903>")
		}},
		{"150 MB of empty children", "reading stopped after", func() io.Reader {
			return repeat("<EXPSSDA903>", "<CHILD></CHILD>", 150*mb/15, "</EXPSSDA903>")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			peak := watchHeap()
			// Time is a benchmark's to measure (BenchmarkReadXML), not a test's:
			// this test holds the memory bound and the refusal.
			r := Read(2026, []File{{Name: "hostile.xml", Body: tt.in()}})
			maxHeap := peak()
			runtime.ReadMemStats(&after)
			t.Logf("%s: peak heap %d MB, allocated %d MB, %d problems", tt.name,
				maxHeap/mb, (after.TotalAlloc-before.TotalAlloc)/mb, len(r.Problems))
			if len(r.Problems) == 0 || !strings.Contains(r.Problems[0].Message, tt.want) || !r.Problems[0].Structural {
				t.Fatalf("first problem %v; want a structural one containing %q", r.Problems[:min(1, len(r.Problems))], tt.want)
			}
			if maxHeap > 200*mb {
				t.Errorf("peak heap %d MB; want under 200 MB", maxHeap/mb)
			}
		})
	}
}

// watchHeap samples the live heap every few milliseconds until the returned
// function is called, which gives the highest seen.
func watchHeap() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(stop); return <-done }
}

// TestXMLLimitTime: the time limit stops a file that reads too slowly.
func TestXMLLimitTime(t *testing.T) {
	lim := DefaultXMLLimits
	lim.Time = 10 * time.Minute
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Minute); return clock }
	r := &Return{Year: 2026}
	in := repeat("<EXPSSDA903>", "<CHILD><HEADER><CHILDID>1</CHILDID><SEX>M</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC></HEADER></CHILD>", 100_000, "</EXPSSDA903>")
	r.readXMLLimited("slow.xml", in, lim, now)
	if len(r.Problems) == 0 || !strings.Contains(r.Problems[len(r.Problems)-1].Message, "took longer than 10m0s") {
		t.Errorf("problems %v", r.Problems[max(0, len(r.Problems)-2):])
	}
}

// BenchmarkReadXML measures the XML layout against the CSV one.
func BenchmarkReadXML(b *testing.B) {
	var x bytes.Buffer
	x.WriteString("<EXPSSDA903>")
	for i := range 20_000 {
		fmt.Fprintf(&x, "<CHILD><HEADER><CHILDID>K%d</CHILDID><SEX>M</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN2</UPN></HEADER>"+
			"<EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N8</CIN><PL>U6</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD>", i)
	}
	x.WriteString("</EXPSSDA903>")
	b.SetBytes(int64(x.Len()))
	for b.Loop() {
		if r := Read(2026, []File{{Name: "r.xml", Body: bytes.NewReader(x.Bytes())}}); r.Errors() > 0 {
			b.Fatal(r.Problems[0])
		}
	}
}
