#!/usr/bin/env python3
"""Rewrite every ```netlink fenced block of the given Markdown files in canonical form
(blocks that do not parse, and blocks whose info string says `not-canonical`, are left alone).
Usage: python3 .ci/fmt-snippets.py target/debug/netlink README.md docs/*.md
(tests/fmt.rs checks the same blocks; this rewrites them)."""
import re, subprocess, sys
BIN = sys.argv[1]
for path in sys.argv[2:]:
    lines = open(path).read().split('\n')
    out, i, changed = [], 0, 0
    while i < len(lines):
        m = re.match(r'^( *)```netlink(.*)$', lines[i])
        if not m:
            out.append(lines[i]); i += 1; continue
        ind, info = m.group(1), m.group(2)
        j = i + 1
        while not re.match(r'^ *```\s*$', lines[j]):
            j += 1
        body = lines[i+1:j]
        text = '\n'.join(l[len(ind):] if l.startswith(ind) else l.lstrip() for l in body) + '\n'
        r = subprocess.run([BIN, 'fmt', '-'], input=text.encode(), capture_output=True)
        out.append(lines[i])
        if r.returncode == 0 and 'not-canonical' not in info and r.stdout.decode() != text:
            changed += 1
            new = r.stdout.decode().rstrip('\n').split('\n')
            out.extend((ind + l) if l else '' for l in new)
            print(f'{path}:{i+1}: reformatted')
        elif r.returncode != 0:
            print(f'{path}:{i+1}: does not parse, skipped')
            out.extend(body)
        else:
            out.extend(body)
        out.append(lines[j]); i = j + 1
    if changed:
        open(path, 'w').write('\n'.join(out))
