package placements_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/placements/pnwfixture"
)

// FuzzReadCensus feeds any bytes to the census reader and checks it neither
// panics nor reports a problem that could not be stored. Seeds are the PNW
// layout, bare and unterminated quotes, and a workbook's zip signature.
func FuzzReadCensus(f *testing.F) {
	f.Add(pnwfixture.CSV([]pnwfixture.Row{{Authority: "Manchester", Identifier: "C1", Total: "300", SocialCare: "250", Education: "50", Health: "0"}}))
	f.Add([]byte("Placing Authority,Identifier,Total Weekly Cost\nManchester,\"C1,300\n"))
	f.Add([]byte("Placing Authority,Identifier,Total Weekly Cost\nManchester,C\"1,300\n\"\n"))
	f.Add([]byte("\"\n\"\"\"\n,\","))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("\xef\xbb\xbfPlacing Authority,Identifier,Total Weekly Cost,Placement Start Date\nManchester,C1,1e308,99/99/9999\n"))
	day := date("2026-03-01")
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := placements.ReadCensus(bytes.NewReader(data), day)
		for _, p := range append(rep.Errors, rep.Unmatched...) {
			for _, s := range []string{p.File, p.Column, p.Value, p.Message} {
				if strings.ContainsRune(s, 0) || !utf8.ValidString(s) || utf8.RuneCountInString(s) > 400 {
					t.Fatalf("problem not safe to store: %q", p)
				}
			}
		}
	})
}
