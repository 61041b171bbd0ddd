package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/importq"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// MaxUpload is the most an upload of return or census files may hold.
const MaxUpload = 4 * ssda903.MaxFileBytes

func (s *Server) importCouncils(r *http.Request) ([]db.LocalAuthority, error) {
	return s.councilsWhere(r, authz.Placement, authz.Import)
}

// councilsWhere lists the councils where the caller holds a permission.
func (s *Server) councilsWhere(r *http.Request, res authz.Resource, act authz.Action) ([]db.LocalAuthority, error) {
	return s.Councils.Where(r.Context(), auth.UserFrom(r.Context()).UserID, res, act)
}

func (s *Server) importsList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Placements.Imports(r.Context(), auth.UserFrom(r.Context()).UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "imports", page{Title: "Imports", Data: list})
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.importPage(w, r, http.StatusOK, nil, map[string]string{"kind": "ssda903", "year": strconv.Itoa(int(ssda903.YearOf(s.Placements.Now()))),
		"census_date": s.Placements.Now().Format(time.DateOnly)})
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, form map[string]string) {
	las, err := s.importCouncils(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "import_new", page{Title: "Import a return or cost census", Errors: problems,
		Data: map[string]any{"Councils": las, "Form": form, "MaxMB": ssda903.MaxFileBytes >> 20}})
}

// importCreate saves the uploaded files, records the import and runs it in the
// background, one at a time, so the page can show progress and the server
// keeps answering everyone else.
func (s *Server) importCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, valid.Errorf("files", "choose the files to import"))
		return
	}
	f := r.MultipartForm
	form := map[string]string{}
	for _, k := range []string{"la", "kind", "year", "census_date", "replace_later"} {
		form[k] = r.FormValue(k)
	}
	var ps valid.Problems
	la, err := strconv.Atoi(form["la"])
	if err != nil {
		ps.Add("la", "choose a council")
	}
	heads := f.File["files"]
	if len(heads) == 0 {
		ps.Add("files", "choose the files to import")
	}
	var year int
	var census time.Time
	switch form["kind"] {
	case "ssda903":
		if year, err = strconv.Atoi(form["year"]); err != nil || year < 2000 || year > 2100 {
			ps.Add("year", "enter the collection year, like 2026 for 2025/26")
		}
	case "cost_census":
		census = ps.DateField("census_date", dateName("census_date"), form["census_date"], true)
		if len(heads) > 1 {
			ps.Add("files", "a cost census is one file")
		}
	default:
		ps.Add("kind", "choose what you are importing")
	}
	// Overwriting a later return is asked for twice: ticked, then confirmed
	// (the confirmation is never carried over to the next attempt).
	replaceLater := form["replace_later"] == "yes"
	switch {
	case replaceLater && form["kind"] != "ssda903":
		ps.Add("replace_later", "only an SSDA903 return can replace what a later return recorded")
	case replaceLater && r.FormValue("replace_confirm") != "yes":
		ps.Add("replace_confirm", "tick the confirmation to let this return overwrite what a later year's return recorded, or untick the first box")
	}
	if len(ps) > 0 {
		// A browser never lets a page fill in a file field, so the page names
		// what was chosen and asks for it again.
		var chosen []string
		for _, h := range heads {
			chosen = append(chosen, filepath.Base(h.Filename))
		}
		form["chosen"] = strings.Join(chosen, ", ")
		s.importPage(w, r, http.StatusUnprocessableEntity, ps, form)
		return
	}
	dir, err := os.MkdirTemp("", "hearth-import-")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var names, paths []string
	for _, h := range heads {
		p := filepath.Join(dir, strconv.Itoa(len(paths)))
		if err := saveUpload(h, p); err != nil {
			os.RemoveAll(dir)
			s.fail(w, r, err)
			return
		}
		names, paths = append(names, filepath.Base(h.Filename)), append(paths, p)
	}
	var id int64
	var run func()
	if form["kind"] == "ssda903" {
		id, err = s.Importer.Begin(r.Context(), u.UserID, int32(la), ssda903.Year(year), names)
		run = func() {
			files, closeAll := openAll(names, paths)
			defer closeAll()
			_, err := s.Importer.RunWith(s.background, id, u.UserID, int32(la), ssda903.Year(year), files, nil, ssda903.Options{ReplaceLater: replaceLater})
			s.logImport(id, err)
		}
	} else {
		id, err = s.Placements.BeginCensus(r.Context(), u.UserID, int32(la), census, names[0])
		run = func() {
			files, closeAll := openAll(names, paths)
			defer closeAll()
			_, err := s.Placements.RunCensus(s.background, id, u.UserID, int32(la), census, files[0].Body)
			s.logImport(id, err)
		}
	}
	var ve *valid.Error
	if errors.As(err, &ve) {
		os.RemoveAll(dir)
		s.importPage(w, r, http.StatusUnprocessableEntity, ve.Problems, form)
		return
	}
	if err != nil {
		os.RemoveAll(dir)
		s.fail(w, r, err)
		return
	}
	s.imports.Submit(importq.Job{ID: id, LA: int32(la), Run: func(context.Context) error {
		defer os.RemoveAll(dir)
		run()
		return nil
	}})
	http.Redirect(w, r, fmt.Sprintf("/imports/%d", id), http.StatusSeeOther)
}

func (s *Server) logImport(id int64, err error) {
	if err != nil && !errors.Is(err, ssda903.ErrRefused) && !errors.Is(err, placements.ErrCensusRefused) {
		s.Log.Error("import failed", "import_id", id, "err", err)
	}
}

func saveUpload(h *multipart.FileHeader, path string) error {
	in, err := h.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func openAll(names, paths []string) ([]ssda903.File, func()) {
	var files []ssda903.File
	var closers []io.Closer
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		closers = append(closers, f)
		files = append(files, ssda903.File{Name: names[i], Body: f})
	}
	return files, func() {
		for _, c := range closers {
			c.Close()
		}
	}
}

func (s *Server) importShow(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	imp, err := s.Importer.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"Import": imp}
	if len(imp.Report) > 0 {
		if imp.Kind == "ssda903" {
			var rep ssda903.Report
			if err := json.Unmarshal(imp.Report, &rep); err != nil {
				s.fail(w, r, err)
				return
			}
			data["Report"] = rep
			data["Summary"] = ssda903.Summarise(rep.Problems)
		} else {
			var rep placements.CensusReport
			if err := json.Unmarshal(imp.Report, &rep); err != nil {
				s.fail(w, r, err)
				return
			}
			data["Census"] = rep
		}
	}
	if imp.Status == "running" {
		data["Refresh"] = true
		if imp.Total > 0 {
			data["Percent"] = imp.Done * 100 / imp.Total
		}
	}
	s.render(w, r, http.StatusOK, "import", page{Title: "Import " + strconv.FormatInt(id, 10), Data: data})
}

// importProblems downloads every problem of an SSDA903 import as CSV.
func (s *Server) importProblems(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The importer decides and audits, as for the import's page.
	imp, err := s.Importer.Get(r.Context(), u.UserID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if imp.Kind != "ssda903" {
		s.fail(w, r, errNoPage)
		return
	}
	var rep ssda903.Report
	if len(imp.Report) > 0 {
		if err := json.Unmarshal(imp.Report, &rep); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="import-%d-problems.csv"`, id))
	if err := ssda903.WriteProblems(w, rep.Problems); err != nil {
		s.Log.Warn("writing problems", "import_id", id, "err", err)
	}
}
