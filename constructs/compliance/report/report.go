// Package report writes a compliance report of a synthesized cloud
// assembly: each control of SOC 2 (change management, audit trail), PCI
// DSS 4.0 (access control, encryption, audit logs), HIPAA's Security Rule
// (audit controls, encryption) and ISO/IEC 27001:2022 (release governance)
// with the concrete evidence in the templates, the cdk-nag packs that ran
// and passed (from their reports in the assembly), and, when given, AWS
// Control Tower's proactive controls with their exceptions. A control
// without evidence is listed as missing, never left out.
//
// It reads the templates only (package assembly): what the templates
// cannot show, such as who holds an IAM permission outside them, is named
// as a gap rather than assumed. Relay's app writes the cdk-nag reports with
// -c nag=all; apps/relay-compliance and `make compliance-report` write the
// report.
package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/relaycdk/relay/constructs/assembly"
	"github.com/relaycdk/relay/constructs/compliance/controltower"
)

// Status is how far the templates meet a control.
type Status string

const (
	// Met: the evidence covers the control.
	Met Status = "met"
	// Partial: there is evidence, and gaps.
	Partial Status = "partial"
	// Missing: the templates hold no evidence of the control.
	Missing Status = "missing"
)

// Evidence is one fact in a template that supports a control.
type Evidence struct {
	// Stack and Resource (logical ID) locate it; Resource is empty for a
	// fact about the whole assembly.
	Stack    string `json:"stack,omitempty"`
	Resource string `json:"resource,omitempty"`
	// Fact says what it shows.
	Fact string `json:"fact"`
}

// Control is one control of a framework, with its evidence and gaps.
type Control struct {
	Framework string     `json:"framework"`
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Status    Status     `json:"status"`
	Evidence  []Evidence `json:"evidence"`
	Gaps      []string   `json:"gaps,omitempty"`
}

// PackResult is one cdk-nag pack over the assembly.
type PackResult struct {
	Pack string `json:"pack"`
	// Ran says whether the pack's report is there for every stack.
	Ran bool `json:"ran"`
	// Passed: it ran, and no finding is non-compliant or unsuppressed.
	Passed bool `json:"passed"`
	// Counts of rule results over every resource, by compliance.
	Compliant    int `json:"compliant"`
	Suppressed   int `json:"suppressed"`
	NonCompliant int `json:"nonCompliant"`
	// Suppressions are the suppressed rule IDs with their count, for the
	// reasons see the resources' cdk_nag metadata.
	Suppressions map[string]int `json:"suppressions,omitempty"`
}

// ControlTowerResult is the outcome of the Control Tower rules, when run.
type ControlTowerResult struct {
	Rules      int                      `json:"rules"`
	Violations []controltower.Violation `json:"violations"`
	// Excepted are the violations with an exception, grouped by control
	// and resource, with the reason.
	Excepted   []ExceptedViolation `json:"excepted"`
	Unexcepted int                 `json:"unexcepted"`
}

// ExceptedViolation is a violation with the reason it is accepted.
type ExceptedViolation struct {
	Control  string `json:"control"`
	Resource string `json:"resource"`
	Count    int    `json:"count"`
	Reason   string `json:"reason"`
}

// Report is the whole report.
type Report struct {
	Stacks       []string            `json:"stacks"`
	Summary      map[Status]int      `json:"summary"`
	Controls     []Control           `json:"controls"`
	Packs        []PackResult        `json:"packs"`
	ControlTower *ControlTowerResult `json:"controlTower,omitempty"`
}

// ControlTower is the input of Build about the Control Tower rules: how
// many ran and what they found (see package controltower); nil when they
// did not run.
type ControlTower struct {
	Rules      int
	Violations []controltower.Violation
}

// Build maps a's templates to the controls.
func Build(a *assembly.Assembly, ct *ControlTower) *Report {
	f := gather(a)
	// Every status is counted, zero included: a report without missing
	// controls says so rather than leaving the count out.
	r := &Report{Summary: map[Status]int{Met: 0, Partial: 0, Missing: 0}}
	for _, s := range a.Stacks {
		r.Stacks = append(r.Stacks, s.Name)
	}
	change := f.changeManagement()
	audit := f.auditTrail()
	access := f.leastPrivilege()
	keys := f.keyManagement()
	rest := f.encryptionAtRest()
	transit := f.encryptionInTransit()
	retention := f.logRetention(audit)
	separation := f.separation()
	r.Controls = []Control{
		control("SOC 2", "CC8.1", "Change management: changes are authorized, tested, approved and implemented", change),
		control("SOC 2", "CC7.2", "Audit trail: system components are monitored and events recorded", audit),
		control("PCI DSS 4.0", "7.2.1, 7.2.2", "Access control: an access-control model with least privilege", access),
		control("PCI DSS 4.0", "3.6.1, 3.7.4", "Encryption: cryptographic keys protected and rotated", keys),
		control("PCI DSS 4.0", "4.2.1", "Encryption: strong cryptography in transit", transit),
		control("PCI DSS 4.0", "10.2.1, 10.5.1", "Audit logs enabled and retained for at least 12 months", retention),
		control("HIPAA", "164.312(b)", "Audit controls", audit),
		control("HIPAA", "164.312(a)(2)(iv)", "Encryption and decryption of data at rest", rest),
		control("HIPAA", "164.312(e)(2)(ii)", "Encryption of data in transmission", transit),
		control("ISO/IEC 27001:2022", "A.8.32", "Change management (release governance)", change),
		control("ISO/IEC 27001:2022", "A.8.31", "Separation of development, test and production environments", separation),
	}
	for _, c := range r.Controls {
		r.Summary[c.Status]++
	}
	r.Packs = packs(a)
	if ct != nil {
		r.ControlTower = controlTowerResult(ct)
	}
	return r
}

// finding is what an evidence function returns: its evidence and gaps.
type finding struct {
	evidence []Evidence
	gaps     []string
}

func (fd *finding) add(r resource, format string, args ...interface{}) {
	fd.evidence = append(fd.evidence, Evidence{Stack: r.stack.Name, Resource: r.id, Fact: fmt.Sprintf(format, args...)})
}

func (fd *finding) gap(format string, args ...interface{}) {
	fd.gaps = append(fd.gaps, fmt.Sprintf(format, args...))
}

func control(framework, id, title string, fd finding) Control {
	c := Control{Framework: framework, ID: id, Title: title, Evidence: fd.evidence, Gaps: fd.gaps}
	switch {
	case len(fd.evidence) == 0:
		c.Status = Missing
		if len(c.Gaps) == 0 {
			c.Gaps = []string{"no evidence in the templates"}
		}
	case len(fd.gaps) > 0:
		c.Status = Partial
	default:
		c.Status = Met
	}
	return c
}

// JSON is the report as indented JSON.
func (r *Report) JSON() []byte {
	raw, _ := json.MarshalIndent(r, "", "  ")
	return append(raw, '\n')
}

// Packs are the cdk-nag packs the report looks for, as compliance.AllPacks
// names them (a test keeps the two equal; this package does not import
// the jsii runtime).
var Packs = []string{"AwsSolutions", "NIST.800.53.R5", "PCI.DSS.321", "HIPAA.Security"}

// packs summarizes the cdk-nag reports of each of Packs.
func packs(a *assembly.Assembly) []PackResult {
	var out []PackResult
	for _, p := range Packs {
		pr := PackResult{Pack: string(p), Ran: len(a.Stacks) > 0, Suppressions: map[string]int{}}
		errors := 0
		for _, s := range a.Stacks {
			lines, ok := s.Nag[string(p)]
			if !ok {
				pr.Ran = false
				continue
			}
			for _, ln := range lines {
				switch ln.Compliance {
				case "Compliant":
					pr.Compliant++
				case "Suppressed":
					pr.Suppressed++
					pr.Suppressions[ln.RuleID]++
				case "Non-Compliant":
					pr.NonCompliant++
				}
			}
			for _, e := range s.Errors {
				if strings.HasPrefix(e.Message, string(p)+"-") {
					errors++
				}
			}
		}
		pr.Passed = pr.Ran && pr.NonCompliant == 0 && errors == 0
		out = append(out, pr)
	}
	return out
}

func controlTowerResult(ct *ControlTower) *ControlTowerResult {
	res := &ControlTowerResult{Rules: ct.Rules, Violations: ct.Violations}
	counts := map[controltower.Exception]int{}
	for _, v := range ct.Violations {
		if e, ok := controltower.Excepted(v); ok {
			counts[e]++
		} else {
			res.Unexcepted++
		}
	}
	for _, e := range controltower.Exceptions {
		if n := counts[e]; n > 0 {
			res.Excepted = append(res.Excepted, ExceptedViolation{Control: e.Control, Resource: e.Resource, Count: n, Reason: e.Reason})
		}
	}
	sort.SliceStable(res.Excepted, func(i, j int) bool { return res.Excepted[i].Control < res.Excepted[j].Control })
	return res
}

// uniq sorts and compacts v.
func uniq(v []string) []string {
	slices.Sort(v)
	return slices.Compact(v)
}
