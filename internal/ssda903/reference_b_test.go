package ssda903

import "testing"

// referenceRulesB lists the reference's rules of part B of issue 15: 400
// to 699, the deprivation of liberty order rules 700 to 710, the social
// worker rules (SW, the reference's suffixes STG1/STG2 dropped) and its
// cross-table integrity checks (INT). Years: the reference's 2022/23 ruleset
// is its base; a rule in a later ruleset's folder only is new that year,
// and its del_list (and the DfE's 2024/25 deletions as ../shared/docs/
// ssda903.md gives them) end a rule. The list holds the rules whose files
// were read or found in the reference; it cannot list a numbered rule no
// file look-up found.
var referenceRulesB = []refRule{
	{"408", 2023, 0, implemented}, {"411", 2023, 0, notRun}, {"420", 2023, 0, notRun}, {"426", 2023, 0, implemented},
	{"431", 2023, 0, implemented}, {"432", 2023, 0, implemented}, {"433", 2023, 0, implemented}, {"434", 2023, 0, implemented},
	{"435", 2023, 0, implemented}, {"436", 2023, 0, implemented}, {"437", 2023, 0, implemented},
	{"440", 2023, 0, implemented}, {"441", 2023, 0, implemented}, {"442", 2023, 0, implemented},
	{"445", 2023, 2024, implemented}, {"446", 2023, 0, implemented}, {"451", 2023, 2024, implemented},
	{"452", 2023, 0, notRun}, {"453", 2023, 0, notRun}, {"460", 2023, 0, implemented},
	{"501", 2023, 0, implemented}, {"502", 2023, 0, notRun},
	{"503A", 2023, 0, notRun}, {"503B", 2023, 0, notRun}, {"503C", 2023, 0, notRun}, {"503D", 2023, 0, notRun}, {"503E", 2023, 0, notRun},
	{"503F", 2023, 0, notRun}, {"503G", 2023, 0, notRun}, {"503H", 2023, 0, notRun}, {"503J", 2023, 0, notRun},
	{"504", 2023, 0, implemented}, {"511", 2023, 0, implemented}, {"514", 2023, 0, implemented}, {"516", 2023, 0, implemented},
	{"517", 2023, 0, implemented}, {"518", 2023, 0, implemented}, {"519", 2023, 0, implemented}, {"520", 2023, 0, implemented},
	{"521", 2023, 0, implemented}, {"522", 2023, 0, implemented}, {"523", 2023, 0, implemented}, {"524", 2023, 0, implemented},
	{"525", 2023, 0, implemented}, {"526", 2023, 0, implemented}, {"527", 2023, 0, implemented}, {"528", 2023, 0, implemented},
	{"529", 2023, 0, implemented}, {"530", 2023, 0, implemented}, {"531", 2023, 0, implemented},
	{"542", 2023, 0, implemented}, {"543", 2023, 0, implemented}, {"544", 2023, 0, implemented}, {"545", 2023, 0, implemented},
	{"546", 2023, 0, implemented}, {"547", 2023, 0, implemented}, {"550", 2023, 0, implemented},
	{"551", 2023, 0, implemented}, {"552", 2023, 0, implemented}, {"553", 2023, 0, implemented}, {"554", 2023, 0, implemented},
	{"555", 2023, 2024, implemented}, {"556", 2023, 2024, implemented}, {"557", 2023, 0, implemented}, {"558", 2023, 0, implemented},
	{"559", 2023, 0, notRun}, {"560", 2023, 0, notRun}, {"561", 2023, 0, notRun}, {"562", 2023, 0, notRun},
	{"565", 2023, 0, implemented}, {"566", 2023, 0, implemented}, {"567", 2023, 0, implemented},
	{"571", 2023, 0, implemented}, {"574", 2023, 0, implemented}, {"575", 2023, 0, implemented}, {"576", 2023, 0, notRun},
	{"577", 2023, 0, implemented}, {"578", 2023, 0, implemented}, {"579", 2023, 0, implemented}, {"580", 2023, 0, implemented},
	{"581", 2023, 0, implemented},
	{"601", 2023, 0, implemented}, {"602", 2023, 0, implemented}, {"607", 2023, 0, implemented},
	{"611", 2023, 0, implemented}, {"612", 2023, 0, implemented}, {"620", 2023, 0, implemented}, {"625", 2023, 0, implemented},
	{"626", 2023, 0, notRun}, {"628", 2023, 0, implemented},
	{"631", 2023, 0, implemented}, {"632", 2023, 0, implemented}, {"633", 2023, 0, implemented}, {"634", 2023, 0, implemented},
	{"635", 2023, 0, implemented},

	{"700", 2027, 0, implemented}, {"701", 2027, 0, implemented}, {"702", 2027, 0, implemented}, {"703", 2027, 0, implemented},
	{"704", 2027, 0, implemented}, {"705", 2027, 0, implemented}, {"706", 2027, 0, notRun}, {"707", 2027, 0, implemented},
	{"708", 2027, 0, implemented}, {"709", 2027, 0, implemented}, {"710", 2027, 0, implemented},

	{"SW01", 2024, 0, implemented}, {"SW01a", 2025, 0, implemented}, {"SW01b", 2025, 0, implemented},
	{"SW02", 2024, 0, implemented}, {"SW03", 2024, 0, implemented}, {"SW04", 2024, 0, implemented}, {"SW05", 2024, 0, implemented},
	{"SW06", 2024, 0, implemented}, {"SW07", 2024, 0, implemented}, {"SW08", 2024, 0, implemented}, {"SW09", 2024, 0, implemented},
	{"SW10", 2024, 0, implemented}, {"SW10a", 2026, 0, implemented}, {"SW10b", 2026, 0, implemented},
	{"SW11", 2024, 0, implemented}, {"SW11a", 2024, 0, implemented}, {"SW11b", 2024, 0, implemented}, {"SW12", 2024, 0, implemented},
	{"SW13", 2024, 0, implemented}, {"SW14", 2024, 0, implemented}, {"SW15", 2025, 0, implemented},
	{"SW16a", 2025, 2025, notRun}, {"SW16b", 2025, 0, notRun}, {"SW16c", 2025, 2025, notRun},
	{"SW17", 2026, 0, implemented}, {"SW18", 2026, 0, implemented}, {"SW19", 2026, 0, implemented},

	{"INT01", 2023, 0, implemented}, {"INT02", 2023, 0, implemented}, {"INT03", 2023, 0, implemented}, {"INT04", 2023, 0, implemented},
	{"INT05", 2023, 0, implemented}, {"INT06", 2023, 0, implemented}, {"INT07", 2023, 0, implemented}, {"INT08", 2023, 0, implemented},
	{"INT09", 2023, 0, implemented}, {"INT11", 2023, 0, implemented}, {"INT12", 2023, 0, implemented}, {"INT13", 2023, 0, implemented},
	{"INT14", 2023, 0, implemented}, {"INT15", 2023, 0, implemented}, {"INT16", 2023, 0, implemented}, {"INT17", 2023, 0, implemented},
	{"INT18", 2023, 0, implemented}, {"INT21", 2023, 0, implemented}, {"INT31", 2023, 0, implemented}, {"INT32", 2023, 0, implemented},
	{"INT33", 2023, 0, implemented}, {"INT34", 2023, 0, implemented}, {"INT35", 2023, 0, implemented}, {"INT36", 2023, 0, implemented},
}

// TestReferenceCoverageB counts part B's coverage (referenceCoverage).
func TestReferenceCoverageB(t *testing.T) {
	referenceCoverage(t, "part B", referenceRulesB, nil)
}
