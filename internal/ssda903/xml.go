package ssda903

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// node is an XML element with its text and children, and the line it began on.
type node struct {
	name string
	text string
	line int
	kids []*node
}

func (n *node) field(name string) string {
	for _, k := range n.kids {
		if k.name == name {
			return strings.ToUpper(strings.TrimSpace(k.text))
		}
	}
	return ""
}

// readXML reads the DfE XML layout: EXPSSDA903/CHILD with HEADER (and its
// repeating AREVIEW, AMISSING, OC2 …) and repeating EPISODE. Tags that differ
// from the CSV columns: CHILDID is CHILD, PL is PLACE.
func (r *Return) readXML(name string, in io.Reader) {
	dec := xml.NewDecoder(in)
	sum := FileSummary{Name: name, Table: "XML", Used: true}
	defer func() { r.Files = append(r.Files, sum) }()
	lineOf := func() int {
		l, _ := dec.InputPos()
		return l
	}
	var stack []*node
	sawRoot := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, errTooBig) {
				r.problem(Error, Where{File: name}, "", "", "the file is larger than %d MB; split it", MaxFileBytes>>20)
			} else {
				r.problem(Error, Where{name, lineOf()}, "", "", "not well-formed XML: %v", err)
			}
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: strings.ToUpper(t.Name.Local), line: lineOf()}
			if len(stack) == 0 {
				if n.name != "EXPSSDA903" {
					r.problem(Error, Where{name, n.line}, "", "", "an SSDA903 XML file starts with <EXPSSDA903>, not <%s>", t.Name.Local)
					return
				}
				sawRoot = true
			} else {
				parent := stack[len(stack)-1]
				parent.kids = append(parent.kids, n)
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n.name == "CHILD" && len(stack) == 1 {
				sum.Rows++
				r.xmlChild(name, n)
				// Drop the finished child so memory stays flat on a national file.
				root := stack[0]
				root.kids = root.kids[:0]
			}
		}
	}
	if !sawRoot {
		r.problem(Error, Where{File: name}, "", "", "the file is empty")
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
				row[col] = strings.ToUpper(strings.TrimSpace(k.text))
			}
		}
		return row
	}
	h := flat(header, map[string]string{"CHILDID": "CHILD"})
	r.addRow(Header, Where{file, header.line}, h)
	if h["UASC"] == "1" {
		r.addRow(UASC, Where{file, header.line}, map[string]string{"CHILD": child, "SEX": h["SEX"], "DOB": dob, "DUC": h["DUC"]})
	}
	for _, k := range header.kids {
		switch k.name {
		case "AREVIEW":
			r.addRow(Reviews, Where{file, k.line}, flat(k, nil))
		case "AMISSING":
			r.addRow(Missing, Where{file, k.line}, flat(k, nil))
		case "OC2":
			r.addRow(OC2, Where{file, k.line}, flat(k, nil))
		}
	}
	for _, k := range c.kids {
		if k.name == "EPISODE" {
			row := flat(k, map[string]string{"PL": "PLACE"})
			delete(row, "DOB")
			r.addRow(Episodes, Where{file, k.line}, row)
		}
	}
}
