package api

import (
	"net/http"

	"github.com/hearthcare/hearth/internal/authz"
	"github.com/hearthcare/hearth/internal/needs"
	"github.com/hearthcare/hearth/internal/valid"
)

// settingsRoutes are the API twins of council settings forms.
func (a *API) settingsRoutes() []Route {
	return []Route{
		{"PUT", "/api/v1/settings/needs", authz.Council, authz.Manage, decodeThen(a, a.needsSettings)},
	}
}

// needsSettingsBody is a council's review intervals, its step-down rule, or both.
type needsSettingsBody struct {
	Council int32           `json:"council"`
	Review  *needs.Settings `json:"review"`
	Step    *struct {
		Places []string `json:"places"`
		Bands  []string `json:"bands"`
	} `json:"step_down"`
}

// needsSettings is the twin of POST /settings/needs: a council's review
// intervals, its step-down rule, or both. The services decide on the council.
func (a *API) needsSettings(w http.ResponseWriter, r *http.Request, b needsSettingsBody) error {
	var ps valid.Problems
	if b.Council < 100 || b.Council > 999 {
		ps.Add("council", "give the council's three-digit LA code")
	}
	if b.Review == nil && b.Step == nil {
		ps.Add("review", "give the review intervals, the step-down rule (step_down), or both")
	}
	if err := ps.Err(); err != nil {
		return err
	}
	if b.Review != nil {
		if err := a.Needs.SetCouncilSettings(r.Context(), userID(r), b.Council, *b.Review); err != nil {
			return err
		}
	}
	if b.Step != nil {
		if err := a.Analytics.SetStepDownRule(r.Context(), userID(r), b.Council, b.Step.Places, b.Step.Bands); err != nil {
			return err
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"council": b.Council, "review": b.Review, "step_down": b.Step})
	return nil
}
