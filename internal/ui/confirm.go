package ui

import (
	"net/http"
	"net/url"
	"sort"
)

// confirmation is the GOV.UK "are you sure" step before an action that cannot
// be taken back (approve, return, allocate, end sharing). It works without
// JavaScript: the first post shows this page, which posts the same fields
// again with confirm=yes; the cancel link goes back without changing anything.
type confirmation struct {
	Caption string   // what it is about, so a person with several tabs open knows which
	Heading string   // the question, "Approve this needs assessment?"
	Happens []string // what will happen, in plain words
	Button  string   // the primary button, saying the action
	Warning bool     // a warning button, for actions that stop something
	Action  string   // where the form posts
	Cancel  string   // where the cancel link goes
	Fields  []field  // the posted fields, carried through
}

type field struct{ Name, Value string }

// confirmed reports whether the person has already confirmed; if not, it
// renders the confirmation page for the fields posted and the caller returns.
func (s *Server) confirmed(w http.ResponseWriter, r *http.Request, c confirmation) bool {
	if r.PostForm.Get("confirm") == "yes" {
		return true
	}
	c.Action = r.URL.Path
	c.Fields = carried(r.PostForm)
	s.render(w, r, http.StatusOK, "confirm", page{Title: c.Heading, Data: c})
	return false
}

// carried lists the posted fields in a stable order, every value of each.
func carried(f url.Values) []field {
	names := make([]string, 0, len(f))
	for k := range f {
		if k != "confirm" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []field
	for _, k := range names {
		for _, v := range f[k] {
			out = append(out, field{k, v})
		}
	}
	return out
}
