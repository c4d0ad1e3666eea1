"""Tests of recover.py against a moto server on 127.0.0.1 (moto emulates
CloudFormation, CodePipeline and STS; it cannot make a stack fail, so the
tests set the status a failed deployment leaves). Run by recovery_test.go:
python3 -m unittest recover_test."""
import json
import os
import unittest

import boto3
from moto.cloudformation.models import cloudformation_backends
from moto.server import ThreadedMotoServer

import recover

TOOLING, TARGET, REGION = "111111111111", "222222222222", "eu-west-1"
DEPLOY = f"arn:aws:iam::{TARGET}:role/relay/p/p-staging-deploy"
EXEC = f"arn:aws:iam::{TARGET}:role/relay/p/p-staging-cfn-exec"
TEMPLATE = json.dumps({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}})


class Recover(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
        cls.server.start()
        host, port = cls.server.get_host_and_port()
        os.environ.update({"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "testing",
                           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                           "MOTO_ACCOUNT_ID": TOOLING, "PIPELINE": "p"})

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.session = boto3.session.Session()
        c = self.session.client("sts").assume_role(RoleArn=DEPLOY, RoleSessionName="test")["Credentials"]
        self.cfn = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                         aws_session_token=c["SessionToken"], region_name=REGION).client("cloudformation")

    def stack(self, name, status, role=EXEC):
        """A stack of the target account in status, created by a change set
        with role, as the pipeline's Prepare and Deploy actions do."""
        self.cfn.create_change_set(StackName=name, ChangeSetName="relay-pipeline", ChangeSetType="CREATE",
                                   TemplateBody=TEMPLATE, RoleARN=role)
        self.cfn.execute_change_set(StackName=name, ChangeSetName="relay-pipeline")
        # moto keeps the stack in the account it resolves the assumed
        # credentials to; its ID names it.
        account = self.cfn.describe_stacks(StackName=name)["Stacks"][0]["StackId"].split(":")[4]
        cloudformation_backends[account][REGION].get_stack(name).status = status

    def status(self, name):
        try:
            return self.cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        except self.cfn.exceptions.ClientError:
            return "absent"

    def test_recover(self):
        cases = [
            ("rollback-complete", "ROLLBACK_COMPLETE", EXEC, "deleted", "DELETE_COMPLETE"),
            ("created", "CREATE_COMPLETE", EXEC, "kept: CREATE_COMPLETE", "CREATE_COMPLETE"),
            ("update-rollback-failed", "UPDATE_ROLLBACK_FAILED", EXEC, "kept: UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED"),
            ("update-rollback-complete", "UPDATE_ROLLBACK_COMPLETE", EXEC, "kept: UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"),
            ("delete-failed", "DELETE_FAILED", EXEC, "kept: DELETE_FAILED", "DELETE_FAILED"),
            ("rollback-failed", "ROLLBACK_FAILED", EXEC, "kept: ROLLBACK_FAILED", "ROLLBACK_FAILED"),
            ("not-ours", "ROLLBACK_COMPLETE", f"arn:aws:iam::{TARGET}:role/someone-else", "kept: not created with " + EXEC, "ROLLBACK_COMPLETE"),
        ]
        for name, status, role, verdict, after in cases:
            with self.subTest(name):
                self.stack(name, status, role)
                self.assertEqual(recover.recover(self.cfn, name, EXEC), verdict)
                self.assertIn(self.status(name), (after, "absent") if after == "DELETE_COMPLETE" else (after,))
        self.assertEqual(recover.recover(self.cfn, "never-created", EXEC), "absent")

    def pipeline(self):
        action = lambda name, mode, extra: {
            "name": name, "region": REGION, "roleArn": DEPLOY, "runOrder": 1,
            "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "CloudFormation", "version": "1"},
            "configuration": dict({"ActionMode": mode, "StackName": "app", "ChangeSetName": "relay-pipeline"}, **extra)}
        self.session.client("iam").create_role(RoleName="p-pipeline", Path="/relay/p/", AssumeRolePolicyDocument=json.dumps({
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        cp = self.session.client("codepipeline")
        cp.create_pipeline(pipeline={"name": "p", "roleArn": f"arn:aws:iam::{TOOLING}:role/relay/p/p-pipeline",
            "artifactStore": {"type": "S3", "location": "p-artifacts"},
            "stages": [
                {"name": "Source", "actions": [{"name": "Source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
                                                "configuration": {"S3Bucket": "b", "S3ObjectKey": "k"}, "outputArtifacts": [{"name": "S"}]}]},
                {"name": "Deploy-staging", "actions": [
                    action("Prepare", "CHANGE_SET_REPLACE", {"RoleArn": EXEC, "TemplatePath": "S::t.json"}),
                    action("Deploy", "CHANGE_SET_EXECUTE", {})]}]})

    def event(self, action="Deploy", state="FAILED", pipeline="p"):
        return {"detail-type": "CodePipeline Action Execution State Change", "source": "aws.codepipeline",
                "detail": {"pipeline": pipeline, "version": 1.0, "stage": "Deploy-staging", "action": action,
                           "state": state, "region": REGION}}

    def test_handler(self):
        self.pipeline()
        self.stack("app", "ROLLBACK_COMPLETE")
        self.assertEqual(recover.handler(self.event(pipeline="other"), session=self.session), "ignored")
        self.assertEqual(recover.handler(self.event(state="SUCCEEDED"), session=self.session), "ignored")
        self.assertEqual(recover.handler(self.event(action="Unknown"), session=self.session), "ignored")
        self.assertEqual(self.status("app"), "ROLLBACK_COMPLETE")
        # The failed Deploy action names no execution role: the Prepare
        # action of the same stack does.
        self.assertEqual(recover.handler(self.event(), session=self.session), "deleted")
        self.assertIn(self.status("app"), ("DELETE_COMPLETE", "absent"))
        # The next run creates the stack again; a failure of a healthy
        # stack deletes nothing.
        self.stack("app", "UPDATE_ROLLBACK_FAILED")
        self.assertEqual(recover.handler(self.event(action="Prepare"), session=self.session), "kept: UPDATE_ROLLBACK_FAILED")
        self.assertEqual(self.status("app"), "UPDATE_ROLLBACK_FAILED")

    def test_decide(self):
        self.assertEqual(recover.decide(None, EXEC), "absent")
        self.assertEqual(recover.decide({"StackStatus": "ROLLBACK_COMPLETE", "RoleARN": EXEC}, EXEC), "deleted")
        self.assertEqual(recover.decide({"StackStatus": "ROLLBACK_COMPLETE"}, EXEC), "kept: not created with " + EXEC)
        self.assertEqual(recover.decide({"StackStatus": "ROLLBACK_IN_PROGRESS", "RoleARN": EXEC}, EXEC), "kept: ROLLBACK_IN_PROGRESS")


if __name__ == "__main__":
    unittest.main()
