// CodeDeploy's BeforeAllowTraffic hook: invokes the new version before any
// traffic reaches it, then reports Succeeded or Failed. Failed makes
// CodeDeploy roll the deployment back.
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');

const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});

exports.handler = async (event) => {
  const target = process.env.NEW_VERSION_ARN;
  let status = 'Succeeded';
  try {
    const res = await lambda.send(new InvokeCommand({
      FunctionName: target,
      Payload: JSON.stringify({ rawPath: '/health', source: 'pre-traffic' }),
    }));
    const out = JSON.parse(new TextDecoder().decode(res.Payload) || '{}');
    if (res.FunctionError || out.statusCode !== 200) {
      throw new Error(`${target} answered ${res.FunctionError || out.statusCode}`);
    }
    console.log('healthy:', target);
  } catch (err) {
    console.error('pre-traffic check failed:', err.message);
    status = 'Failed';
  }
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  }));
  return status;
};
