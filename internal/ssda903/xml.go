package ssda903

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// XMLLimits bound what reading one XML file may cost, so a hostile or broken
// file is refused quickly in little memory instead of holding the import
// queue: reading is linear in the input and memory is bounded by the largest
// CHILD, not by the file.
type XMLLimits struct {
	Depth      int           // elements open at once; the DfE layout needs 5
	Tokens     int64         // tokens in the file
	TokenBytes int64         // bytes one token (a tag, text run or comment) may span
	TextBytes  int           // text one field may hold
	ChildBytes int           // text and elements one CHILD may hold
	Elements   int           // elements one CHILD may hold
	Time       time.Duration // wall time for the file
}

// DefaultXMLLimits are far above any real return (a national file has CHILD
// elements of a few kilobytes) and far below what would hurt the server.
var DefaultXMLLimits = XMLLimits{
	Depth:      12,
	Tokens:     60_000_000,
	TokenBytes: 1 << 20,
	TextBytes:  4 << 10,
	ChildBytes: 1 << 20,
	Elements:   50_000,
	Time:       3 * time.Minute,
}

var errXMLLimit = errors.New("xml limit")

// node is an XML element with its text and children, and the line it began on.
type node struct {
	name string
	text []byte
	line int
	kids []*node
}

func (n *node) field(name string) string {
	for _, k := range n.kids {
		if k.name == name {
			return strings.ToUpper(strings.TrimSpace(string(k.text)))
		}
	}
	return ""
}

// tokenGuard refuses to feed the decoder more than TokenBytes past the end of
// the last token it returned: encoding/xml buffers a whole token (a comment,
// a text run, a tag with its attributes) before returning it, so this bounds
// its memory on a single 150 MB comment or text node.
type tokenGuard struct {
	r     io.Reader
	read  int64
	mark  int64 // input offset of the end of the last token
	limit int64
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	if g.read-g.mark > g.limit {
		return 0, fmt.Errorf("%w: one tag, comment or text runs past %d KB", errXMLLimit, g.limit>>10)
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// charsetReader reads the encodings the DfE tools declare. US-ASCII is a
// subset of UTF-8; ISO-8859-1 maps each byte to the code point of its value.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "us-ascii", "ascii", "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return &latin1{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("the file declares encoding %q; save it as UTF-8", label)
}

type latin1 struct {
	r   *bufio.Reader
	buf [2]byte
	n   int // pending bytes in buf
}

func (l *latin1) Read(p []byte) (int, error) {
	w := 0
	for w < len(p) {
		if l.n > 0 {
			p[w] = l.buf[2-l.n]
			l.n--
			w++
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if w > 0 {
				return w, nil
			}
			return 0, err
		}
		if b < 0x80 {
			p[w] = b
			w++
			continue
		}
		l.buf[0], l.buf[1] = 0xC0|b>>6, 0x80|b&0x3F
		l.n = 2
	}
	return w, nil
}

// readXML reads the DfE XML layout: EXPSSDA903/CHILD with HEADER (and its
// repeating AREVIEW, AMISSING, OC2 …) and repeating EPISODE. Tags that differ
// from the CSV columns: CHILDID is CHILD, PL is PLACE.
func (r *Return) readXML(name string, in io.Reader) {
	r.readXMLLimited(name, in, DefaultXMLLimits, time.Now)
}

func (r *Return) readXMLLimited(name string, in io.Reader, lim XMLLimits, now func() time.Time) {
	guard := &tokenGuard{r: in, limit: lim.TokenBytes}
	dec := xml.NewDecoder(guard)
	dec.CharsetReader = charsetReader
	sum := FileSummary{Name: name, Table: "XML", Used: true}
	defer func() { r.Files = append(r.Files, sum) }()
	lineOf := func() int {
		l, _ := dec.InputPos()
		return l
	}
	refuse := func(format string, args ...any) {
		r.structural(Where{name, lineOf()}, format, args...)
	}
	deadline := now().Add(lim.Time)
	var stack []*node
	var tokens int64
	childBytes, childElems := 0, 0
	sawRoot := false
	for !r.stopped {
		tok, err := dec.Token()
		guard.mark = dec.InputOffset()
		if err == io.EOF {
			break
		}
		if err != nil {
			switch {
			case errors.Is(err, errTooBig):
				r.structural(Where{File: name}, "the file is larger than %d MB; split it", MaxFileBytes>>20)
			case errors.Is(err, errXMLLimit):
				refuse("not an SSDA903 return: %v", err)
			default:
				refuse("not well-formed XML: %v", err)
			}
			return
		}
		if tokens++; tokens > lim.Tokens {
			refuse("not an SSDA903 return: more than %d XML tokens", lim.Tokens)
			return
		}
		if tokens%65536 == 0 && now().After(deadline) {
			refuse("reading the XML took longer than %s; split the file", lim.Time)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= lim.Depth {
				refuse("not an SSDA903 return: elements nested more than %d deep", lim.Depth)
				return
			}
			n := &node{name: strings.ToUpper(t.Name.Local), line: lineOf()}
			if len(stack) == 0 {
				if sawRoot {
					refuse("a second root element <%s> after </EXPSSDA903>", t.Name.Local)
					return
				}
				if n.name != "EXPSSDA903" {
					refuse("an SSDA903 XML file starts with <EXPSSDA903>, not <%s>", t.Name.Local)
					return
				}
				sawRoot = true
			} else if len(stack) >= 2 {
				// Inside a CHILD: what it may hold is bounded; the root's
				// CHILD list is dropped as each child is read.
				childElems++
				childBytes += len(n.name)
				if childElems > lim.Elements || childBytes > lim.ChildBytes {
					refuse("not an SSDA903 return: a CHILD holds more than %d elements or %d KB", lim.Elements, lim.ChildBytes>>10)
					return
				}
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			} else {
				childBytes, childElems = 0, 0
				stack[0].kids = append(stack[0].kids[:0], n)
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) < 2 {
				continue // whitespace between children
			}
			n := stack[len(stack)-1]
			if len(n.text)+len(t) > lim.TextBytes {
				// Refused as a whole: a field this long is not a return value.
				refuse("<%s> holds more than %d KB of text", n.name, lim.TextBytes>>10)
				return
			}
			childBytes += len(t)
			if childBytes > lim.ChildBytes {
				refuse("not an SSDA903 return: a CHILD holds more than %d KB", lim.ChildBytes>>10)
				return
			}
			n.text = append(n.text, t...)
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n.name == "CHILD" && len(stack) == 1 {
				sum.Rows++
				r.xmlChild(name, n)
				stack[0].kids = stack[0].kids[:0]
			}
		}
	}
	if !sawRoot && !r.stopped {
		r.structural(Where{File: name}, "the file is empty")
	}
}

func (r *Return) xmlChild(file string, c *node) {
	var header *node
	for _, k := range c.kids {
		if k.name == "HEADER" {
			header = k
		}
	}
	if header == nil {
		r.problem(Error, Where{file, c.line}, "HEADER", "", "a CHILD without a HEADER")
		return
	}
	child := header.field("CHILDID")
	dob := header.field("DOB")
	flat := func(n *node, rename map[string]string) map[string]string {
		row := map[string]string{"CHILD": child, "DOB": dob}
		for _, k := range n.kids {
			if len(k.kids) == 0 {
				col := k.name
				if to, ok := rename[col]; ok {
					col = to
				}
				row[col] = strings.ToUpper(strings.TrimSpace(string(k.text)))
			}
		}
		return row
	}
	h := flat(header, map[string]string{"CHILDID": "CHILD"})
	r.addRow(Header, Where{file, header.line}, h)
	if u := h["UASC"]; u != "" && u != "0" && u != "1" {
		r.rule("105", Where{file, header.line}, "UASC", u, "1 for an unaccompanied asylum-seeking child, 0 or blank otherwise")
	}
	if h["UASC"] == "1" {
		r.addRow(UASC, Where{file, header.line}, map[string]string{"CHILD": child, "SEX": h["SEX"], "DOB": dob, "DUC": h["DUC"]})
	}
	// OC3 and AD1 are fields of HEADER in the XML layout.
	for _, t := range []Table{OC3, AD1} {
		row := map[string]string{"CHILD": child, "DOB": dob}
		any := false
		for _, c := range Columns[t][2:] {
			row[c] = h[c]
			any = any || h[c] != ""
		}
		if any {
			r.addRow(t, Where{file, header.line}, row)
		}
	}
	for _, k := range header.kids {
		switch k.name {
		case "PERMANENCE":
			r.addRow(PrevPerm, Where{file, k.line}, flat(k, nil))
		case "AD_PLACED":
			r.addRow(PlacedAdoption, Where{file, k.line}, flat(k, nil))
		case "AREVIEW":
			r.addRow(Reviews, Where{file, k.line}, flat(k, nil))
		case "AMISSING":
			r.addRow(Missing, Where{file, k.line}, flat(k, nil))
		case "OC2":
			r.addRow(OC2, Where{file, k.line}, flat(k, nil))
		}
	}
	for _, k := range c.kids {
		switch k.name {
		case "EPISODE":
			row := flat(k, map[string]string{"PL": "PLACE"})
			delete(row, "DOB")
			r.addRow(Episodes, Where{file, k.line}, row)
		case "SWEPISODE":
			r.addRow(SWEpisodes, Where{file, k.line}, flat(k, nil))
		case "DOLO":
			r.addRow(DoLo, Where{file, k.line}, flat(k, nil))
		}
	}
}
