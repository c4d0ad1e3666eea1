"""Relay: delete a stack that a failed first deployment left in
ROLLBACK_COMPLETE, so that the pipeline's next run creates it again.

EventBridge invokes this for each failed CloudFormation action of one
pipeline. It reads the action from the pipeline's definition, assumes the
action's deploy role and deletes the action's stack only when the stack is
in ROLLBACK_COMPLETE and was created with the pipeline's execution role.
Any other state (UPDATE_ROLLBACK_FAILED, DELETE_FAILED...) is left alone."""
import json
import os

import boto3


def decide(stack, role):
    """What to do with a stack (a DescribeStacks entry, or None)."""
    if stack is None:
        return "absent"
    if stack["StackStatus"] != "ROLLBACK_COMPLETE":
        return "kept: " + stack["StackStatus"]
    if stack.get("RoleARN") != role:
        return "kept: not created with " + role
    return "deleted"


def recover(cfn, name, role):
    """Deletes stack name if decide says so; returns the verdict."""
    try:
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
    except cfn.exceptions.ClientError as e:
        if "does not exist" not in str(e):
            raise
        stacks = []
    verdict = decide(stacks[0] if stacks else None, role)
    if verdict == "deleted":
        cfn.delete_stack(StackName=stacks[0]["StackId"], RoleARN=role)
    return verdict


def stack_action(pipeline, stage, action):
    """The failed action and the execution role of its stack's change set
    (the Prepare action in the same stage names it), or (None, None)."""
    for s in pipeline["stages"]:
        if s["name"] != stage:
            continue
        acts = s["actions"]
        a = next((x for x in acts if x["name"] == action), None)
        if a is None or a["actionTypeId"]["provider"] != "CloudFormation":
            return None, None
        c = a.get("configuration", {})
        for x in [a] + acts:
            xc = x.get("configuration", {})
            if (xc.get("StackName") == c.get("StackName") and x.get("roleArn") == a.get("roleArn")
                    and x.get("region") == a.get("region") and xc.get("RoleArn")):
                return a, xc["RoleArn"]
        return a, None
    return None, None


def handler(event, context=None, session=None):
    session = session or boto3.session.Session()
    d = event.get("detail", {})
    if d.get("pipeline") != os.environ["PIPELINE"] or d.get("state") != "FAILED":
        return "ignored"
    cp = session.client("codepipeline")
    p = cp.get_pipeline(name=d["pipeline"], version=int(float(d["version"])))["pipeline"]
    a, role = stack_action(p, d["stage"], d["action"])
    if a is None or not a.get("roleArn") or not role:
        return "ignored"
    region = a.get("region") or d.get("region")
    c = session.client("sts").assume_role(RoleArn=a["roleArn"], RoleSessionName="relay-recovery")["Credentials"]
    cfn = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                aws_session_token=c["SessionToken"], region_name=region).client("cloudformation")
    verdict = recover(cfn, a["configuration"]["StackName"], role)
    print(json.dumps({"stage": d["stage"], "action": d["action"], "region": region,
                      "stack": a["configuration"]["StackName"], "verdict": verdict}))
    return verdict
