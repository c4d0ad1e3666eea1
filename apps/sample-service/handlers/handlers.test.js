// Tests of the inline handlers with the AWS SDK replaced by a recorder:
// node --test apps/sample-service/handlers/handlers.test.js (TestHandlers
// in main_test.go runs it).
const { test, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');

// The fake SDK records every call and answers Invoke with `answer`.
let calls = [];
let answer;
let assumeFails = false;
const command = (name) => class { constructor(input) { this.name = name; this.input = input; } };
const client = (service) => class {
  constructor(config) { this.assumed = Boolean(config && config.credentials); }
  async send(c) {
    calls.push({ service, command: c.name, input: c.input, assumed: this.assumed });
    if (c.name === 'AssumeRole') {
      if (assumeFails) throw new Error('AccessDenied');
      return { Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token' } };
    }
    return c.name === 'Invoke' ? answer : {};
  }
};
const sdk = {
  '@aws-sdk/client-lambda': { LambdaClient: client('lambda'), InvokeCommand: command('Invoke') },
  '@aws-sdk/client-codedeploy': { CodeDeployClient: client('codedeploy'), PutLifecycleEventHookExecutionStatusCommand: command('PutLifecycleEventHookExecutionStatus') },
  '@aws-sdk/client-sts': { STSClient: client('sts'), AssumeRoleCommand: command('AssumeRole') },
  '@aws-sdk/client-codepipeline': { CodePipelineClient: client('codepipeline'), PutJobSuccessResultCommand: command('PutJobSuccessResult'), PutJobFailureResultCommand: command('PutJobFailureResult') },
};
const load = Module._load;
Module._load = function (request, ...rest) { return sdk[request] || load.call(this, request, ...rest); };

const api = require('./api.js');
const preTraffic = require('./pre-traffic.js');
const smokeTest = require('./smoke-test.js');

const payload = (o) => new TextEncoder().encode(JSON.stringify(o));
const named = (name) => calls.filter((c) => c.command === name);
const job = (userParameters) => ({
  'CodePipeline.job': {
    id: '11111111-2222-3333-4444-555555555555',
    data: {
      actionConfiguration: { configuration: { FunctionName: 'x', UserParameters: userParameters } },
      artifactCredentials: { secretAccessKey: 'never-logged' },
    },
  },
});

beforeEach(async () => {
  calls = [];
  assumeFails = false;
  process.env.AWS_LAMBDA_FUNCTION_VERSION = '7';
  process.env.NEW_VERSION_ARN = 'arn:aws:lambda:us-east-1:222222222222:function:payments-app-api:7';
  process.env.ALIAS_ARN = 'arn:aws:lambda:us-east-1:222222222222:function:payments-app-api:live';
  process.env.JOB_RESULT_ROLE_ARN = 'arn:aws:iam::111111111111:role/relay/payments/payments-job-results';
  answer = { StatusCode: 200, Payload: payload(await api.handler({ rawPath: '/health' })) };
});

test('api answers with its version', async () => {
  const res = await api.handler({ rawPath: '/ready' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(JSON.parse(res.body), { ok: true, path: '/ready', version: '7' });
});

test('pre-traffic reports Succeeded for a healthy new version', async () => {
  assert.equal(await preTraffic.handler({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' }), 'Succeeded');
  assert.equal(named('Invoke')[0].input.FunctionName, process.env.NEW_VERSION_ARN);
  assert.deepEqual(named('PutLifecycleEventHookExecutionStatus')[0].input,
    { deploymentId: 'd-1', lifecycleEventHookExecutionId: 'h-1', status: 'Succeeded' });
});

for (const [name, bad] of [
  ['a function error', { StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorMessage: 'boom' }) }],
  ['a 500', { StatusCode: 200, Payload: payload({ statusCode: 500 }) }],
]) {
  test(`pre-traffic reports Failed on ${name}`, async () => {
    answer = bad;
    assert.equal(await preTraffic.handler({ DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'h-1' }), 'Failed');
    assert.equal(named('PutLifecycleEventHookExecutionStatus')[0].input.status, 'Failed');
  });

  test(`smoke test reports a job failure on ${name}, with the pipeline account's role`, async () => {
    answer = bad;
    await smokeTest.handler(job('{"path":"/ready"}'));
    const [failure] = named('PutJobFailureResult');
    assert.equal(failure.assumed, true);
    assert.equal(failure.input.jobId, '11111111-2222-3333-4444-555555555555');
    assert.equal(failure.input.failureDetails.type, 'JobFailed');
    assert.equal(named('PutJobSuccessResult').length, 0);
  });
}

test('smoke test assumes the job result role, invokes the alias, reports success with the version', async () => {
  await smokeTest.handler(job('{"path":"/ready"}'));
  assert.deepEqual(calls.map((c) => `${c.service}:${c.command}:${c.assumed ? 'assumed' : 'own'}`),
    ['sts:AssumeRole:own', 'lambda:Invoke:own', 'codepipeline:PutJobSuccessResult:assumed']);
  assert.equal(calls[0].input.RoleArn, process.env.JOB_RESULT_ROLE_ARN);
  assert.match(calls[0].input.RoleSessionName, /^[\w+=,.@-]{2,64}$/);
  assert.equal(calls[1].input.FunctionName, process.env.ALIAS_ARN);
  assert.equal(JSON.parse(calls[1].input.Payload).rawPath, '/ready');
  assert.deepEqual(calls[2].input, { jobId: '11111111-2222-3333-4444-555555555555', outputVariables: { version: '7' } });
});

test('smoke test checks /health without user parameters', async () => {
  await smokeTest.handler(job(undefined));
  assert.equal(JSON.parse(named('Invoke')[0].input.Payload).rawPath, '/health');
  assert.equal(named('PutJobSuccessResult').length, 1);
});

test('smoke test fails the job on user parameters that are not JSON', async () => {
  await smokeTest.handler(job('path=/health'));
  assert.equal(named('Invoke').length, 0);
  assert.equal(named('PutJobFailureResult').length, 1);
});

test('smoke test throws when it cannot assume the role (Lambda retries)', async () => {
  assumeFails = true;
  await assert.rejects(smokeTest.handler(job(undefined)), /AccessDenied/);
  assert.equal(named('Invoke').length, 0);
});

test('nothing logs the event', async () => {
  const logged = [];
  const { log, error } = console;
  console.log = (...a) => logged.push(a.join(' '));
  console.error = (...a) => logged.push(a.join(' '));
  try {
    await smokeTest.handler(job('{"path":"/ready"}'));
    answer = { StatusCode: 200, Payload: payload({ statusCode: 500 }) };
    await smokeTest.handler(job('{"path":"/ready"}'));
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.ok(logged.length > 0);
  for (const line of logged) assert.doesNotMatch(line, /never-logged|artifactCredentials/);
});
