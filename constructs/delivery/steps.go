package delivery

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/naming"
	"github.com/relaycdk/relay/constructs/pipeline"
	"github.com/relaycdk/relay/constructs/target"
)

// The steps of each environment: top-level steps (every environment that
// deploys) and the environment's own, as pipeline steps with deterministic
// project, role and namespace names, and their step roles in the target
// account.

// steps are environment i's steps as it receives them in region (""
// when they run once), recording the config paths of their fields under
// goPath (Deployments[i].Steps or a Regional's).
func (t *translator) steps(i int, region, goPath string) []pipeline.Step {
	env := t.cfg.Environments[i]
	list, paths := t.stepLists[i][region], t.stepPaths[i]
	// The list is the top-level steps, the environment's, or both: a
	// message about all of them (a stage that overflows) names those.
	var lists []string
	for k := range list {
		if k < len(paths) {
			if j := strings.LastIndex(paths[k], "["); j > 0 && !slices.Contains(lists, paths[k][:j]) {
				lists = append(lists, paths[k][:j])
			}
		}
	}
	if len(lists) > 0 {
		t.path(goPath, strings.Join(lists, ", "))
	}
	var out []pipeline.Step
	for k, s := range list {
		sp, cp := fmt.Sprintf("%s[%d]", goPath, k), paths[k]
		t.path(sp, cp)
		ps := pipeline.Step{Name: s.Name, Before: s.When == "before", DependsOn: s.DependsOn}
		switch {
		case s.CodeBuild != nil:
			ps.Action = t.codeBuildStep(sp+".Action", cp, env, s)
		case s.Lambda != nil:
			ps.Action = &pipeline.LambdaInvoke{Function: s.Lambda.Function, UserParameters: s.Lambda.UserParameters}
			t.path(sp+".Action", cp+".lambda")
		case s.StepFunctions != nil:
			x := s.StepFunctions
			ps.Action = &pipeline.StepFunctionsInvoke{StateMachine: x.StateMachine, Input: x.Input, InputFile: x.InputFile, ExecutionNamePrefix: x.ExecutionNamePrefix}
			t.path(sp+".Action", cp+".stepFunctions")
		case s.Approval != nil:
			ps.Action = &pipeline.ApprovalStep{Comment: s.Approval.Comment, ReviewURL: s.Approval.ReviewURL, TimeoutMinutes: s.Approval.TimeoutMinutes}
			t.path(sp+".Action", cp+".approval")
		}
		out = append(out, ps)
	}
	return out
}

// topLevel reports whether the step written at cfgPath is a top-level step
// (of every environment).
func topLevel(cfgPath string) bool { return strings.HasPrefix(cfgPath, "steps[") }

// stepProject is the CodeBuild project (and project role) of step s of
// environment env, top when s is a top-level step. The environments share
// a top-level step's project, <name>-step-<step>, unless the step has a
// role: then each environment has its own, <name>-<env>-step-<step>, as
// for its own steps, whose role may assume that environment's step role
// only. With one project for all, the run of an earlier environment (dev,
// before production's approval) could assume production's step role, since
// production's trust names the same project role.
func stepProject(n naming.Names, env string, s config.Step, top bool) string {
	if top && (s.CodeBuild == nil || s.CodeBuild.Role == nil) {
		return n.StepProject("", s.Name)
	}
	return n.StepProject(env, s.Name)
}

// codeBuildStep is step s (written at cfgPath) of env as a CodeBuild step.
func (t *translator) codeBuildStep(goPath, cfgPath string, env config.Environment, s config.Step) *pipeline.CodeBuildStep {
	n, x := t.n, s.CodeBuild
	project := stepProject(n, env.Name, s, topLevel(cfgPath))
	cb := &pipeline.CodeBuildStep{
		ProjectName: project, Buildspec: x.Buildspec, Inputs: x.Inputs, Output: x.Output,
		ComputeType: x.ComputeType, TimeoutMinutes: x.TimeoutMinutes, Privileged: x.Privileged,
	}
	for _, name := range slices.Sorted(maps.Keys(x.EnvironmentVariables)) {
		v := x.EnvironmentVariables[name]
		switch {
		case v.Output != "":
			if cb.StackOutputs == nil {
				cb.StackOutputs = map[string]string{}
			}
			cb.StackOutputs[name] = v.Output
		case v.Parameter != "":
			if cb.ProjectVariables == nil {
				cb.ProjectVariables = map[string]pipeline.BuildVariable{}
			}
			cb.ProjectVariables[name] = pipeline.Parameter(v.Parameter)
		case v.Secret != "":
			if cb.ProjectVariables == nil {
				cb.ProjectVariables = map[string]pipeline.BuildVariable{}
			}
			cb.ProjectVariables[name] = pipeline.Secret(v.Secret)
		default:
			if cb.EnvironmentVariables == nil {
				cb.EnvironmentVariables = map[string]string{}
			}
			cb.EnvironmentVariables[name] = v.Value
		}
	}
	if x.Role != nil {
		cb.RoleName = project
		if env.Account != "" {
			cb.AssumeRoleArn = n.StepRoleArn(env.Account, env.Name, s.Name)
		}
	}
	t.path(goPath, cfgPath+".codeBuild")
	t.path(goPath+".ProjectName", cfgPath+".name")
	t.path(goPath+".StackOutputs", cfgPath+".codeBuild.environmentVariables")
	t.path(goPath+".ProjectVariables", cfgPath+".codeBuild.environmentVariables")
	t.path(goPath+".AssumeRoleArn", cfgPath+".codeBuild.role")
	t.path(goPath+".AssumeRolePattern", cfgPath+".codeBuild.role")
	t.path(goPath+".RoleName", cfgPath+".codeBuild.role")
	return cb
}

// stepRoles are the step roles of account environment i: one per step
// with a role, trusted by its project's role, with the statements it
// receives in each region. Only resources expand per region
// (config.Expands), so statement j of every region is one statement whose
// resources are each region's, once: one Sid, as IAM requires.
func (t *translator) stepRoles(i int) []target.StepRole {
	env, n := t.cfg.Environments[i], t.n
	var out []target.StepRole
	for k, path := range t.stepPaths[i] {
		var name, project string
		var sts []target.Statement
		for _, r := range env.Regions {
			s := t.stepLists[i][r][k]
			if s.CodeBuild == nil || s.CodeBuild.Role == nil {
				continue
			}
			name = s.Name
			project = stepProject(n, env.Name, s, topLevel(path))
			regional := statements(s.CodeBuild.Role.Statements)
			if sts == nil {
				for _, st := range regional {
					st.Resources = slices.Clone(st.Resources)
					sts = append(sts, st)
				}
				continue
			}
			for j, st := range regional {
				for _, res := range st.Resources {
					if !slices.Contains(sts[j].Resources, res) {
						sts[j].Resources = append(sts[j].Resources, res)
					}
				}
			}
		}
		if name != "" {
			out = append(out, target.StepRole{Name: n.StepRole(env.Name, name), TrustedRoleArn: n.StepProjectRoleArn(project), Statements: sts})
		}
	}
	return out
}

// StepProjects are the names of the CodeBuild projects of cfg's steps,
// each once.
func StepProjects(cfg *config.Config) []string {
	n := Names(cfg)
	var out []string
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for k, s := range cfg.Steps {
		if s.CodeBuild == nil {
			continue
		}
		// One project, or one per environment that runs the step.
		for i, e := range cfg.Environments {
			if _, paths := cfg.StepsOf(i); slices.Contains(paths, fmt.Sprintf("steps[%d]", k)) {
				add(stepProject(n, e.Name, s, true))
			}
		}
	}
	for _, e := range cfg.Environments {
		for _, s := range e.Steps {
			if s.CodeBuild != nil {
				add(n.StepProject(e.Name, s.Name))
			}
		}
	}
	return out
}
