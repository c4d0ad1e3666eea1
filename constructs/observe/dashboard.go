package observe

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/internal/values"
)

// newDashboard creates the dashboard <Prefix>-pipeline: executions,
// builds, deployments, approvals, failures and the alarms.
func (o *Observer) newDashboard() {
	p := o.props
	hour := awscdk.Duration_Hours(jsii.Number(1))
	o.dashboard = awscloudwatch.NewDashboard(o.Construct, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DashboardName:   jsii.String(o.name("pipeline")),
		DefaultInterval: awscdk.Duration_Days(jsii.Number(7)),
	})
	o.dashboard.AddWidgets(awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
		Markdown: jsii.String(o.dashboardText()),
		Width:    jsii.Number(24),
		Height:   jsii.Number(float64(4 + min(len(p.Environments), maxListedEnvironments+1))),
	}))

	var executions []awscloudwatch.IMetric
	for _, m := range ExecutionMetrics {
		executions = append(executions, o.ExecutionMetric(m.Name, hour))
	}
	o.dashboard.AddWidgets(
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("Executions per hour (Relay metric filters on the pipeline's events)"),
			Left:  &executions, Width: jsii.Number(8), Height: jsii.Number(6),
			Stacked: jsii.Bool(false),
		}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("Build duration, seconds (AWS/CodeBuild Duration, average)"),
			Left:  o.buildMetrics("Duration", "Average", hour), Width: jsii.Number(8), Height: jsii.Number(6),
		}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("Failed builds per hour (AWS/CodeBuild FailedBuilds)"),
			Left:  o.buildMetrics("FailedBuilds", "Sum", hour), Width: jsii.Number(8), Height: jsii.Number(6),
		}),
	)
	o.dashboard.AddWidgets(
		o.logWidget("Deployment duration per environment stage, minutes (Logs Insights; approvals excluded)", DeploymentDurationQuery(p.PipelineName, o.deployStages()), 12),
		o.logWidget("Execution duration, minutes (Logs Insights)", ExecutionDurationQuery(p.PipelineName), 12),
	)
	o.dashboard.AddWidgets(
		o.logWidget("Approvals waiting, oldest first (requested = since when)", ApprovalsWaitingQuery(p.PipelineName), 12),
		o.logWidget("Approval wait of decided approvals, minutes", ApprovalWaitQuery(p.PipelineName), 12),
	)
	alarms := make([]interfacesawscloudwatch.IAlarmRef, len(o.alarms))
	for i, a := range o.alarms {
		alarms[i] = a
	}
	o.dashboard.AddWidgets(
		o.logWidget("Latest failed actions", FailuresQuery(p.PipelineName), 16),
		awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
			Title: jsii.String("Alarms"), Alarms: &alarms, Width: jsii.Number(8), Height: jsii.Number(6),
		}),
	)
}

// buildMetrics are the AWS/CodeBuild metric name, per build project.
// Source: CodeBuildMetricsDoc.
func (o *Observer) buildMetrics(name, statistic string, period awscdk.Duration) *[]awscloudwatch.IMetric {
	var out []awscloudwatch.IMetric
	for _, project := range o.props.BuildProjects {
		out = append(out, awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace:     jsii.String("AWS/CodeBuild"),
			MetricName:    jsii.String(name),
			DimensionsMap: &map[string]*string{"ProjectName": jsii.String(project)},
			Statistic:     jsii.String(statistic),
			Period:        period,
			Label:         jsii.String(project),
		}))
	}
	return &out
}

// logWidget is a Logs Insights table over the events log group.
func (o *Observer) logWidget(title, query string, width float64) awscloudwatch.LogQueryWidget {
	return awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
		Title:         jsii.String(title),
		LogGroupNames: jsii.Strings(o.props.LogGroupName),
		QueryString:   jsii.String(query),
		View:          awscloudwatch.LogQueryVisualizationType_TABLE,
		Width:         jsii.Number(width),
		Height:        jsii.Number(6),
	})
}

// deployStages are the stages of every environment, sorted.
func (o *Observer) deployStages() []string {
	var out []string
	for _, e := range o.props.Environments {
		out = append(out, e.Stages...)
	}
	if len(out) == 0 {
		return []string{""}
	}
	return values.SortedUnique(out)
}

// maxListedEnvironments bounds the header's table, which a fleet of
// hundreds of environments would make taller than a dashboard allows.
const maxListedEnvironments = 40

// dashboardText is the header: where the numbers come from, and which
// stages deploy which environment.
func (o *Observer) dashboardText() string {
	p := o.props
	var b strings.Builder
	fmt.Fprintf(&b, "# Pipeline %s\n", p.PipelineName)
	fmt.Fprintf(&b, "[Executions](%s) · events in log group `%s`. Execution counts come from Relay's metric filters (namespace `%s`), build metrics from [CodeBuild](%s), durations and approvals from Logs Insights over the pipeline's events.\n",
		o.historyURL(), p.LogGroupName, RelayNamespace, CodeBuildMetricsDoc)
	if len(p.Environments) > 0 {
		b.WriteString("\n| Environment | Deploy stages |\n|---|---|\n")
		for i, e := range p.Environments {
			if i == maxListedEnvironments {
				fmt.Fprintf(&b, "| … and %d more | |\n", len(p.Environments)-i)
				break
			}
			fmt.Fprintf(&b, "| %s | %s |\n", mdCell(e.Name), mdCell(strings.Join(e.Stages, ", ")))
		}
	}
	return b.String()
}

// mdCell renders s as one cell of a Markdown table: a | would end the cell
// and a line break the row.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
