/**
 * Run by the collection Job (python 3 standard library only): creates each collection of the spec if it
 * does not exist, adds int8 quantization when asked and missing, ensures the `tenant_id` tenant index, and
 * fails (non-zero) when an existing collection differs in what cannot change in place (shards,
 * replication, vector size/distance), so a wrong config stops the apply instead of being ignored.
 */
export const QDRANT_COLLECTIONS_SCRIPT = String.raw`import json, os, sys, urllib.error, urllib.request

URL = os.environ["QDRANT_URL"].rstrip("/")
KEY = os.environ["QDRANT_API_KEY"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method, headers={"api-key": KEY, "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, (json.loads(text) if text else {})


def must(status, body, what):
    if status != 200:
        sys.exit(f"{what}: HTTP {status}: {json.dumps(body)}")


with open(sys.argv[1]) as fh:
    spec = json.load(fh)
drift = []
for collection in spec["collections"]:
    name, create = collection["name"], collection["create"]
    status, body = call("GET", f"/collections/{name}")
    if status == 404:
        must(*call("PUT", f"/collections/{name}", create), f"create {name}")
        print(f"{name}: created")
    else:
        must(status, body, f"read {name}")
        config = body["result"]["config"]
        params, vectors = config["params"], config["params"]["vectors"]
        for key in ("shard_number", "replication_factor", "write_consistency_factor"):
            if params.get(key) != create[key]:
                drift.append(f"{name}: {key} is {params.get(key)}, config says {create[key]}")
        for key in ("size", "distance"):
            if vectors.get(key) != create["vectors"][key]:
                drift.append(f"{name}: vectors.{key} is {vectors.get(key)}, config says {create['vectors'][key]}")
        if "quantization_config" in create and not config.get("quantization_config"):
            must(*call("PATCH", f"/collections/{name}", {"quantization_config": create["quantization_config"]}), f"quantize {name}")
            print(f"{name}: int8 quantization added")
    must(*call("PUT", f"/collections/{name}/index?wait=true", spec["tenantIndex"]), f"tenant index {name}")
    print(f"{name}: ready")
if drift:
    sys.exit("cannot change in place (recreate the collection and re-ingest, or fix the config):\n" + "\n".join(drift))
`;
