package ui

import (
	"html/template"
	"net/url"
	"strings"
)

// linkWith builds an export or report link that carries the page's own
// filter: the query is parsed and encoded again, so every parameter arrives
// as itself (a raw query printed into an href was escaped into one garbled
// parameter). path must be a fixed path from a template; the result is a URL
// html/template can trust because only the encoded query is added to it.
func linkWith(path, rawQuery string) template.URL {
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#\"'<> ") {
		return template.URL("#")
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil || len(q) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + q.Encode())
}
