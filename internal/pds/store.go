package pds

import (
	"slices"

	"github.com/hearthcare/hearth/internal/db"
)

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func val(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func deref[T any](p *T) T {
	var z T
	if p == nil {
		return z
	}
	return *p
}

// insertParams is a validated record as a row; only Validate's output
// reaches here, so the required pointers are set.
func insertParams(la int32, source string, childID *int64, userID *int64, r Record) db.PdsInsertParams {
	var present []string
	for _, k := range Risks {
		if r.Risks[k.Field] == "risk-present" {
			present = append(present, k.Field)
		}
	}
	if present == nil {
		present = []string{}
	}
	p := db.PdsInsertParams{LaID: la, Source: source, ChildID: childID, ChildRef: r.ChildRef, NeededBy: opt(r.NeededBy),
		SiblingsToPlace: r.SiblingsToPlace, ChildPreference: opt(r.ChildPreference), CommunicationNeeds: r.CommunicationNeeds,
		CommunicationRequirements: slices.Clone(r.CommunicationRequirements), CommunicationOther: opt(r.CommunicationOther),
		HomeAdaptation: deref(r.HomeAdaptation), CulturalNeeds: r.CulturalNeeds, CulturalOther: opt(r.CulturalOther),
		LivingCompanions: r.LivingCompanions, Pets: r.Pets, AdditionalSupport: opt(r.AdditionalSupport),
		AdditionalSupportOther: opt(r.AdditionalSupportOther), DeprivationOfLiberty: r.DeprivationOfLiberty,
		FosterSuitability: r.FosterSuitability, ResidentialSuitability: r.ResidentialSuitability, SupportedSuitability: r.SupportedSuitability,
		RisksPresent: present, CostCorePence: r.CostCore, CostAdditionalPence: r.CostAdditional, CostEducationPence: r.CostEducation,
		CostOtherPence: r.CostOther, CostTotalPence: deref(r.CostTotal), PlacementLocation: r.PlacementLocation,
		PreferredLocationLocal: deref(r.PreferredLocationLocal), OutOfLaReason: opt(r.OutOfLAReason), OutOfLaOther: opt(r.OutOfLAOther),
		EducationContinuity: deref(r.EducationContinuity), ProviderUrn: r.ProviderURN, SiblingsPlacedTogether: deref(r.SiblingsPlacedTogether),
		PlacementType: r.PlacementType, ReferralDate: r.ReferralDate, PlacementDate: r.PlacementDate, CostDate: r.CostDate, UserID: userID}
	if childID != nil {
		p.PlacementStartedOn = &r.PlacementDate
	}
	return p
}

func updateParams(p db.PdsInsertParams, recordID int64, version int32) db.PdsUpdateParams {
	return db.PdsUpdateParams{ChildRef: p.ChildRef, NeededBy: p.NeededBy, SiblingsToPlace: p.SiblingsToPlace, ChildPreference: p.ChildPreference,
		CommunicationNeeds: p.CommunicationNeeds, CommunicationRequirements: p.CommunicationRequirements, CommunicationOther: p.CommunicationOther,
		HomeAdaptation: p.HomeAdaptation, CulturalNeeds: p.CulturalNeeds, CulturalOther: p.CulturalOther, LivingCompanions: p.LivingCompanions,
		Pets: p.Pets, AdditionalSupport: p.AdditionalSupport, AdditionalSupportOther: p.AdditionalSupportOther,
		DeprivationOfLiberty: p.DeprivationOfLiberty, FosterSuitability: p.FosterSuitability, ResidentialSuitability: p.ResidentialSuitability,
		SupportedSuitability: p.SupportedSuitability, RisksPresent: p.RisksPresent, CostCorePence: p.CostCorePence,
		CostAdditionalPence: p.CostAdditionalPence, CostEducationPence: p.CostEducationPence, CostOtherPence: p.CostOtherPence,
		CostTotalPence: p.CostTotalPence, PlacementLocation: p.PlacementLocation, PreferredLocationLocal: p.PreferredLocationLocal,
		OutOfLaReason: p.OutOfLaReason, OutOfLaOther: p.OutOfLaOther, EducationContinuity: p.EducationContinuity, ProviderUrn: p.ProviderUrn,
		SiblingsPlacedTogether: p.SiblingsPlacedTogether, PlacementType: p.PlacementType, ReferralDate: p.ReferralDate,
		PlacementDate: p.PlacementDate, CostDate: p.CostDate, UserID: p.UserID, LaID: p.LaID, RecordID: recordID, Version: version}
}

// FromDB is a stored row as a record.
func FromDB(row db.PdsRecord) Record {
	r := Record{ChildRef: row.ChildRef, NeededBy: val(row.NeededBy), SiblingsToPlace: row.SiblingsToPlace, ChildPreference: val(row.ChildPreference),
		CommunicationNeeds: row.CommunicationNeeds, CommunicationRequirements: slices.Clone(row.CommunicationRequirements),
		CommunicationOther: val(row.CommunicationOther), HomeAdaptation: new(row.HomeAdaptation), CulturalNeeds: row.CulturalNeeds,
		CulturalOther: val(row.CulturalOther), LivingCompanions: row.LivingCompanions, Pets: row.Pets, AdditionalSupport: val(row.AdditionalSupport),
		AdditionalSupportOther: val(row.AdditionalSupportOther), DeprivationOfLiberty: row.DeprivationOfLiberty,
		FosterSuitability: row.FosterSuitability, ResidentialSuitability: row.ResidentialSuitability, SupportedSuitability: row.SupportedSuitability,
		Risks: map[string]string{}, CostCore: row.CostCorePence, CostAdditional: row.CostAdditionalPence, CostEducation: row.CostEducationPence,
		CostOther: row.CostOtherPence, CostTotal: new(row.CostTotalPence), PlacementLocation: row.PlacementLocation,
		PreferredLocationLocal: new(row.PreferredLocationLocal), OutOfLAReason: val(row.OutOfLaReason), OutOfLAOther: val(row.OutOfLaOther),
		EducationContinuity: new(row.EducationContinuity), ProviderURN: row.ProviderUrn, SiblingsPlacedTogether: new(row.SiblingsPlacedTogether),
		PlacementType: row.PlacementType, ReferralDate: row.ReferralDate, PlacementDate: row.PlacementDate, CostDate: row.CostDate}
	for _, k := range Risks {
		r.Risks[k.Field] = "no-known-risk"
		if slices.Contains(row.RisksPresent, k.Field) {
			r.Risks[k.Field] = "risk-present"
		}
	}
	return r
}
