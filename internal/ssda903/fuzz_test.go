package ssda903

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead feeds any bytes to the reader as one file, alone and beside a
// valid Header, and checks it neither panics nor reports a problem that
// could not be stored (NUL, invalid UTF-8, unbounded text). Seeds are the
// head of each sample table, the XML layout and the inputs that once broke
// it; the committed corpus is testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(samples, "*.csv"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(head(b, 6))
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	hdr := "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\nK1,M,01/02/2012,WBRI,UN1,,\r\n"
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, files := range [][]File{
			{{Name: "f", Body: bytes.NewReader(data)}},
			{{Name: "header.csv", Body: strings.NewReader(hdr)}, {Name: "f", Body: bytes.NewReader(data)}},
		} {
			r := Read(2026, files)
			for _, p := range r.Problems {
				for _, s := range []string{p.File, p.Column, p.Value, p.Message} {
					if strings.ContainsRune(s, 0) || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxMessageRunes+40 {
						t.Fatalf("problem not safe to store: %q", p)
					}
				}
			}
		}
	})
}

// head is the first n lines of b.
func head(b []byte, n int) []byte {
	i := 0
	for ; n > 0 && i < len(b); n-- {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return b
		}
		i += j + 1
	}
	return b[:i]
}

var fuzzSeeds = []string{
	"",
	"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\"K1,M,01/02/2012,WBRI,,,\n",       // unclosed quote
	"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK\"1,M,01/02/2012,WBRI,,,\n",       // bare quote
	"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,M,01/02/2012,WBRI,,,\n\"",       // quote at the end
	"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK\x001,M,01/02/2012,W\x00BRI,,,\n", // NUL in values
	"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",                           // a zip or .xlsx
	"\xff\xfeC\x00H\x00",             // UTF-16
	"C\x00H\x00I\x00L\x00D\x00,\x00", // UTF-16 without a BOM
	`<?xml version="1.0" encoding="us-ascii"?><EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><SEX>M</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC></HEADER><EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N8</CIN><PL>U6</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD></EXPSSDA903>`,
	`<?xml version="1.0" encoding="iso-8859-1"?><EXPSSDA903><CHILD><HEADER><CHILDID>K` + "\xe9" + `</CHILDID></HEADER></CHILD></EXPSSDA903>`,
	`<EXPSSDA903><CHILD><HEADER><CHILDID>a<!---->b<!---->c</CHILDID></HEADER></CHILD></EXPSSDA903>`,
	`<EXPSSDA903><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD><CHILD>`,
	`<EXPSSDA903></EXPSSDA903><EXPSSDA903>`,
	`<EXPSSDA903><CHILD></CHILD></EXPSSDA903>`,
	`<?xml version="1.0" encoding="ebcdic"?><EXPSSDA903/>`,
	`<!DOCTYPE x [<!ENTITY a "aaaa">]><EXPSSDA903>&a;</EXPSSDA903>`,
}
