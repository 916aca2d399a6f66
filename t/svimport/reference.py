# SPDX-License-Identifier: ISC
# t/svimport/reference.py CONF OUTDIR: what supervisord 4 itself makes of CONF, for the
# argv test: for each process, OUTDIR/GROUP:NAME.argv (shlex.split of its command, as
# get_execv_args splits it, each NUL-terminated), .env (SUPERVISOR_* and its environment,
# KEY=VALUE NUL-terminated, sorted) and .conf (the settings, one key=value a line).
import os, shlex, signal, sys
from supervisor.options import ServerOptions

conf, out = sys.argv[1], sys.argv[2]
o = ServerOptions()
o.configfile = conf
o.here = os.path.dirname(os.path.abspath(conf))
section = o.read_config(conf)
for g in section.process_group_configs:
    for p in g.process_configs:
        base = os.path.join(out, g.name + ':' + p.name)
        with open(base + '.argv', 'wb') as f:
            for a in shlex.split(p.command):
                f.write(a.encode() + b'\0')
        env = {'SUPERVISOR_ENABLED': '1', 'SUPERVISOR_PROCESS_NAME': p.name,
               'SUPERVISOR_GROUP_NAME': g.name}
        env.update(p.environment or {})
        with open(base + '.env', 'wb') as f:
            for k, v in sorted(env.items()):
                f.write((k + '=' + v).encode() + b'\0')
        # what the service directory must say, file by file (the names of SPEC 9's table)
        ar = {'RestartUnconditionally': 'always', 'RestartWhenExitUnexpected': 'on-failure'}
        restart = 'never' if p.autorestart is False else ar[p.autorestart.__name__]
        if restart == 'on-failure' and not p.exitcodes:
            restart = 'always'
        files = {
            'down': '' if not p.autostart else None,
            'restart': restart + '\n',
            'min-uptime': '%d\n' % (max(p.startsecs, 0) * 1000),
            'max-failures': '%d\n' % (max(p.startretries, 0) + 1),
            'down-signal': signal.Signals(p.stopsignal).name[3:] + '\n',
            'timeout-kill': '%d\n' % (max(p.stopwaitsecs * 1000, 1)),
            'success-codes': (' '.join(str(c) for c in sorted(set(p.exitcodes))) + '\n') if p.exitcodes else None,
        }
        with open(base + '.files', 'wb') as f:
            for k, v in sorted(files.items()):
                f.write(k.encode() + b'\0' + (b'-' if v is None else b'+' + v.encode()) + b'\0')
        with open(base + '.conf', 'w') as f:
            f.write('umask=%s\n' % ('' if p.umask is None else '%03o' % p.umask))
            f.write('cwd=%s\n' % (p.directory or ''))
            f.write('uid=%s\n' % ('' if p.uid is None else p.uid))
