// A CodePipeline Lambda invoke action, run after the deployment. The job
// belongs to the pipeline's (tooling) account, so the result is reported with
// a role there. The event carries artifact credentials: never log it.
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const {
  CodePipelineClient, PutJobSuccessResultCommand, PutJobFailureResultCommand,
} = require('@aws-sdk/client-codepipeline');

const sts = new STSClient({});
const lambda = new LambdaClient({});

exports.handler = async (event) => {
  const job = event['CodePipeline.job'];
  const jobId = job.id;
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({
    RoleArn: process.env.JOB_RESULT_ROLE_ARN,
    RoleSessionName: `smoke-test-${jobId}`.slice(0, 64),
  }));
  const pipeline = new CodePipelineClient({
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
  });
  try {
    // UserParameters is JSON such as {"path":"/health"}.
    const raw = job.data?.actionConfiguration?.configuration?.UserParameters;
    const path = (raw && JSON.parse(raw).path) || '/health';
    const res = await lambda.send(new InvokeCommand({
      FunctionName: process.env.ALIAS_ARN,
      Payload: JSON.stringify({ rawPath: path, source: 'smoke-test' }),
    }));
    const out = JSON.parse(new TextDecoder().decode(res.Payload) || '{}');
    if (res.FunctionError || out.statusCode !== 200) {
      throw new Error(`${path} answered ${res.FunctionError || out.statusCode}`);
    }
    const version = String(JSON.parse(out.body).version);
    await pipeline.send(new PutJobSuccessResultCommand({ jobId, outputVariables: { version } }));
    console.log(`job ${jobId}: ${path} healthy on version ${version}`);
  } catch (err) {
    console.error(`job ${jobId} failed:`, err.message);
    await pipeline.send(new PutJobFailureResultCommand({
      jobId,
      failureDetails: { type: 'JobFailed', message: String(err.message).slice(0, 5000) },
    }));
  }
};
