package ui

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hearthcare/hearth/internal/audit"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/children"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/postgres"
)

type requestIDKey struct{}

func requestIDFrom(r *http.Request) string { return audit.RequestID(r.Context()) }

func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(audit.WithRequestID(r.Context(), id)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		// authenticate runs later, on a derived request; it fills this in.
		who := &requestUser{}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestUserKey{}, who)))
		attrs := []any{"request_id", requestIDFrom(r), "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", time.Since(start).Milliseconds()}
		if who.id != 0 {
			attrs = append(attrs, "user_id", who.id)
		}
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			s.Log.Debug("request", attrs...)
			return
		}
		s.Log.Info("request", attrs...)
	})
}

// recoverPanics turns a panic into a 500 page; no stack trace reaches the user.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "request_id", requestIDFrom(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, errPanic)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

var errPanic = fmt.Errorf("internal error")

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			// Pages and API answers carry children's personal data: never cache them.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := s.MaxBody
			if r.Method == http.MethodPost && (r.URL.Path == "/imports" || strings.HasPrefix(r.URL.Path, "/api/v1/imports/")) {
				limit = MaxUpload // returns and censuses are big; the reader checks each file
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

type requestUserKey struct{}

// requestUser carries the signed-in user back out to the request log.
type requestUser struct{ id int64 }

// refuseNUL answers 400 to a query or form carrying a NUL character: no field
// of Hearth's takes one, and PostgreSQL refuses it in text (it would be a 500).
func (s *Server) refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasNUL(r.URL.RawQuery) || strings.ContainsRune(r.URL.Path, 0) {
			s.fail(w, r, errNUL)
			return
		}
		ct := r.Header.Get("Content-Type")
		if r.Body != nil && (strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "application/json")) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if hasNUL(string(body)) || bytes.Contains(body, []byte(`\u0000`)) {
				s.fail(w, r, errNUL)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func hasNUL(s string) bool {
	return strings.ContainsRune(s, 0) || strings.Contains(strings.ToLower(s), "%00")
}

// authenticate finds the user from the session cookie or a bearer token.
// authenticate finds the user from the session cookie or a bearer token, and
// sets the councils the request's database work may see (row-level security)
// to the user's reach; a request with no user sees no council's rows.
func (s *Server) authenticate(next http.Handler) http.Handler {
	signedIn := func(w http.ResponseWriter, r *http.Request, u *db.User) {
		reach, err := s.Authz.Reach(r.Context(), u.UserID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.databaseAnswered()
		// children.WithMemo: the request reads and authorises each child once (API routes too).
		s.batchAudit(w, r.WithContext(children.WithMemo(postgres.WithCouncils(auth.WithUser(r.Context(), u), reach))), next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		defer func() {
			if who, _ := ctx.Value(requestUserKey{}).(*requestUser); who != nil {
				if u := auth.UserFrom(ctx); u != nil {
					who.id = u.UserID
				}
			}
		}()
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.fail(w, r, auth.ErrNoSession)
				return
			}
			u, err := s.Auth.Token(ctx, strings.TrimSpace(token))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			signedIn(w, r, &u)
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil {
			u, err := s.Auth.Session(ctx, c.Value)
			switch {
			case err == nil:
				signedIn(w, r, &u)
				return
			case !errors.Is(err, auth.ErrNoSession) && !errors.Is(err, auth.ErrDisabled):
				// The session could not be checked (the database is down):
				// keep the cookie, so the person is still signed in when it
				// is back, and say so.
				s.fail(w, r, err)
				return
			}
			// An expired session: clear the cookie and carry on unsigned-in, so the
			// page asks the person to sign in again rather than failing.
			s.clearSessionCookie(w)
		}
		next.ServeHTTP(w, r.WithContext(postgres.WithCouncils(ctx, postgres.Councils{})))
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(s.Auth.Settings().SessionMax.Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// databaseAnswered notes that the database is reachable again after an outage.
func (s *Server) databaseAnswered() {
	if s.dbDown.CompareAndSwap(true, false) {
		s.Log.Info("database reachable again")
	}
}
