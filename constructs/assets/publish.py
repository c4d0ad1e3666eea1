# Relay's asset publisher: publishes the file and image assets of the CDK
# asset manifests (*.assets.json) under RELAY_MANIFESTS whose destination is
# RELAY_REGION, each once (assets of several stacks and accounts with the
# same content hash share one object or tag), skipping those already
# published. Only the AWS CLI, Docker (for images) and Python 3 are used.
#
# An object key is the content hash the manifest claims, and the build
# output writes the manifest, so an earlier execution could have published
# other content under the key of a later release. A file asset is therefore
# skipped only when the object in the bucket holds the same content (its
# relay-content metadata, which this step writes, or for an object without
# it its bytes or zip entries); an object with other content is never
# replaced, since a deployment waiting in another execution may read it:
# the step fails by name. Every source path must be inside the build output
# (RELAY_OUTPUT, default RELAY_MANIFESTS).
import glob, hashlib, json, os, subprocess, sys, tempfile, zipfile
from concurrent.futures import ThreadPoolExecutor

region = os.environ["RELAY_REGION"]
bucket = os.environ["RELAY_ASSET_BUCKET"]
repository = os.environ.get("RELAY_ASSET_REPOSITORY", "")
account = os.environ["RELAY_TOOLING_ACCOUNT"]
root = os.environ["RELAY_MANIFESTS"]
workers = int(os.environ.get("RELAY_UPLOADS", "4"))

# The registry's domain: amazonaws.com.cn in the China regions
# (https://docs.amazonaws.cn/general/latest/gr/ecr.html), amazonaws.com in
# the other partitions Relay knows (aws, aws-us-gov).
suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
registry = "%s.dkr.ecr.%s.%s" % (account, region, suffix)

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

top = os.path.realpath(os.environ.get("RELAY_OUTPUT", root))

def within(path):
    full = os.path.realpath(path)
    return full == top or full.startswith(top + os.sep)

def source(m, what, base, rel):
    # The path of an asset's source, relative to its manifest's folder
    # (a nested assembly's manifests name ../asset.<hash>): it must stay
    # inside the build output, symbolic links resolved, or a manifest could
    # publish any file of this container into a bucket every reader reads.
    path = os.path.join(base, rel)
    if os.path.isabs(rel) or not within(path):
        fail("%s: %s: %s is outside the build output %s: an asset's source must be where cdk synth writes it" % (m, what, rel, top))
    return path

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
            path = source(m, "file asset %s" % h, base, a["source"]["path"])
            key = sub(d["objectKey"])
            if key == "" or key.endswith("/"):
                # aws s3 cp reads a destination that ends in / as a folder
                # and appends the file's own name, so the upload would land
                # on a key this step never looked at.
                fail("%s: file asset %s: object key %r names no object (aws s3 cp would upload the file under %s<its file name>, a key whose content this step does not check): synthesize the workload with assets.NewSynthesizer, whose keys are <content hash>.<extension>" % (m, h, key, key))
            files.setdefault(key, (m, h, path, a["source"].get("packaging")))
    for h, a in sorted(doc.get("dockerImages", {}).items()):
        for d in a.get("destinations", {}).values():
            if not here(d):
                continue
            if not repository or sub(d["repositoryName"]) != repository:
                fail("%s: image asset %s goes to repository %s; Relay publishes images to %s (assets.images: true)" % (m, h, d["repositoryName"], repository or "no repository"))
            if "executable" in a["source"]:
                fail("%s: image asset %s is built by a command; Relay builds Dockerfiles only" % (m, h))
            src = dict(a["source"])
            src["directory"] = source(m, "image asset %s" % h, base, src["directory"])
            if src.get("dockerFile"):
                src["dockerFile"] = source(m, "image asset %s" % h, src["directory"], src["dockerFile"])
            images.setdefault(sub(d["imageTag"]), src)

def run(*args, **kw):
    return subprocess.run(list(args), check=kw.get("check", True), capture_output=kw.get("quiet", False))

def sha256(data):
    return hashlib.sha256(data).hexdigest()

def entries_digest(entries):
    # The digest of a folder's content: its files' relative paths and
    # contents, whatever zip (timestamps, order, compression) holds them.
    return sha256("".join("%s\0%s\n" % e for e in sorted(entries)).encode())

def folder_files(path):
    out = []
    for d, _, names in sorted(os.walk(path)):
        for n in sorted(names):
            full = os.path.join(d, n)
            if not within(full):
                fail("%s: %s links outside the build output %s: an asset's files must be where cdk synth writes them" % (path, os.path.relpath(full, path), top))
            out.append((os.path.relpath(full, path), full))
    return out

def content_digest(path, zipped):
    # What a published object must hold: for a zipped folder, its files;
    # otherwise the file's bytes.
    if zipped:
        entries = []
        for rel, full in folder_files(path):
            with open(full, "rb") as f:
                entries.append((rel, sha256(f.read())))
        return entries_digest(entries)
    with open(path, "rb") as f:
        return sha256(f.read())

def object_digest(key, zipped):
    # The content digest of the object already at key: its relay-content
    # metadata, or (an object this step did not write) from its bytes;
    # None when there is no object.
    r = run("aws", "s3api", "head-object", "--bucket", bucket, "--key", key, "--region", region,
            "--query", 'Metadata."relay-content"', "--output", "text", check=False, quiet=True)
    if r.returncode != 0:
        return None
    stored = r.stdout.decode().strip()
    if stored and stored != "None":
        return stored
    tmp = tempfile.NamedTemporaryFile(delete=False).name
    run("aws", "s3api", "get-object", "--bucket", bucket, "--key", key, "--region", region, tmp, quiet=True)
    if zipped:
        try:
            with zipfile.ZipFile(tmp) as z:
                return entries_digest([(i.filename, sha256(z.read(i))) for i in z.infolist() if not i.is_dir()])
        except zipfile.BadZipFile:
            return "not a zip"
    with open(tmp, "rb") as f:
        return sha256(f.read())

def publish_file(item):
    key, (m, h, path, packaging) = item
    zipped = packaging == "zip" and os.path.isdir(path)
    want = content_digest(path, zipped)
    have = object_digest(key, zipped)
    if have == want:
        return "skipped"
    if have is not None:
        fail("%s: file asset %s: s3://%s/%s already holds other content than the build output's %s: Relay never replaces a published asset (a deployment waiting in another execution may read it); find who wrote it in the bucket's object versions and access logs, and delete it if it is not a release's" % (m, h, bucket, key, os.path.relpath(path, top)))
    if zipped:
        tmp = tempfile.NamedTemporaryFile(suffix=".zip", delete=False).name
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for rel, full in folder_files(path):
                z.write(full, rel)
        path = tmp
    run("aws", "s3", "cp", path, "s3://%s/%s" % (bucket, key), "--region", region, "--metadata", "relay-content=" + want, "--only-show-errors")
    return "published"

results = list(ThreadPoolExecutor(max_workers=workers).map(publish_file, sorted(files.items())))
if images:
    login = run("aws", "ecr", "get-login-password", "--region", region, quiet=True).stdout
    subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin", registry], input=login, check=True)
for tag, src in sorted(images.items()):
    if run("aws", "ecr", "describe-images", "--repository-name", repository, "--image-ids", "imageTag=" + tag, "--region", region, check=False, quiet=True).returncode == 0:
        results.append("skipped")
        continue
    uri = "%s/%s:%s" % (registry, repository, tag)
    cmd = ["docker", "build", "--tag", uri, src["directory"]]
    if src.get("dockerFile"):
        cmd += ["--file", src["dockerFile"]]
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
