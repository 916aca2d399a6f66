# SPDX-License-Identifier: ISC
# t/svimport/randconf.py SEED OUT.conf: a random supervisord configuration made of the
# constructs real files have (quotes, escapes, comments after blanks and not, % escapes
# and names, continuation lines, CRLF, environment pairs with quotes and commas), for the
# differential test of t/integ/svimport.c against supervisord's parser
import random, sys

seed, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(seed)

WORDS = ['plain', 'a-b.c', '/usr/bin/x', '--opt=v', '"double quoted"', "'single quoted'",
         '"with \\"escaped\\" quotes"', "back\\ slash", '"a\\\\b"', "'a\\b'", '${DISPLAY#*:}',
         'x#y', 'a;b', '100%%', '%(program_name)s', '%(group_name)s', '%(process_num)02d',
         '""', "''", 'mi"x"\'ed\'', 'caf\u00e9', '"\ttab"', 'e=mc2', '*', '?', '[a]', '$HOME',
         '"$(not run)"', '`nope`', '"#hash"', "';semi'", '\\"', '\\\\', 'a\\\\b']
SEPS = [' ', '  ', '\t', ' \t ']
VALS = ['plain', '"two words"', '"a,b"', "'single'", 'a.b-c+d(e):f', '/usr/bin:/bin', '"x=y"',
        '"%(program_name)s"', '"%%"', '1']

def command():
    n = r.randint(0, 7)
    words = ['rec'] + [r.choice(WORDS) for _ in range(n)]
    s = ''
    for i, w in enumerate(words):
        if i:
            s += '\n    ' if r.random() < 0.15 else r.choice(SEPS)
        s += w
    if r.random() < 0.3:
        s += r.choice([' ; a comment', ' # a comment', '\t;c'])
    if r.random() < 0.04:
        s += ' "unclosed'
    return s

def env():
    pairs = []
    for i in range(r.randint(1, 4)):
        pairs.append('K%d=%s' % (i, r.choice(VALS)))
    return ','.join(pairs)

lines = ['[supervisord]', 'nodaemon=true', '']
for p in range(r.randint(1, 3)):
    lines.append('[program:p%d]' % p)
    lines.append('command=' + command())
    if r.random() < 0.5:
        lines.append('environment=' + env())
    if r.random() < 0.3:
        lines.append('numprocs=2')
        lines.append('process_name=%(program_name)s_%(process_num)d')
    if r.random() < 0.2:
        lines.append('; a comment line')
    lines.append('')
text = '\n'.join(lines)
if r.random() < 0.3:
    text = text.replace('\n', '\r\n')
open(out, 'w', encoding='utf-8', newline='').write(text)
