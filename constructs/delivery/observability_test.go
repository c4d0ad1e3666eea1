package delivery_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/observe"
)

func TestEnvironmentStages(t *testing.T) {
	cfg, err := config.Load("../../examples/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// prod-us and prod-eu share the wave "production"; members deploys by
	// StackSet in a stage of its own.
	want := []observe.Environment{
		{Name: "staging", Stages: []string{"Deploy-staging"}},
		{Name: "canary", Stages: []string{"Deploy-canary"}},
		{Name: "prod-us", Stages: []string{"Deploy-production"}},
		{Name: "prod-eu", Stages: []string{"Deploy-production"}},
		{Name: "members", Stages: []string{"Deploy-members"}},
	}
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, delivery.EnvironmentStages(spec.Plan)); diff != "" {
		t.Errorf("EnvironmentStages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"storefront-build", "storefront-test-unit", "storefront-test-contract", "storefront-test-e2e",
		"storefront-scan-deps", "storefront-scan-sast", "storefront-scan-iac", "storefront-scan-secrets"}, delivery.BuildProjects(cfg)); diff != "" {
		t.Errorf("BuildProjects (-want +got):\n%s", diff)
	}
}

func TestObservabilityProps(t *testing.T) {
	cfg, err := config.Parse("example.yaml", config.Example())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Observability, cfg.Audit = nil, nil
	if spec, err := delivery.Translate(cfg); err != nil || spec.Observe != nil || spec.Audit != nil {
		t.Fatalf("props without observability or audit (%v)", err)
	}
	cfg.Observability = &config.Observability{Notifications: &config.Notifications{Emails: []string{"ops@example.com"}}}
	cfg.Audit = &config.Audit{}
	cfg.ExtraSources = []config.ExtraSource{{Name: "settings", Source: config.Source{S3: &config.S3Source{Bucket: "acme-settings", Key: "s.zip", Versioned: true}}}}
	cfg.ApplyDefaults()
	spec, err := delivery.Translate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := spec.Observe
	if p.Prefix != "payments" || p.LogGroupName != "/relay/payments/events" || p.KeyAlias != "alias/relay/payments/alerts" ||
		p.RolePath != "/relay/payments/" || !cmp.Equal(p.Notifications.Events, []observe.Event{"failed", "approval-waiting", "stopped"}) {
		t.Errorf("ObserveProps = %+v", p)
	}
	a := spec.Audit
	if diff := cmp.Diff([]string{"payments-artifacts-111111111111-us-east-1", "acme-settings"}, a.DataEventBuckets); diff != "" {
		t.Errorf("trail buckets: the artifact bucket and the S3 source (-want +got):\n%s", diff)
	}
	if a.TrailName != "payments-audit" || a.BucketName != "payments-audit-111111111111-us-east-1" {
		t.Errorf("AuditProps = %+v", a)
	}
	cfg.Audit = &config.Audit{OrganizationTrail: "org-trail"}
	if delivery.AuditProps(cfg) != nil {
		t.Error("a trail is created although an organization trail is named")
	}
}
