// Package valid carries what is wrong with an input back to whoever typed it:
// every problem names its field (or row and column), so pages, the API and
// imports can say exactly what to fix.
package valid

import (
	"fmt"
	"strings"
)

// Error lists every problem with an input.
type Error struct{ Problems []Problem }

// Problem is one thing wrong with one field.
type Problem struct{ Field, Message string }

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return strings.Join(parts, "; ")
}

// Errorf is an Error with one problem.
func Errorf(field, format string, args ...any) *Error {
	return &Error{Problems: []Problem{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// Problems collects problems; Err returns nil when there are none.
type Problems []Problem

// Add records a problem.
func (ps *Problems) Add(field, format string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns the problems as an *Error, or nil.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}
