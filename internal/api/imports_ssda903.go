package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// maxReturnFiles bounds the parts of one SSDA903 upload (a return has about a
// dozen tables).
const maxReturnFiles = 40

// ssda903Import queues an SSDA903 return on the same background queue as the
// upload page, with the same importer and stored report, and answers 202 with
// the import and the link to poll (GET /api/v1/imports/{id}). The body is one
// file (the XML layout, or one CSV table, named by ?name=) or
// multipart/form-data with a part per file.
func (a *API) ssda903Import(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	q := r.URL.Query()
	var ps valid.Problems
	la, err := ParseLA(q.Get("council"))
	if err != nil || la == nil {
		ps.Add("council", "give the council's three-digit LA code, like ?council=352")
	}
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		ps.Add("year", "give the collection year, like ?year=2026 for 2025/26")
	}
	replaceLater := false
	if v := q.Get("replace_later"); v != "" {
		if replaceLater, err = strconv.ParseBool(v); err != nil {
			ps.Add("replace_later", "%q is not true or false", v)
		}
	}
	if err := ps.Err(); err != nil {
		a.fail(w, r, err)
		return
	}
	dir, err := os.MkdirTemp("", "hearth-import-")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	names, paths, err := saveParts(r, dir)
	if err != nil {
		os.RemoveAll(dir)
		a.fail(w, r, err)
		return
	}
	// Begin decides on the council and audits a refusal, before anything runs.
	id, err := a.Importer.Begin(r.Context(), u.UserID, *la, ssda903.Year(year), names)
	if err != nil {
		os.RemoveAll(dir)
		a.fail(w, r, err)
		return
	}
	laID := *la
	a.Imports.Submit(importq.Job{ID: id, LA: laID, Run: func(context.Context) error {
		defer os.RemoveAll(dir)
		var files []ssda903.File
		for i, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			files = append(files, ssda903.File{Name: names[i], Body: f})
		}
		_, err := a.Importer.RunWith(context.Background(), id, u.UserID, laID, ssda903.Year(year), files, nil, ssda903.Options{ReplaceLater: replaceLater})
		if err != nil && !errors.Is(err, ssda903.ErrRefused) {
			a.Log.Error("ssda903 import failed", "import_id", id, "err", err)
		}
		return nil
	}})
	link, page := importLinks(id)
	w.Header().Set("Location", link)
	WriteJSON(w, http.StatusAccepted, Import{ID: id, Kind: "ssda903", Council: laID, Files: names, Status: "running", Link: link, Page: page,
		StartedAt: a.Placements.Now()})
}

// saveParts keeps the upload's files in dir: each part of a multipart body,
// or the whole body as one file.
func saveParts(r *http.Request, dir string) (names, paths []string, err error) {
	save := func(name string, body io.Reader) error {
		p := filepath.Join(dir, strconv.Itoa(len(paths)))
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, body); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		names, paths = append(names, name), append(paths, p)
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return names, paths, save(uploadName(r, "return.xml"), r.Body)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, valid.Errorf("files", "the multipart body cannot be read: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, nil, err
			}
			return nil, nil, valid.Errorf("files", "the multipart body cannot be read: %v", err)
		}
		if part.FileName() == "" {
			part.Close()
			continue
		}
		if len(paths) == maxReturnFiles {
			return nil, nil, valid.Errorf("files", "a return has at most %d files", maxReturnFiles)
		}
		name := filepath.Base(part.FileName())
		err = save(name, part)
		part.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("save %s: %w", name, err)
		}
	}
	if len(paths) == 0 {
		return nil, nil, valid.Errorf("files", "the body has no files: send the return's CSV tables or XML file as parts")
	}
	return names, paths, nil
}
