package config

// ApplyDefaults sets every field left at its zero value to its documented
// default: source.github.branch, every build field, deploy.stackName
// (<name>-app, left empty while name is empty), deploy.templatePath and the
// comment of every approval. Parse calls it; callers that build a Config in
// code call it before Validate.
func (c *Config) ApplyDefaults() {
	c.applyDefaults(func(string) bool { return false })
}

// applyDefaults is ApplyDefaults, except that it leaves alone the fields for
// which written(path) is true: a key written with an empty or zero value in
// the file is a mistake for Validate to report, not a request for the
// default.
func (c *Config) applyDefaults(written func(path string) bool) {
	unset := unsetFunc(func(path string, zero bool) bool { return zero && !written(path) })
	c.identityDefaults(unset)
	c.sourcesDefaults(unset)
	c.Build.buildDefaults(unset)
	c.deployDefaults(unset)
	c.suitesDefaults(unset)
	c.Pipeline.pipelineDefaults(unset)
	c.environmentDefaults(unset)
	c.stepsDefaults(unset)
	c.applyObservabilityDefaults(unset)
	c.assetsDefaults(unset)
}

// unsetFunc reports whether the field at path takes its default: its value
// is zero and the file does not write it.
type unsetFunc func(path string, zero bool) bool
