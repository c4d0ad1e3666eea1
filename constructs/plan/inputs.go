package plan

import (
	"errors"
	"fmt"
)

// checkInputs refuses an action that cannot read what a source action
// writes into its input artifact, which depends on the source's kind:
//   - a connection source with FullClone writes a clone reference
//     (OutputArtifactFormat CODEBUILD_CLONE_REF), which only a CodeBuild
//     action can read ("only CodeBuild downstream actions": CodePipeline
//     User Guide, CodeStarSourceConnection action reference);
//   - an ECR source writes only imageDetail.json (ECR action reference),
//     so an action that reads a buildspec, a template, go.mod or files to
//     scan from its primary input finds none of them there.
//
// Either would fail, or scan nothing, on every execution.
func (pl *Pipeline) checkInputs() error {
	in := &pl.Input
	type source struct {
		field string
		src   Source
	}
	sources := map[string]source{}
	var errs []error
	for _, st := range pl.Stages {
		for _, a := range st.Actions {
			if k, ok := a.Kind.(*SourceAction); ok {
				field := "Source"
				if k.Extra >= 0 {
					field = fmt.Sprintf("ExtraSources[%d].Source", k.Extra)
				}
				for _, o := range a.Outputs {
					sources[o] = source{field, k.Source}
				}
				continue
			}
			reader := fmt.Sprintf("%s (%s action %s in stage %s)", a.Field, a.Kind.Type().Provider, a.Name, st.Name)
			for i, artifact := range a.Inputs {
				s, ok := sources[artifact]
				if !ok {
					continue
				}
				switch x := s.src.(type) {
				case *ConnectionSource:
					if x.FullClone && a.Kind.Type().Provider != "CodeBuild" {
						errs = append(errs, fmt.Errorf("%s: true: the source then writes a clone reference that only CodeBuild reads, and %s reads it: turn fullClone off, or add a build and deploy its output",
							in.name(s.field+".FullClone"), reader))
					}
				case *ECRSource:
					if what := readsFromPrimary(a.Kind); i == 0 && what != "" {
						errs = append(errs, fmt.Errorf("%s %q: an ECR source writes only imageDetail.json (the image's URI, tag and digest), and %s %s: make the repository with those files the source and the image an extra source (it starts the pipeline too; its variables are #{%s_<name>.ImageDigest} and the like)",
							in.name(s.field), x.Repository+":"+x.Tag, reader, what, SourceVariables))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// readsFromPrimary says what an action of kind k reads from the files of
// its primary input, or "" when it reads none that an ECR source's
// imageDetail.json lacks (suites of one's own commands may read that file).
func readsFromPrimary(k Kind) string {
	switch x := k.(type) {
	case *BuildAction:
		return "reads its buildspec from it"
	case *RunStep:
		return "reads its buildspec from it"
	case *UpdatePipeline:
		return "reads go.mod and the configuration file from it"
	case *PublishAssets:
		return "reads the asset manifests from it"
	case *SuiteAction:
		if x.Suite.Preset != "" {
			return "scans the files of its input (preset " + x.Suite.Preset + "), and would find none"
		}
		return ""
	case *GitOpsStep, *InvokeLambda, *ApprovalAction, *StepApproval:
		return ""
	}
	return "reads the files it deploys from it"
}
