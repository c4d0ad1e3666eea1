# Relay's asset publisher: publishes the file and image assets of the CDK
# asset manifests (*.assets.json) under RELAY_MANIFESTS whose destination is
# RELAY_REGION, each once (assets of several stacks and accounts with the
# same content hash share one object or tag), skipping those already
# published. Only the AWS CLI, Docker (for images) and Python 3 are used.
import glob, json, os, subprocess, sys, tempfile, zipfile
from concurrent.futures import ThreadPoolExecutor

region = os.environ["RELAY_REGION"]
bucket = os.environ["RELAY_ASSET_BUCKET"]
repository = os.environ.get("RELAY_ASSET_REPOSITORY", "")
account = os.environ["RELAY_TOOLING_ACCOUNT"]
root = os.environ["RELAY_MANIFESTS"]
workers = int(os.environ.get("RELAY_UPLOADS", "4"))

def fail(msg):
    print("relay: " + msg, file=sys.stderr)
    sys.exit(1)

# CDK's placeholders of an environment-agnostic stack (written in two
# pieces, so that CloudFormation does not read them as its own).
REGION, ACCOUNT = "${" + "AWS::Region}", "${" + "AWS::AccountId}"

def here(d):
    r = d.get("region", "")
    return r == region or REGION in r or r == ""

def sub(v):
    return v.replace(REGION, region).replace(ACCOUNT, account)

files, images = {}, {}
manifests = sorted(glob.glob(os.path.join(root, "**", "*.assets.json"), recursive=True))
if not manifests:
    fail("no asset manifest (*.assets.json) under %s in the build output: run cdk synth in the build, or set assets.manifests" % root)
for m in manifests:
    base = os.path.dirname(m)
    with open(m) as f:
        doc = json.load(f)
    for h, a in sorted(doc.get("files", {}).items()):
        for d in a.get("destinations", {}).values():
            if not here(d):
                continue
            if sub(d["bucketName"]) != bucket:
                fail("%s: file asset %s goes to bucket %s; Relay publishes to %s: synthesize the workload with assets.NewSynthesizer" % (m, h, d["bucketName"], bucket))
            if "executable" in a["source"]:
                fail("%s: file asset %s is built by a command; Relay publishes files and folders only" % (m, h))
            files.setdefault(sub(d["objectKey"]), (base, a["source"]))
    for h, a in sorted(doc.get("dockerImages", {}).items()):
        for d in a.get("destinations", {}).values():
            if not here(d):
                continue
            if not repository or sub(d["repositoryName"]) != repository:
                fail("%s: image asset %s goes to repository %s; Relay publishes images to %s (assets.images: true)" % (m, h, d["repositoryName"], repository or "no repository"))
            if "executable" in a["source"]:
                fail("%s: image asset %s is built by a command; Relay builds Dockerfiles only" % (m, h))
            images.setdefault(sub(d["imageTag"]), (base, a["source"]))

def run(*args, **kw):
    return subprocess.run(list(args), check=kw.get("check", True), capture_output=kw.get("quiet", False))

def publish_file(item):
    key, (base, src) = item
    if run("aws", "s3api", "head-object", "--bucket", bucket, "--key", key, "--region", region, check=False, quiet=True).returncode == 0:
        return "skipped"
    path = os.path.join(base, src["path"])
    if src.get("packaging") == "zip" and os.path.isdir(path):
        tmp = tempfile.NamedTemporaryFile(suffix=".zip", delete=False).name
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for d, _, names in sorted(os.walk(path)):
                for n in sorted(names):
                    full = os.path.join(d, n)
                    z.write(full, os.path.relpath(full, path))
        path = tmp
    run("aws", "s3", "cp", path, "s3://%s/%s" % (bucket, key), "--region", region, "--only-show-errors")
    return "published"

results = list(ThreadPoolExecutor(max_workers=workers).map(publish_file, sorted(files.items())))
if images:
    registry = "%s.dkr.ecr.%s.amazonaws.com" % (account, region)
    login = run("aws", "ecr", "get-login-password", "--region", region, quiet=True).stdout
    subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin", registry], input=login, check=True)
for tag, (base, src) in sorted(images.items()):
    if run("aws", "ecr", "describe-images", "--repository-name", repository, "--image-ids", "imageTag=" + tag, "--region", region, check=False, quiet=True).returncode == 0:
        results.append("skipped")
        continue
    uri = "%s.dkr.ecr.%s.amazonaws.com/%s:%s" % (account, region, repository, tag)
    cmd = ["docker", "build", "--tag", uri, os.path.join(base, src["directory"])]
    if src.get("dockerFile"):
        cmd += ["--file", os.path.join(base, src["directory"], src["dockerFile"])]
    if src.get("dockerBuildTarget"):
        cmd += ["--target", src["dockerBuildTarget"]]
    if src.get("platform"):
        cmd += ["--platform", src["platform"]]
    for k, v in sorted(src.get("dockerBuildArgs", {}).items()):
        cmd += ["--build-arg", "%s=%s" % (k, v)]
    run(*cmd)
    run("docker", "push", uri)
    results.append("published")
print("relay: %s: %d assets published, %d already there" % (region, results.count("published"), results.count("skipped")))
