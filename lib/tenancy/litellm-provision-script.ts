/** Python: `call(method, path, body, query, key=MASTER)` -> HTTP status, against BASE (needs BASE and MASTER). */
export const LITELLM_CALL = `def call(method, path, body=None, query=None, key=MASTER):
    url = BASE + path + ("?" + urllib.parse.urlencode(query) if query else "")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


`;

/** Python: wait up to 10 minutes for LiteLLM's readiness (needs `call`); shared by the provisioning and offboarding scripts. */
export const LITELLM_WAIT_READY = `for attempt in range(60):
    try:
        if call("GET", "/health/readiness") == 200:
            break
    except OSError:
        pass
    time.sleep(10)
else:
    print("LiteLLM not ready after 10 minutes", flush=True)
    sys.exit(1)
`;

/**
 * The script the LiteLLM provisioning Job runs (python3 standard library only: no packages to mirror).
 * It is data: it ships in a ConfigMap, and its hash is part of the Job's name, so a change to it or to the
 * tenant's limits re-runs the Job and nothing else does.
 *
 * Idempotent against LiteLLM's admin API:
 *  - team (when the spec has one; the embeddings key has none): `GET /team/info?team_id=<id>` ->
 *    `POST /team/update`, or `POST /team/new` when it does not exist;
 *  - key: `GET /key/info` authenticated AS the tenant key (LiteLLM answers for the calling key, so the key
 *    never travels in a URL or an access log) -> `POST /key/update`, or `POST /key/generate` with the key
 *    value from the secret store. If the alias is taken by an older key (rotation: the stored value was
 *    regenerated), that key is deleted by alias (`POST /key/delete {key_aliases}`) and generation retried.
 * It prints status codes and ids only, never a key.
 */
export const LITELLM_PROVISION_SCRIPT = `import json, os, sys, time, urllib.error, urllib.parse, urllib.request

BASE = os.environ["LITELLM_URL"].rstrip("/")
MASTER = os.environ["LITELLM_MASTER_KEY"]
TENANT_KEY = os.environ["TENANT_KEY"]
with open(sys.argv[1]) as f:
    SPEC = json.load(f)


${LITELLM_CALL}def must(status, what):
    print(what, status, flush=True)
    if status >= 300:
        sys.exit(1)


${LITELLM_WAIT_READY}
team = SPEC.get("team")
if team is None:
    pass
elif call("GET", "/team/info", query={"team_id": team["team_id"]}) == 200:
    must(call("POST", "/team/update", team), "team/update")
else:
    must(call("POST", "/team/new", team), "team/new")

key = dict(SPEC["key"], key=TENANT_KEY)
if call("GET", "/key/info", key=TENANT_KEY) == 200:
    must(call("POST", "/key/update", key), "key/update")
else:
    status = call("POST", "/key/generate", key)
    if status >= 300:
        must(call("POST", "/key/delete", {"key_aliases": [key["key_alias"]]}), "key/delete (stale alias)")
        status = call("POST", "/key/generate", key)
    must(status, "key/generate")
print("key", key["key_alias"], "provisioned", flush=True)
`;
