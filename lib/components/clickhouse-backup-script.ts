/**
 * The two halves of the ClickHouse logical backup (lib/components/clickhouse-backup.ts), run in two images
 * that share a work directory: CLICKHOUSE_DUMP_SCRIPT (POSIX sh) in the pinned `clickhouse-server` image,
 * which carries `clickhouse-client`, and CLICKHOUSE_STORE_SCRIPT (python3 standard library plus the cloud
 * CLI) in the storage's CLI image. Client flags are the ones ClickHouse 18.16 and 26.x both accept.
 *
 * Backup: `dump` writes, for every table of every non-system database, `<db>/<table>.sql` (SHOW CREATE
 * TABLE) and `<db>/<table>.native` (SELECT * ... FORMAT Native); views and materialized views get only their
 * DDL; materialized views' `.inner` tables are skipped (their view recreates them). Then `backup` uploads
 * them to `<prefix><UTC stamp>/<db>/<table>.{sql,native}`, writes `<prefix><stamp>/manifest.json` last, and
 * only then prunes stamps older than the retention (never the newest complete one, never other keys).
 *
 * Restore: `download <stamp|latest>` fetches a complete stamp (one with a manifest) into the work directory;
 * `load` creates each missing table from its DDL, refuses to insert into a table that already holds rows
 * (except a `schema_migrations` that Langfuse's migrations filled at start, which is kept as it is),
 * inserts the data (`INSERT ... FORMAT Native`), and creates the views last, so a materialized view does not
 * see the restored rows a second time.
 */
import { OBJECT_STORE_CLIENTS } from './object-store-clients-script';

export const CLICKHOUSE_DUMP_SCRIPT = String.raw`#!/bin/sh
# clickhouse-backup.sh dump|load: the clickhouse-client half, in WORK_DIR.
set -eu
WORK="${'${WORK_DIR:-/work}'}"
TAB="$(printf '\t')"
ch() {
  clickhouse-client --host "$CLICKHOUSE_HOST" --port "$CLICKHOUSE_PORT" --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" "$@"
}
safe() {
  case "$1" in
    *[!A-Za-z0-9_]*|'') echo "unsupported name '$1' (letters, digits and _ only)" >&2; exit 1 ;;
  esac
}
dump() {
  # A failed run may have left files behind: start from an empty work directory.
  find "$WORK" -mindepth 1 -delete
  ch --query "SELECT database, name, engine FROM system.tables WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') AND name NOT LIKE '.inner%' AND engine NOT IN ('Dictionary', 'LiveView', 'WindowView') ORDER BY database, name FORMAT TabSeparated" > "$WORK/tables.tsv"
  while IFS="$TAB" read -r db name engine; do
    safe "$db"; safe "$name"
    mkdir -p "$WORK/$db"
    ch --query "SHOW CREATE TABLE \`$db\`.\`$name\` FORMAT TabSeparatedRaw" > "$WORK/$db/$name.sql"
    case "$engine" in
      View|MaterializedView) ;;
      *) ch --query "SELECT * FROM \`$db\`.\`$name\` FORMAT Native" > "$WORK/$db/$name.native" ;;
    esac
    echo "dumped $db.$name ($engine)"
  done < "$WORK/tables.tsv"
}
load() {
  # Tables first (created only if missing: Langfuse's migrations normally create them on the cluster).
  while IFS="$TAB" read -r db name engine; do
    safe "$db"; safe "$name"
    case "$engine" in View|MaterializedView) continue ;; esac
    ch --query "CREATE DATABASE IF NOT EXISTS \`$db\`"
    if [ "$(ch --query "EXISTS TABLE \`$db\`.\`$name\`")" != 1 ]; then ch --query "$(cat "$WORK/$db/$name.sql")"; fi
    rows="$(ch --query "SELECT count() FROM \`$db\`.\`$name\`")"
    if [ "$rows" != 0 ] && [ "$name" = schema_migrations ]; then echo "kept $db.$name: written by Langfuse's migrations at start"; continue; fi
    if [ "$rows" != 0 ]; then echo "$db.$name already holds $rows rows: not restored into (drop or truncate it first)" >&2; exit 1; fi
  done < "$WORK/tables.tsv"
  while IFS="$TAB" read -r db name engine; do
    case "$engine" in View|MaterializedView) continue ;; esac
    if [ "$name" = schema_migrations ] && [ "$(ch --query "SELECT count() FROM \`$db\`.\`$name\`")" != 0 ]; then continue; fi
    ch --query "INSERT INTO \`$db\`.\`$name\` FORMAT Native" < "$WORK/$db/$name.native"
    echo "restored $db.$name: $(ch --query "SELECT count() FROM \`$db\`.\`$name\`") rows"
  done < "$WORK/tables.tsv"
  # Views last: a materialized view created before the inserts would add their rows to its target again.
  while IFS="$TAB" read -r db name engine; do
    case "$engine" in View|MaterializedView) ;; *) continue ;; esac
    if [ "$(ch --query "EXISTS TABLE \`$db\`.\`$name\`")" != 1 ]; then ch --query "$(cat "$WORK/$db/$name.sql")"; echo "created $db.$name"; fi
  done < "$WORK/tables.tsv"
}
case "${'${1:-}'}" in
  dump) dump ;;
  load) load ;;
  *) echo "usage: clickhouse-backup.sh dump|load" >&2; exit 2 ;;
esac
`;

export const CLICKHOUSE_STORE_SCRIPT = String.raw`import datetime, json, os, re, shutil, subprocess, sys

KIND = os.environ["OBJECT_STORAGE_KIND"]
BUCKET = os.environ["OBJECT_STORAGE_BUCKET"]
ENDPOINT = os.environ["OBJECT_STORAGE_ENDPOINT"]
WORK = os.environ.get("WORK_DIR", "/work")
STAMP = "%Y%m%dT%H%M%SZ"


def log(message):
    print(message, flush=True)

${OBJECT_STORE_CLIENTS}

def read_tables():
    with open(os.path.join(WORK, "tables.tsv")) as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def files_of(db, name, engine):
    return [f"{db}/{name}.sql"] + ([] if engine in ("View", "MaterializedView") else [f"{db}/{name}.native"])


def stamps(store, prefix):
    """Stamps under the prefix, each with its keys and whether its manifest (written last) is there."""
    pattern = re.compile("^" + re.escape(prefix) + r"(\d{8}T\d{6}Z)/(.+)$")
    found = {}
    for key in store.list(prefix):
        match = pattern.match(key)
        if match:
            entry = found.setdefault(match.group(1), {"keys": [], "complete": False})
            entry["keys"].append(key)
            entry["complete"] = entry["complete"] or match.group(2) == "manifest.json"
    return found


def backup(spec, store, now):
    stamp = now.strftime(STAMP)
    base = f"{spec['prefix']}{stamp}/"
    tables = read_tables()
    for db, name, engine in tables:
        for rel in files_of(db, name, engine):
            path = os.path.join(WORK, rel)
            store.put(path, base + rel)
            log(f"{rel}: {os.path.getsize(path)} bytes -> {base}{rel}")
            os.remove(path)
    manifest = os.path.join(WORK, "manifest.json")
    with open(manifest, "w") as fh:
        json.dump({"stamp": stamp, "tables": [{"database": d, "name": n, "engine": e} for d, n, e in tables]}, fh, indent=2)
    store.put(manifest, base + "manifest.json")
    log(f"{len(tables)} tables stored under {base}")
    prune(spec, store, now)


def prune(spec, store, now):
    cutoff = (now - datetime.timedelta(days=spec["retentionDays"])).strftime(STAMP)
    found = stamps(store, spec["prefix"])
    complete = [s for s, entry in found.items() if entry["complete"]]
    newest = max(complete) if complete else None
    for stamp in sorted(found):
        if stamp < cutoff and stamp != newest:
            for key in found[stamp]["keys"]:
                store.delete(key)
            log(f"pruned {spec['prefix']}{stamp}/ (older than {spec['retentionDays']} days)")


def download(spec, store, which):
    complete = sorted(s for s, entry in stamps(store, spec["prefix"]).items() if entry["complete"])
    if not complete:
        sys.exit(f"no complete backup under {spec['prefix']}")
    stamp = complete[-1] if which == "latest" else which
    if stamp not in complete:
        sys.exit(f"no complete backup with stamp {stamp} (complete: {', '.join(complete)})")
    base = f"{spec['prefix']}{stamp}/"
    for entry in os.listdir(WORK):
        path = os.path.join(WORK, entry)
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    manifest = os.path.join(WORK, "manifest.json")
    store.get(base + "manifest.json", manifest)
    with open(manifest) as fh:
        tables = [(t["database"], t["name"], t["engine"]) for t in json.load(fh)["tables"]]
    for db, name, engine in tables:
        for rel in files_of(db, name, engine):
            os.makedirs(os.path.join(WORK, db), exist_ok=True)
            store.get(base + rel, os.path.join(WORK, rel))
    with open(os.path.join(WORK, "tables.tsv"), "w") as fh:
        fh.writelines(f"{d}\t{n}\t{e}\n" for d, n, e in tables)
    log(f"downloaded {base}: {len(tables)} tables")


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
    elif mode == "download" and len(sys.argv) == 4:
        download(spec, store, sys.argv[3])
    else:
        sys.exit("usage: clickhouse-store.py SPEC [backup | download <stamp|latest>]")


main()
`;
