/**
 * Run by the Qdrant backup CronJob in the cloud CLI image of the platform's object storage (python 3.9+
 * standard library plus `aws` or `az`; both images carry a python3, see lib/components/qdrant-backup.ts).
 *
 * `backup`: for every peer of the spec and every collection that peer reports, create a snapshot on that
 * peer (a collection snapshot holds only the peer's local shards), download it (sha256 checked against
 * Qdrant's checksum), delete it on the peer, upload it to `<prefix><peer>/<collection>/<UTC stamp>.snapshot`
 * and delete the local copy. Only when every snapshot of the run is stored does it prune: objects whose key
 * stamp is older than the retention, never the newest of a peer/collection, never a key it did not write.
 *
 * `restore <stamp|latest> [collection ...]`: for every peer of the spec, download that peer's snapshots of
 * the run (`latest`: the newest stamp under the prefix) and upload-recover each into the same peer with
 * `priority=snapshot`, one file at a time.
 *
 * The object storage is reached only through the cloud CLI with the pod's workload identity (no keys):
 * S3 with the bucket's default encryption (the storage CMK; no `--sse` flag, which would pick the
 * AWS-managed key), Blob with `--auth-mode login` after a federated-token login.
 */
export const QDRANT_BACKUP_SCRIPT = String.raw`import datetime, hashlib, json, os, re, subprocess, sys, urllib.error, urllib.parse, urllib.request

KEY = os.environ["QDRANT_API_KEY"]
KIND = os.environ["OBJECT_STORAGE_KIND"]
BUCKET = os.environ["OBJECT_STORAGE_BUCKET"]
ENDPOINT = os.environ["OBJECT_STORAGE_ENDPOINT"]
WORK = os.environ.get("WORK_DIR", "/work")
STAMP = "%Y%m%dT%H%M%SZ"
CHUNK = 8 * 1024 * 1024


def log(message):
    print(message, flush=True)


def qdrant(method, url, body=None, headers=None, stream_to=None, timeout=3600):
    """One Qdrant REST call; JSON result, or the response body streamed into a file."""
    request = urllib.request.Request(url, data=body, method=method, headers={"api-key": KEY, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if stream_to is None:
                return json.load(response)["result"]
            digest = hashlib.sha256()
            with open(stream_to, "wb") as fh:
                for chunk in iter(lambda: response.read(CHUNK), b""):
                    fh.write(chunk)
                    digest.update(chunk)
            return digest.hexdigest()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {url}: HTTP {error.code}: {error.read()[:500]!r}") from None


def cli(*args):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} {args[1]} {args[2]}: exit {result.returncode}: {result.stderr.strip()[-1000:]}")
    return result.stdout


class S3:
    """aws CLI; credentials from the default chain (EKS Pod Identity), region explicit."""

    def put(self, path, key):
        cli("aws", "s3", "cp", "--only-show-errors", "--region", ENDPOINT, path, f"s3://{BUCKET}/{key}")

    def get(self, key, path):
        cli("aws", "s3", "cp", "--only-show-errors", "--region", ENDPOINT, f"s3://{BUCKET}/{key}", path)

    def list(self, prefix):
        out = cli("aws", "s3api", "list-objects-v2", "--region", ENDPOINT, "--bucket", BUCKET, "--prefix", prefix, "--query", "Contents[].Key", "--output", "json")
        return json.loads(out or "null") or []

    def delete(self, key):
        cli("aws", "s3api", "delete-object", "--region", ENDPOINT, "--bucket", BUCKET, "--key", key)


class Blob:
    """az CLI; logs in with the projected federated token (Azure workload identity) before each call, so a
    run longer than the token's lifetime still authenticates."""

    def login(self):
        with open(os.environ["AZURE_FEDERATED_TOKEN_FILE"]) as fh:
            token = fh.read().strip()
        cli("az", "login", "--service-principal", "--username", os.environ["AZURE_CLIENT_ID"], "--tenant", os.environ["AZURE_TENANT_ID"],
            "--federated-token", token, "--allow-no-subscriptions", "--output", "none")

    def az(self, *args):
        self.login()
        return cli("az", "storage", "blob", *args, "--auth-mode", "login", "--blob-endpoint", ENDPOINT, "--container-name", BUCKET)

    def put(self, path, key):
        self.az("upload", "--name", key, "--file", path, "--overwrite", "false", "--output", "none")

    def get(self, key, path):
        self.az("download", "--name", key, "--file", path, "--output", "none")

    def list(self, prefix):
        return json.loads(self.az("list", "--prefix", prefix, "--num-results", "*", "--query", "[].name", "--output", "json") or "[]")

    def delete(self, key):
        self.az("delete", "--name", key, "--output", "none")


def snapshot_keys(store, prefix):
    """(peer, collection, stamp, key) of every object this job wrote under the prefix; other keys are ignored."""
    pattern = re.compile("^" + re.escape(prefix) + r"([^/]+)/([^/]+)/(\d{8}T\d{6}Z)\.snapshot$")
    found = []
    for key in store.list(prefix):
        match = pattern.match(key)
        if match:
            found.append((match.group(1), match.group(2), match.group(3), key))
    return found


def backup(spec, store, now):
    stamp = now.strftime(STAMP)
    failed = []
    for peer in spec["peers"]:
        url = peer["url"].rstrip("/")
        try:
            collections = [c["name"] for c in qdrant("GET", f"{url}/collections", timeout=60)["collections"]]
        except Exception as error:
            failed.append(f"{peer['name']}: {error}")
            continue
        for collection in collections:
            name = urllib.parse.quote(collection, safe="")
            key = f"{spec['prefix']}{peer['name']}/{collection}/{stamp}.snapshot"
            path = os.path.join(WORK, f"{peer['name']}-{collection}.snapshot")
            try:
                snapshot = qdrant("POST", f"{url}/collections/{name}/snapshots?wait=true")
                snapshot_url = f"{url}/collections/{name}/snapshots/{urllib.parse.quote(snapshot['name'], safe='')}"
                try:
                    digest = qdrant("GET", snapshot_url, stream_to=path)
                finally:
                    # The peer keeps snapshots on its own disk until deleted: never leave one behind.
                    qdrant("DELETE", f"{snapshot_url}?wait=true", timeout=300)
                if snapshot.get("checksum") and snapshot["checksum"] != digest:
                    raise RuntimeError(f"downloaded sha256 {digest} differs from Qdrant's {snapshot['checksum']}")
                store.put(path, key)
                log(f"{peer['name']}/{collection}: {os.path.getsize(path)} bytes -> {key}")
            except Exception as error:
                failed.append(f"{peer['name']}/{collection}: {error}")
            finally:
                if os.path.exists(path):
                    os.remove(path)
    if failed:
        sys.exit("backup incomplete, nothing pruned:\n" + "\n".join(failed))
    prune(spec, store, now)


def prune(spec, store, now):
    cutoff = (now - datetime.timedelta(days=spec["retentionDays"])).strftime(STAMP)
    newest = {}
    found = snapshot_keys(store, spec["prefix"])
    for peer, collection, stamp, _ in found:
        newest[(peer, collection)] = max(stamp, newest.get((peer, collection), stamp))
    for peer, collection, stamp, key in sorted(found):
        if stamp < cutoff and stamp != newest[(peer, collection)]:
            store.delete(key)
            log(f"pruned {key} (older than {spec['retentionDays']} days)")


def multipart(path, field):
    """A multipart/form-data body streamed from the file (snapshots can be larger than memory)."""
    boundary = "qdrant-restore-" + hashlib.sha256(path.encode()).hexdigest()[:16]
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{os.path.basename(path)}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                yield chunk
        yield tail

    length = len(head) + os.path.getsize(path) + len(tail)
    return body(), {"Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(length)}


def restore(spec, store, which, only):
    found = snapshot_keys(store, spec["prefix"])
    if not found:
        sys.exit(f"no snapshots under {spec['prefix']}")
    stamp = max(s for _, _, s, _ in found) if which == "latest" else which
    chosen = [(p, c, k) for p, c, s, k in found if s == stamp and (not only or c in only)]
    if not chosen:
        sys.exit(f"no snapshots with stamp {stamp}" + (f" for {', '.join(only)}" if only else ""))
    peers = {peer["name"]: peer["url"].rstrip("/") for peer in spec["peers"]}
    for peer, collection, key in sorted(chosen):
        if peer not in peers:
            sys.exit(f"{key}: peer {peer} is not one of this cluster's peers ({', '.join(peers)})")
        path = os.path.join(WORK, f"{peer}-{collection}.snapshot")
        try:
            store.get(key, path)
            body, headers = multipart(path, "snapshot")
            name = urllib.parse.quote(collection, safe="")
            qdrant("POST", f"{peers[peer]}/collections/{name}/snapshots/upload?priority=snapshot&wait=true", body=body, headers=headers)
            log(f"{key} -> {peer}/{collection}: recovered")
        finally:
            if os.path.exists(path):
                os.remove(path)


def main():
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    mode = sys.argv[2] if len(sys.argv) > 2 else "backup"
    stores = {"s3": S3, "azure-blob": Blob}
    if KIND not in stores:
        sys.exit(f"OBJECT_STORAGE_KIND is {KIND!r}; allowed: {', '.join(stores)}")
    store = stores[KIND]()
    if mode == "backup":
        backup(spec, store, datetime.datetime.now(datetime.timezone.utc))
    elif mode == "restore" and len(sys.argv) > 3:
        restore(spec, store, sys.argv[3], set(sys.argv[4:]))
    else:
        sys.exit("usage: qdrant-backup.py SPEC [backup | restore <stamp|latest> [collection ...]]")


main()
`;
