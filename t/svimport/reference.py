# t/svimport/reference.py CONF OUTDIR: what supervisord 4 itself makes of CONF, for the
# argv test: for each process, OUTDIR/GROUP:NAME.argv (shlex.split of its command, as
# get_execv_args splits it, each NUL-terminated), .env (SUPERVISOR_* and its environment,
# KEY=VALUE NUL-terminated, sorted) and .conf (the settings, one key=value a line).
import os, shlex, sys
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
        with open(base + '.conf', 'w') as f:
            f.write('directory=%s\n' % (p.directory or ''))
            f.write('umask=%s\n' % ('' if p.umask is None else '%03o' % p.umask))
            f.write('autostart=%d\n' % p.autostart)
            f.write('startsecs=%d\nstartretries=%d\n' % (p.startsecs, p.startretries))
            f.write('stopsignal=%d\nstopwaitsecs=%d\n' % (p.stopsignal, p.stopwaitsecs))
            f.write('exitcodes=%s\n' % ' '.join(str(c) for c in sorted(p.exitcodes)))
            f.write('uid=%s\n' % ('' if p.uid is None else p.uid))
