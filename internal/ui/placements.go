package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hearthcare/hearth/internal/api"
	"github.com/hearthcare/hearth/internal/auth"
	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/db"
	"github.com/hearthcare/hearth/internal/placements"
	"github.com/hearthcare/hearth/internal/ssda903"
	"github.com/hearthcare/hearth/internal/valid"
)

// childPlacements adds the placements section of the child page.
func (s *Server) childPlacements(r *http.Request, userID int64, c db.ChildGetRow, data map[string]any) error {
	dom := authz.CouncilDomain(c.LaID)
	if !s.Authz.Allowed(userID, dom, authz.Placement, authz.Read) {
		return nil
	}
	h, err := s.Placements.Get(r.Context(), userID, c.ChildID)
	if err != nil {
		return err
	}
	data["Placements"] = h
	data["CanWritePlacements"] = s.Authz.Allowed(userID, dom, authz.Placement, authz.Write)
	newest := make([]placements.Placement, len(h.Placements))
	for i, p := range h.Placements {
		newest[len(h.Placements)-1-i] = p
	}
	data["PlacementsNewest"] = newest
	if c := placements.CostChart(h); !c.Empty() {
		data["CostChart"] = c.Figure()
	}
	return nil
}

type moveData struct {
	Child    db.ChildGetRow
	Current  *placements.Placement
	Open     db.Episode
	Form     map[string]string
	Places   []codeLabel
	Kinds    []codeLabel
	Reasons  []codeLabel
	Provider []db.ProviderListRow
}

type codeLabel struct{ Code, Label string }

func sortedLabels(m map[string]string) []codeLabel {
	out := make([]codeLabel, 0, len(m))
	for k, v := range m {
		out = append(out, codeLabel{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func (s *Server) moveData(r *http.Request, childID int64) (moveData, error) {
	u := auth.UserFrom(r.Context())
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		return moveData{}, err
	}
	h, err := s.Placements.Get(r.Context(), u.UserID, childID)
	if err != nil {
		return moveData{}, err
	}
	provs, err := s.Placements.Providers(r.Context())
	if err != nil {
		return moveData{}, err
	}
	y := ssda903.YearOf(s.Placements.Now())
	var places []codeLabel
	for _, cl := range sortedLabels(ssda903.PlaceLabels) {
		if ssda903.PlaceValid(cl.Code, y) {
			places = append(places, cl)
		}
	}
	d := moveData{Child: rec.Child, Current: h.Current, Places: places, Kinds: sortedLabels(ssda903.ProviderLabels),
		Reasons: sortedLabels(placements.Reasons()), Provider: provs, Form: map[string]string{}}
	if h.Current != nil {
		d.Open = h.Current.Episodes[len(h.Current.Episodes)-1]
	}
	return d, nil
}

func (s *Server) placementMoveForm(w http.ResponseWriter, r *http.Request) {
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.moveData(r, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Form["on"] = s.Placements.Now().Format(time.DateOnly)
	s.render(w, r, http.StatusOK, "placement_move", page{Title: "Record a placement move", Data: d})
}

func (s *Server) placementMove(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	m := placements.Move{Place: f.Get("place"), ProviderKind: f.Get("provider_kind"), Reason: f.Get("reason"), Postcode: strings.ToUpper(strings.TrimSpace(f.Get("postcode")))}
	m.On = formDate(&ps, f, "on", true)
	m.From = formDate(&ps, f, "from", true)
	v, _ := strconv.Atoi(f.Get("version"))
	m.Version = int32(v)
	m.ProviderID, m.DistanceMiles, m.OutOfArea = whereFields(&ps, f)
	if strings.TrimSpace(f.Get("weekly")) != "" {
		// Social care pays it all; the split can be corrected on the cost form.
		w := formPence(&ps, f, "weekly")
		m.Cost = &placements.Cost{Weekly: w, SocialCare: w}
	}
	err = ps.Err()
	if err == nil {
		err = s.Placements.RecordMove(r.Context(), u.UserID, childID, m)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#placements", childID), http.StatusSeeOther)
		return
	}
	var ve *valid.Error
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &ve):
	case errors.Is(err, placements.ErrConflict):
		status = http.StatusConflict
		ve = valid.Errorf("on", "someone else changed this child's placements while you were filling in the form; the current placement is shown again, check it and record the move again")
	default:
		s.fail(w, r, err)
		return
	}
	d, derr := s.moveData(r, childID)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	for _, k := range []string{"on", "place", "provider_kind", "provider_id", "reason", "postcode", "distance_miles", "out_of_area", "weekly"} {
		d.Form[k] = f.Get(k)
	}
	s.render(w, r, status, "placement_move", page{Title: "Record a placement move", Errors: ve.Problems, Data: d})
}

func ptrTo[T any](v T) *T { return &v }

// childAndDate reads a child's ID and a date from the route; false means an
// error page has been written.
func (s *Server) childAndDate(w http.ResponseWriter, r *http.Request, param string) (int64, time.Time, bool) {
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return 0, time.Time{}, false
	}
	on, err := time.Parse(time.DateOnly, chi.URLParam(r, param))
	if err != nil {
		s.fail(w, r, errNoPage)
		return 0, time.Time{}, false
	}
	return childID, on, true
}

// optionalID reads {id} on a route that edits a record; 0 on one that creates.
func (s *Server) optionalID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := chi.URLParam(r, "id")
	if v == "" {
		return 0, true
	}
	id, err := api.ParseID(v)
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

// whereFields reads the provider, distance and in-or-out-of-area answers that
// the move and correction forms share.
func whereFields(ps *valid.Problems, f url.Values) (provider *int64, miles *float64, outOfArea *bool) {
	if p := f.Get("provider_id"); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			ps.Add("provider_id", "choose a provider from the list")
		}
		provider = &id
	}
	if d := strings.TrimSpace(f.Get("distance_miles")); d != "" {
		x, err := strconv.ParseFloat(d, 64)
		if err != nil {
			ps.Add("distance_miles", "%q is not a number of miles", d)
		}
		miles = &x
	}
	switch f.Get("out_of_area") {
	case "yes":
		outOfArea = ptrTo(true)
	case "no":
		outOfArea = ptrTo(false)
	}
	return provider, miles, outOfArea
}

func formPence(ps *valid.Problems, f url.Values, field string) int64 {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return 0
	}
	p, err := placements.ParsePounds(v)
	if err != nil {
		ps.Add(field, "%q is not an amount in pounds, like 1,234.50", v)
	}
	return p
}

type costData struct {
	Child     db.ChildGetRow
	Placement placements.Placement
	Form      map[string]string
	Cost      *db.PlacementCost // when correcting one
}

func (s *Server) costPage(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, form map[string]string) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.Placements.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range h.Placements {
		if p.StartedOn.Equal(start) {
			if form == nil {
				form = map[string]string{"from": s.Placements.Now().Format(time.DateOnly)}
			}
			s.render(w, r, status, "placement_cost", page{Title: "Add a weekly cost", Errors: problems, Data: costData{Child: rec.Child, Placement: p, Form: form}})
			return
		}
	}
	s.fail(w, r, errNoPage)
}

func (s *Server) costForm(w http.ResponseWriter, r *http.Request) {
	s.costPage(w, r, http.StatusOK, nil, nil)
}

func (s *Server) costCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	c := costFromForm(&ps, f)
	err := ps.Err()
	if err == nil {
		_, err = s.Placements.AddCost(r.Context(), u.UserID, childID, start, c)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#placements", childID), http.StatusSeeOther)
	case errors.As(err, &ve):
		form := map[string]string{}
		for _, k := range []string{"from", "to", "weekly", "social_care", "education", "health"} {
			form[k] = f.Get(k)
		}
		s.costPage(w, r, http.StatusUnprocessableEntity, ve.Problems, form)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) providersList(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	ps, err := s.Placements.Providers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "providers", page{Title: "Providers", Data: map[string]any{"Providers": ps,
		"CanManage": s.Authz.AllowedAnywhere(u.UserID, authz.Placement, authz.Manage), "Kinds": ssda903.ProviderLabels}})
}

type providerData struct {
	ID       int64
	Version  int32
	Form     map[string]string
	Kinds    []codeLabel
	Councils []db.LocalAuthority
}

func (s *Server) providerPage(w http.ResponseWriter, r *http.Request, status int, d providerData, problems []valid.Problem) {
	var err error
	if d.Councils, err = s.councilsWhere(r, authz.Placement, authz.Manage); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Kinds = sortedLabels(ssda903.ProviderLabels)
	title := "Add a provider"
	if d.ID != 0 {
		title = "Change a provider"
	}
	s.render(w, r, status, "provider_form", page{Title: title, Errors: problems, Data: d})
}

func (s *Server) providerForm(w http.ResponseWriter, r *http.Request) {
	d := providerData{Form: map[string]string{"kind": "PR4"}}
	if v := chi.URLParam(r, "id"); v != "" {
		id, err := api.ParseID(v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.Placements.Provider(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d = providerData{ID: id, Version: p.Version, Form: map[string]string{"name": p.Name, "urn": deref(p.OfstedUrn), "kind": p.Kind,
			"district": deref(p.PostcodeDistrict), "owner": ownerString(p.OwnerLaID)}}
	}
	s.providerPage(w, r, http.StatusOK, d, nil)
}

func ownerString(la *int32) string {
	if la == nil {
		return ""
	}
	return strconv.Itoa(int(*la))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) providerSave(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	id, ok := s.optionalID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	v, _ := strconv.Atoi(f.Get("version"))
	in := placements.ProviderInput{Name: f.Get("name"), URN: f.Get("urn"), Kind: f.Get("kind"), District: f.Get("district"), Version: int32(v)}
	if o := f.Get("owner"); o != "" {
		n, _ := strconv.Atoi(o)
		la := int32(n)
		in.OwnerLA = &la
	}
	_, err := s.Placements.SaveProvider(r.Context(), u.UserID, id, in)
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, "/providers?saved=1", http.StatusSeeOther)
		return
	case errors.Is(err, placements.ErrConflict):
		ve = valid.Errorf("name", "someone else changed this provider while you were editing; open it again to see their change")
	case !errors.As(err, &ve):
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for _, k := range []string{"name", "urn", "kind", "district", "owner"} {
		form[k] = f.Get(k)
	}
	s.providerPage(w, r, http.StatusUnprocessableEntity, providerData{ID: id, Version: int32(v), Form: form}, ve.Problems)
}

type episodeData struct {
	Child    db.ChildGetRow
	Episode  db.Episode
	Form     map[string]string
	Places   []codeLabel
	Kinds    []codeLabel
	Statuses []codeLabel
	Reasons  []codeLabel
	Provider []db.ProviderListRow
	Conflict bool
}

func (s *Server) episodePage(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, form map[string]string) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.Placements.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	provs, err := s.Placements.Providers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range h.Episodes {
		if !e.StartedOn.Equal(start) {
			continue
		}
		d := episodeData{Child: rec.Child, Episode: e, Form: form, Kinds: sortedLabels(ssda903.ProviderLabels), Statuses: sortedLabels(ssda903.LegalStatusLabels),
			Reasons: sortedLabels(placements.Reasons()), Provider: provs, Conflict: status == http.StatusConflict}
		y := ssda903.YearOf(start)
		for _, cl := range sortedLabels(ssda903.PlaceLabels) {
			if ssda903.PlaceValid(cl.Code, y) {
				d.Places = append(d.Places, cl)
			}
		}
		if d.Form == nil {
			d.Form = map[string]string{"place": e.Place, "provider_kind": deref(e.PlaceProvider), "legal_status": e.LegalStatus,
				"reason": deref(e.ReasonPlaceChange), "postcode": deref(e.PlacementPostcode), "provider_id": idString(e.ProviderID),
				"distance_miles": floatString(e.DistanceMiles), "out_of_area": boolString(e.OutOfArea)}
		}
		s.render(w, r, status, "episode_edit", page{Title: "Correct an episode", Errors: problems, Data: d})
		return
	}
	s.fail(w, r, errNoPage)
}

func idString(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func floatString(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

func boolString(p *bool) string {
	if p == nil {
		return ""
	}
	return map[bool]string{true: "yes", false: "no"}[*p]
}

func (s *Server) episodeForm(w http.ResponseWriter, r *http.Request) {
	s.episodePage(w, r, http.StatusOK, nil, nil)
}

func (s *Server) episodeCorrect(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, start, ok := s.childAndDate(w, r, "start")
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	v, _ := strconv.Atoi(f.Get("version"))
	c := placements.Correction{Place: f.Get("place"), ProviderKind: f.Get("provider_kind"), LegalStatus: f.Get("legal_status"), Reason: f.Get("reason"),
		Postcode: strings.ToUpper(strings.TrimSpace(f.Get("postcode"))), Version: int32(v)}
	c.ProviderID, c.DistanceMiles, c.OutOfArea = whereFields(&ps, f)
	err := ps.Err()
	if err == nil {
		err = s.Placements.CorrectEpisode(r.Context(), u.UserID, childID, start, c)
	}
	form := map[string]string{}
	for _, k := range []string{"place", "provider_kind", "legal_status", "reason", "postcode", "provider_id", "distance_miles", "out_of_area"} {
		form[k] = f.Get(k)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#placements", childID), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.episodePage(w, r, http.StatusUnprocessableEntity, ve.Problems, form)
	case errors.Is(err, placements.ErrConflict):
		// Show the episode as it is now; the caller's version is kept in the form.
		s.episodePageConflict(w, r, form)
	default:
		s.fail(w, r, err)
	}
}

// episodePageConflict shows the saved episode beside what the caller typed.
func (s *Server) episodePageConflict(w http.ResponseWriter, r *http.Request, form map[string]string) {
	s.episodePage(w, r, http.StatusConflict, []valid.Problem{{Field: "place", Message: "someone else corrected this episode while you were editing; their version is shown below the form and yours is still in it; save again to keep yours"}}, form)
}

func (s *Server) costEditForm(w http.ResponseWriter, r *http.Request) {
	s.costEditPage(w, r, http.StatusOK, nil, nil)
}

func (s *Server) costEditPage(w http.ResponseWriter, r *http.Request, status int, problems []valid.Problem, form map[string]string) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	costID, err := api.ParseID(chi.URLParam(r, "cost"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec, err := s.Children.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.Placements.Get(r.Context(), u.UserID, childID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range h.Placements {
		for _, c := range p.Costs {
			if c.CostID != costID {
				continue
			}
			if form == nil {
				form = map[string]string{"from": c.EffectiveFrom.Format(time.DateOnly), "weekly": penceString(c.WeeklyPence),
					"social_care": penceString(c.SocialCarePence), "education": penceString(c.EducationPence), "health": penceString(c.HealthPence)}
				if c.EffectiveTo != nil {
					form["to"] = c.EffectiveTo.Format(time.DateOnly)
				}
			}
			s.render(w, r, status, "placement_cost", page{Title: "Correct a weekly cost", Errors: problems,
				Data: costData{Child: rec.Child, Placement: p, Form: form, Cost: &c}})
			return
		}
	}
	s.fail(w, r, errNoPage)
}

// costFromForm reads the cost fields the add and correct forms share; with no
// split given, social care pays it all.
func costFromForm(ps *valid.Problems, f url.Values) placements.Cost {
	c := placements.Cost{Weekly: formPence(ps, f, "weekly"), SocialCare: formPence(ps, f, "social_care"), Education: formPence(ps, f, "education"),
		Health: formPence(ps, f, "health")}
	if from := formDate(ps, f, "from", true); !from.IsZero() {
		c.From = &from
	}
	if to := formDate(ps, f, "to", false); !to.IsZero() {
		c.To = &to
	}
	if strings.TrimSpace(f.Get("social_care")) == "" && c.Education == 0 && c.Health == 0 {
		c.SocialCare = c.Weekly
	}
	return c
}

func penceString(p int64) string { return fmt.Sprintf("%d.%02d", p/100, p%100) }

func (s *Server) costCorrect(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	costID, err := api.ParseID(chi.URLParam(r, "cost"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	c := costFromForm(&ps, f)
	v, _ := strconv.Atoi(f.Get("version"))
	err = ps.Err()
	if err == nil {
		err = s.Placements.CorrectCost(r.Context(), u.UserID, childID, costID, int32(v), c)
	}
	form := map[string]string{}
	for _, k := range []string{"from", "to", "weekly", "social_care", "education", "health"} {
		form[k] = f.Get(k)
	}
	var ve *valid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#placements", childID), http.StatusSeeOther)
	case errors.As(err, &ve):
		s.costEditPage(w, r, http.StatusUnprocessableEntity, ve.Problems, form)
	case errors.Is(err, placements.ErrConflict):
		s.costEditPage(w, r, http.StatusConflict, []valid.Problem{{Field: "weekly",
			Message: "someone else changed this cost while you were editing; the saved figures are listed above and yours are still in the form; save again to keep yours"}}, form)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) missingCreate(w http.ResponseWriter, r *http.Request) {
	u := auth.UserFrom(r.Context())
	childID, err := api.ParseID(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	var ps valid.Problems
	m := placements.Missing{Kind: f.Get("missing_kind"), StartedOn: formDate(&ps, f, "missing_from", true)}
	if to := formDate(&ps, f, "missing_to", false); !to.IsZero() {
		m.EndedOn = &to
	}
	err = ps.Err()
	if err == nil {
		err = s.Placements.RecordMissing(r.Context(), u.UserID, childID, m)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/children/%d?saved=1#missing", childID), http.StatusSeeOther)
}
