package ui

import (
	"net/http"

	"github.com/hearthcare/hearth/internal/audit"
)

// auditFirst writes a request's audit events in one transaction just before
// the first byte of its answer (audit.Batch): the page a person sees has
// always been recorded, and a page that records five events costs one WAL
// flush, not five. If the events cannot be written the page is not sent; the
// person gets the error instead.
type auditFirst struct {
	http.ResponseWriter
	s      *Server
	r      *http.Request
	batch  *audit.Batch
	done   bool
	failed bool
}

func (w *auditFirst) flush() bool {
	if w.done {
		return !w.failed
	}
	w.done = true
	if err := w.batch.Flush(w.r.Context(), w.s.Pool); err != nil {
		w.failed = true
		// Whatever the handler had set up for its own answer is not ours.
		for k := range w.Header() {
			delete(w.Header(), k)
		}
		w.s.securityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(w.ResponseWriter, w.r)
		w.s.Log.Error("audit events not written; the answer was withheld", "request_id", requestIDFrom(w.r), "err", err)
		w.s.fail(w.ResponseWriter, w.r, err)
	}
	return !w.failed
}

func (w *auditFirst) WriteHeader(code int) {
	if w.flush() {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *auditFirst) Write(b []byte) (int, error) {
	if !w.flush() {
		return len(b), nil // the handler's answer is dropped; the error was sent
	}
	return w.ResponseWriter.Write(b)
}

func (w *auditFirst) Flush() {
	if w.flush() {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *auditFirst) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// batchAudit holds the request's audit events for auditFirst.
func (s *Server) batchAudit(w http.ResponseWriter, r *http.Request, next http.Handler) {
	ctx, batch := audit.WithBatch(r.Context())
	r = r.WithContext(ctx)
	aw := &auditFirst{ResponseWriter: w, s: s, r: r, batch: batch}
	next.ServeHTTP(aw, r)
	// A handler that wrote nothing (a bare 200) still has its events written.
	aw.flush()
}
