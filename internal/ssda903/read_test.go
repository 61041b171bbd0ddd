package ssda903

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// samples is a copy of ../shared/data/ssda903 (MIT; see its README.md).
const samples = "testdata/sample"

func sampleFiles(t *testing.T) []File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(samples, "*.csv"))
	if err != nil || len(paths) != 11 {
		t.Fatalf("sample return: %d files (%v); want the 11 in %s", len(paths), err, samples)
	}
	var files []File
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		files = append(files, File{Name: filepath.Base(p), Body: f})
	}
	return files
}

// TestSampleReturnProblems pins every problem the synthetic sample return
// (../shared/data/ssda903, with its deliberate errors) is reported to have.
// Rewrite the golden file with -update only after reading the difference.
func TestSampleReturnProblems(t *testing.T) {
	r := Read(2018, sampleFiles(t))
	var b strings.Builder
	for _, f := range r.Files {
		fmt.Fprintf(&b, "file %s: table %q, %d rows, used %v\n", f.Name, f.Table, f.Rows, f.Used)
	}
	fmt.Fprintf(&b, "%d errors, %d warnings\n", r.Errors(), len(r.Problems)-r.Errors())
	for _, p := range r.Problems {
		b.WriteString(p.String() + "\n")
	}
	// Gzipped: the full report is 2.7 MB of text (every problem, no cap).
	golden := filepath.Join("testdata", "sample-2018.golden.gz")
	if *update {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(b.String()))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zf, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	zr, err := gzip.NewReader(zf)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs:\n got  %s\n want %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines; want %d", len(gl), len(wl))
	}
	// Spot checks a reader can verify against the files by eye.
	for _, want := range []string{
		`error: episodes.csv line 3 REC "X1": a reason the episode ceased is given but the episode has no end date (DEC)`,
		`error: header.csv line 1273 MOTHER "1.0": must be 1 (the child is a mother), 0 or blank`,
		`error: liia_episodes_fix_input.csv line 1: the columns do not match any SSDA903 table; nearest is Episodes; not SSDA903 columns: LA, YEAR`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestSynthesizedReturnIsClean: Hearth's synthetic returns (the demo's) break
// no rule, error or query, in any year it checks.
func TestSynthesizedReturnIsClean(t *testing.T) {
	for _, y := range []Year{2023, 2024, 2025, 2026, 2027} {
		r := Read(y, SynthFiles(Synthesize(SynthOptions{Seed: 1, Children: 2000, Year: y, History: y == 2026, Full: true})))
		for _, p := range r.Problems[:min(5, len(r.Problems))] {
			t.Errorf("%s: %s", y, p)
		}
		if min := map[bool]int{true: 4 * len(r.Headers), false: len(r.Headers)}[y == 2026]; len(r.Headers) < 1500 || len(r.Episodes) < min {
			t.Errorf("%s: %d children, %d episodes", y, len(r.Headers), len(r.Episodes))
		}
	}
}

// BenchmarkRead measures reading and checking a 5,000-child return (about
// 22,000 episodes) in the CSV layout.
func BenchmarkRead(b *testing.B) {
	tables := Synthesize(SynthOptions{Seed: 1, Children: 5000, Year: 2026, History: true})
	b.ReportAllocs()
	for b.Loop() {
		if r := Read(2026, SynthFiles(tables)); r.Errors() > 0 {
			b.Fatal(r.Problems[0])
		}
	}
}

// TestXMLLayout reads the DfE XML layout: CHILDID for CHILD, PL for PLACE,
// reviews, missing and OC2 nested in HEADER, and a UASC flag.
func TestXMLLayout(t *testing.T) {
	xml := `<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>X100</CHILDID><UPN>UN2</UPN><SEX>M</SEX><DOB>03/04/2008</DOB><ETHNIC>BAFR</ETHNIC>
      <UASC>1</UASC><DUC>03/04/2027</DUC>
      <AREVIEW><REVIEW>01/06/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
      <AMISSING><MISSING>M</MISSING><MIS_START>10/07/2025</MIS_START><MIS_END>12/07/2025</MIS_END></AMISSING>
      <OC2><SDQ_SCORE>19</SDQ_SCORE><CONVICTED>0</CONVICTED><IMMUNISATIONS>1</IMMUNISATIONS><TEETH_CHECK>1</TEETH_CHECK><HEALTH_ASSESSMENT>1</HEALTH_ASSESSMENT><SUBSTANCE_MISUSE>0</SUBSTANCE_MISUSE></OC2>
    </HEADER>
    <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N8</CIN><PL>K3</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
      <DEC>01/09/2025</DEC><REC>X1</REC><REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE><HOME_POST>M14 5AB</HOME_POST><PL_POST>BL9 8QQ</PL_POST><URN>SC123456</URN></EPISODE>
    <EPISODE><DECOM>01/09/2025</DECOM><RNE>P</RNE><LS>V2</LS><CIN>N8</CIN><PL>U6</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><HOME_POST>M14 5AB</HOME_POST><PL_POST>BL9 8QR</PL_POST><URN>SC123457</URN></EPISODE>
  </CHILD>
  <CHILD>
    <HEADER><CHILDID>X101</CHILDID><UPN>UN2</UPN><SEX>Q</SEX><DOB>2012-01-01</DOB><ETHNIC>WBRI</ETHNIC></HEADER>
  </CHILD>
</EXPSSDA903>`
	r := Read(2026, []File{{Name: "return.xml", Body: strings.NewReader(xml)}})
	if len(r.Headers) != 2 || len(r.Episodes) != 2 || len(r.UASC) != 1 || len(r.Reviews) != 1 || len(r.Missing) != 1 || len(r.OC2) != 1 {
		t.Fatalf("read %d headers, %d episodes, %d uasc, %d reviews, %d missing, %d oc2",
			len(r.Headers), len(r.Episodes), len(r.UASC), len(r.Reviews), len(r.Missing), len(r.OC2))
	}
	e := r.Episodes[0]
	if e.Child != "X100" || e.Place != "K3" || e.URN != "SC123456" || e.DEC == nil || r.Episodes[1].Place != "U6" || *r.OC2[0].SDQ != 19 {
		t.Errorf("first episode %+v", e)
	}
	var got []string
	for _, p := range r.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`error: return.xml line 16 SEX "Q": must be M, F or U in 2025/26`,
		`error: return.xml line 16 DOB "2012-01-01": not a date like 31/03/2026`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
