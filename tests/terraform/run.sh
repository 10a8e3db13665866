#!/usr/bin/env bash
# The Terraform export through real Terraform, offline, with a stand-in for aliyun/alicloud.
#
# Builds every example (each as its own project) and one generated project, then puts every root
# module of their Terraform exports through terraform init/validate/plan/show/graph against a
# stand-in provider served from tests/fixtures/alicloud-schema.json (tests/terraform/standin.py,
# on the `tf` package from PyPI), and checks that three deliberately broken exports are refused.
# See tests/terraform/README.md. Skipped, and said so, without terraform or python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
here=$repo/tests/terraform
schema=$repo/tests/fixtures/alicloud-schema.json
tf_pkg="tf==1.2.0"
provider_version=1.289.0

for tool in terraform python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "terraform harness: SKIPPED ($tool not found)"
        exit 0
    fi
done

start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netlink-tf.XXXXXX")
cleanup() { if [ "${NETLINK_TF_KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

# --- the stand-in provider: a venv and a filesystem mirror, cached by what goes into them
key=$(cat "$schema" "$here/standin.py" <(echo "$tf_pkg $provider_version $(python3 --version 2>&1)") | sha256sum | cut -c1-16)
cache=${TMPDIR:-/tmp}/netlink-tf-standin-$key
launcher=mirror/registry.terraform.io/aliyun/alicloud/$provider_version/linux_amd64/terraform-provider-alicloud_v$provider_version
if [ ! -x "$cache/$launcher" ]; then
    echo "terraform harness: setting up the stand-in provider ($tf_pkg from PyPI) in $cache"
    stage=$(mktemp -d "${TMPDIR:-/tmp}/netlink-tf-standin-stage.XXXXXX")
    if ! python3 -m venv "$stage/venv" >"$stage/log" 2>&1 \
        || ! "$stage/venv/bin/pip" install --disable-pip-version-check --no-input -q "$tf_pkg" >>"$stage/log" 2>&1; then
        cat "$stage/log" >&2
        rm -rf "$stage"
        echo "terraform harness: FAILED (could not install $tf_pkg into a virtualenv; see above)" >&2
        exit 1
    fi
    cp "$schema" "$stage/alicloud-schema.json"
    cp "$here/standin.py" "$stage/standin.py"
    mkdir -p "$(dirname "$stage/$launcher")"
    # The launcher names the cache's final paths; the venv is moved there whole (its python
    # finds its site-packages from its own path; only pip's script shebangs would be stale).
    cat >"$stage/$launcher" <<EOF
#!/bin/sh
# The stand-in for aliyun/alicloud: netlink's tests/terraform/standin.py on the tf package.
NETLINK_STANDIN_SCHEMA="$cache/alicloud-schema.json" exec "$cache/venv/bin/python" "$cache/standin.py" "\$@"
EOF
    chmod +x "$stage/$launcher"
    [ -x "$cache/$launcher" ] || rm -rf "$cache" # a half-made one from an interrupted run
    mv -T "$stage" "$cache" 2>/dev/null || rm -rf "$stage" # another run made it meanwhile
fi

# --- the exports: every example on its own, and one generated project (with the caller's
# environment: cargo needs its HOME)
netlink() { cargo run --quiet -- "$@"; }
exports=()
build() { # name project
    if ! netlink build "$2" --out "$tmp/exports/$1" >"$tmp/build-$1.log" 2>&1; then
        cat "$tmp/build-$1.log" >&2
        echo "terraform harness: FAILED (netlink build $2 failed; see above)" >&2
        exit 1
    fi
    exports+=("$tmp/exports/$1")
}
mkdir -p "$tmp/exports" "$tmp/gen"
for f in examples/*.netlink; do
    build "$(basename "$f" .netlink)" "$f"
done
netlink gen 40 >"$tmp/gen/gen40.netlink" || { echo "terraform harness: FAILED (netlink gen 40 failed)" >&2; exit 1; }
build gen40 "$tmp/gen/gen40.netlink"

# --- Terraform's environment: nothing from the caller's, a HOME of its own, the mirror only
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(TF_|ALICLOUD_|ALIBABA_CLOUD_|ALIBABACLOUD_)' || true)
mkdir -p "$tmp/home"
cat >"$tmp/home/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$cache/mirror"
    include = ["registry.terraform.io/aliyun/alicloud"]
  }
  direct {
    exclude = ["registry.terraform.io/aliyun/alicloud"]
  }
}
EOF
export HOME=$tmp/home TF_CLI_CONFIG_FILE=$tmp/home/terraform.rc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

echo "terraform harness: $(terraform version | head -n1), stand-in provider $provider_version ($tf_pkg)"
status=0
python3 "$here/harness.py" --work "$tmp/work" --schema "$schema" \
    --broken-from dataworks_cross_account_peering "${exports[@]}" || status=$?
echo "terraform harness: $(($(date +%s) - start))s"
exit $status
