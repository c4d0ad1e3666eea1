package test

import (
	"testing"

	"github.com/relaycdk/relay/constructs/relaytest"
	"github.com/relaycdk/relay/test/scale"
)

func measure(t *testing.T, n int, org bool) scale.Figures {
	t.Helper()
	cfg, err := scale.Config(n, org)
	if err != nil {
		t.Fatalf("config with %d environments: %v", n, err)
	}
	var f scale.Figures
	relaytest.Do(t, "synthesize", func() { f = scale.Measure(cfg) })
	return f
}

// TestPoliciesStayFlat pins the property that lets Relay scale: with an
// organization, adding environments does not change the size of the key
// policy, the bucket policy or any role's policies.
func TestPoliciesStayFlat(t *testing.T) {
	small, large := measure(t, 2, true), measure(t, 25, true)
	for _, c := range []struct {
		what     string
		got, was int
	}{
		{"key policy", large.KeyPolicy, small.KeyPolicy},
		{"bucket policy", large.BucketPolicy, small.BucketPolicy},
		{"pipeline role policy", large.PipelineRole, small.PipelineRole},
		{"largest role policy", large.LargestRole, small.LargestRole},
		{"largest trust policy", large.LargestTrust, small.LargestTrust},
	} {
		if c.got != c.was {
			t.Errorf("%s: %d bytes with 25 environments, %d with 2: it must not grow with environments", c.what, c.got, c.was)
		}
	}
	if small.PipelineRole == 0 || small.KeyPolicy == 0 || small.BucketPolicy == 0 {
		t.Errorf("a policy was not found: %+v", small)
	}
}

// TestPoliciesWithoutOrganization bounds the growth when grants list
// accounts: one account principal per environment, nothing per role.
func TestPoliciesWithoutOrganization(t *testing.T) {
	small, large := measure(t, 2, false), measure(t, 12, false)
	perEnv := func(a, b int) int { return (b - a) / 10 }
	for _, c := range []struct {
		what     string
		grew, at int
	}{
		{"key policy", perEnv(small.KeyPolicy, large.KeyPolicy), 40},
		{"bucket policy", perEnv(small.BucketPolicy, large.BucketPolicy), 40},
		{"pipeline role policy", perEnv(small.PipelineRole, large.PipelineRole), 0},
	} {
		if c.grew > c.at {
			t.Errorf("%s grows %d bytes per environment, want at most %d", c.what, c.grew, c.at)
		}
	}
}
