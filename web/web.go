// Package web embeds Hearth's HTML templates and static assets (GOV.UK Frontend
// compiled with an Arial font stack by `make assets`).
package web

import "embed"

// Templates are the html/template files, one per page plus the layout.
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds the compiled CSS and JavaScript.
//
//go:embed static
var Static embed.FS
