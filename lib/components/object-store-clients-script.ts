/**
 * The object-storage half shared by the backup scripts (qdrant-backup-script.ts, clickhouse-backup-script.ts),
 * python source spliced into them: `S3` (aws CLI, credentials from the default chain, i.e. EKS Pod Identity;
 * the bucket's default encryption, the storage CMK, so no `--sse` flag) and `Blob` (az CLI with
 * `--auth-mode login` after a federated-token login). Both expect BUCKET and ENDPOINT globals.
 */
export const OBJECT_STORE_CLIENTS = String.raw`def cli(*args):
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
`;
