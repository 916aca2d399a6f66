# SPDX-License-Identifier: ISC
# svtree: one non-recursive Makefile. `make`, `make check`, `make install`.
include package/info
include package/targets.mak

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man8
COMPDIR = $(PREFIX)/share/bash-completion/completions
# where install-files takes the programs from (the tests install the bin/ they test)
BINSRC = bin

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?=
WARN = -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
ALL_CFLAGS = $(WARN) $(if $(WERROR),-Werror) $(CFLAGS)
ALL_CPPFLAGS = -D_GNU_SOURCE -DSVTREE_VERSION=\"$(version)\" -iquote lib -iquote build/t -iquote t $(CPPFLAGS)

# libskarnet statically when the archive exists (SPEC 1)
SKARNET_A := $(shell $(CC) -print-file-name=libskarnet.a)
SKARNET = $(if $(filter /%,$(SKARNET_A)),-l:libskarnet.a,-lskarnet)
# programs fully static when libc.a exists (smaller resident size per supervise), but not under sanitizers
LIBC_A := $(shell $(CC) -print-file-name=libc.a)
STATIC ?= $(if $(findstring -fsanitize,$(CFLAGS)),,$(if $(filter /%,$(LIBC_A)),-static))
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

LIB_OBJS = $(patsubst lib/%.c,build/lib/%.o,$(wildcard lib/*.c))

# The programs of bin/ link statically against musl and a libskarnet built for it when
# package/deps --musl has one (it builds it once per machine, or per user when not root);
# build/config.mak, made before anything else, says where (MUSL_SKALIBS_LIB, _INC).
# Otherwise, or with `make MUSL=no`, or under sanitizers, they link against glibc as
# before. Tests, fuzzers, sanitizer and valgrind builds are glibc's (Check and ASan are).
# Objects for musl: build/musl/, those for glibc: build/. `rm build/config.mak` looks again.
MUSL ?= auto
MUSL_CC ?= musl-gcc
NOCONFIG_GOALS = clean uninstall install-files install-compat check-licence
ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
-include build/config.mak
endif
PROG_LIBC = $(if $(and $(MUSL_SKALIBS_LIB),$(filter-out no,$(MUSL)),$(if $(findstring -fsanitize,$(CFLAGS)),,yes)),musl,glibc)
ifeq ($(PROG_LIBC),musl)
PROG_OBJ = build/musl/
PROG_LINK = $(MUSL_CC) $(ALL_CFLAGS) $(LDFLAGS) -static
PROG_SKARNET = $(MUSL_SKALIBS_LIB)
else
PROG_OBJ = build/
PROG_LINK = $(CC) $(ALL_CFLAGS) $(LDFLAGS) $(STATIC)
PROG_SKARNET = $(SKARNET)
endif
UNIT_SRCS = $(sort $(wildcard t/unit/*.c))
INTEG_SRCS = $(sort $(wildcard t/integ/*.c))
UNIT_OBJS = $(patsubst t/%.c,build/t/%.o,$(UNIT_SRCS)) build/t/unit-main.o build/t/harness.o
INTEG_OBJS = $(patsubst t/%.c,build/t/%.o,$(INTEG_SRCS)) build/t/integ-main.o build/t/harness.o
MODEL_OBJS = $(patsubst t/%.c,build/t/%.o,$(sort $(wildcard t/model/*.c))) build/t/harness.o
PROGS = $(addprefix bin/,$(BIN_TARGETS))

all: $(PROGS)

build/.deps-ok: build/config.mak
	@touch $@
build/config.mak: package/deps
	@sh package/deps
	@mkdir -p build && { sh package/deps --musl >$@.new || true; } && mv $@.new $@

build/%.o: %.c package/info | build/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/musl/%.o: %.c package/info | build/.deps-ok
	@mkdir -p $(dir $@)
	$(MUSL_CC) -isystem $(MUSL_SKALIBS_INC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/libsvtree.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^
build/musl/libsvtree.a: $(patsubst build/%,build/musl/%,$(LIB_OBJS))
	rm -f $@
	$(AR) rcs $@ $^

# the programs are linked again when the libc they link against changes
build/prog-libc: FORCE | build/.deps-ok
	@[ "$$(cat $@ 2>/dev/null)" = $(PROG_LIBC) ] || echo $(PROG_LIBC) >$@
FORCE:

define PROG_template
bin/$(1): $$(patsubst %.c,$$(PROG_OBJ)%.o,$$(wildcard $(1)/*.c)) $$(PROG_OBJ)libsvtree.a build/prog-libc
	@mkdir -p bin
	$$(PROG_LINK) -o $$@ $$(filter %.o %.a,$$^) $$(PROG_SKARNET)
endef
$(foreach p,$(BIN_TARGETS),$(eval $(call PROG_template,$(p))))

# each t/unit/NAME.c and t/integ/NAME.c defines Suite *NAME_suite (void)
build/t/unit-suites.h: $(UNIT_SRCS) | build/.deps-ok
	@mkdir -p build/t
	@for f in $(UNIT_SRCS); do n=$${f##*/}; echo "T_SUITE($${n%.c})"; done >$@.new && mv $@.new $@
build/t/integ-suites.h: $(INTEG_SRCS) | build/.deps-ok
	@mkdir -p build/t
	@for f in $(INTEG_SRCS); do n=$${f##*/}; echo "T_SUITE($${n%.c})"; done >$@.new && mv $@.new $@
$(UNIT_OBJS) $(INTEG_OBJS): build/t/unit-suites.h build/t/integ-suites.h

build/t/unit-tests: $(UNIT_OBJS) build/libsvtree.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(SKARNET) $(CHECK_LIBS)
# t/unit/spawn.c once more, against the clone() spawn_run that the musl programs use
build/t/spawn_clone.o: lib/spawn_run.c package/info | build/.deps-ok
	$(CC) $(ALL_CPPFLAGS) -DSPAWN_CLONE $(ALL_CFLAGS) -c -o $@ $<
build/t/unit-tests-clone: $(UNIT_OBJS) build/t/spawn_clone.o build/libsvtree.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(SKARNET) $(CHECK_LIBS)
build/t/integ-tests: $(INTEG_OBJS) build/libsvtree.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(SKARNET) $(CHECK_LIBS)
build/t/model-tests: $(MODEL_OBJS) build/libsvtree.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(SKARNET) $(CHECK_LIBS)

T_ENV = T_BIN=$(CURDIR)/bin/ T_TOP=$(CURDIR) CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-30}

# the recording stand-in of t/integ/svimport.c
# (never sanitized: it runs as other users, and its exit code is what the test reads)
build/t/argvdump: t/svimport/argvdump.c | build/.deps-ok
	@mkdir -p build/t
	$(CC) $(WARN) $(if $(WERROR),-Werror) -O2 -o $@ $<

check: check-licence $(PROGS) build/t/unit-tests build/t/unit-tests-clone build/t/integ-tests build/t/argvdump build/t/model-tests
	$(T_ENV) build/t/unit-tests
	$(T_ENV) CK_RUN_SUITE=spawn build/t/unit-tests-clone
	$(T_ENV) build/t/integ-tests
	$(T_ENV) build/t/model-tests

# the model test alone (T_SEED=N replays one sequence); soak: for SOAK_S seconds
check-model: $(PROGS) build/t/model-tests
	$(T_ENV) build/t/model-tests
SOAK_S ?= 3600
# where the time of a restart after SIGKILL goes (not a test: figures for t/bench/RESULTS.md)
bench-restart: $(PROGS) build/t/bench-restart
	build/t/bench-restart -n $(or $(SAMPLES),40) $(CURDIR)/bin/supervise

# the floor of the PID-1 SIGTERM row: its 50 trapping services signalled with no supervisor
bench-pid1-floor: build/t/bench-restart
	t/bench/pid1/trapfloor.py "$(CURDIR)/build/t/bench-restart --stamp" $(or $(ROUNDS),5)

build/t/bench-restart: t/bench/restart/restart.c
	@mkdir -p build/t
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

soak: $(PROGS) build/t/model-tests
	$(T_ENV) SOAK_S=$(SOAK_S) build/t/model-tests

# install: programs, man pages, bash completion (SPEC 1). install-files copies what is
# already built (from $(BINSRC)), so the tests can install without building.
define install_files
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPDIR)
	for p in $(BIN_TARGETS); do install -m 0755 $(BINSRC)/$$p $(DESTDIR)$(BINDIR)/$$p || exit 1; done
	for p in $(BIN_TARGETS); do install -m 0644 $$p/$$p.8 $(DESTDIR)$(MANDIR)/$$p.8 || exit 1; done
	install -m 0644 package/completion/svctl.bash $(DESTDIR)$(COMPDIR)/svctl
endef
install: $(PROGS)
	$(install_files)
install-files:
	$(install_files)

# runit's names, as links: sv -> svctl, runsv -> supervise, runsvdir -> svscan
COMPAT = sv:svctl runsv:supervise runsvdir:svscan
install-compat:
	install -d $(DESTDIR)$(BINDIR)
	for l in $(COMPAT); do ln -sfn $${l#*:} $(DESTDIR)$(BINDIR)/$${l%%:*} || exit 1; done

# removes what install and install-compat put there (a compat name only when it is our link)
uninstall:
	for p in $(BIN_TARGETS); do rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(MANDIR)/$$p.8; done
	rm -f $(DESTDIR)$(COMPDIR)/svctl
	for l in $(COMPAT); do f=$(DESTDIR)$(BINDIR)/$${l%%:*}; \
	  if [ -L $$f ] && [ "$$(readlink $$f)" = $${l#*:} ]; then rm -f $$f; fi; done

# svtree_VERSION_ARCH.deb, from a staged tree (package/mkdeb says where each file goes)
deb: $(PROGS)
	sh package/mkdeb $(BINSRC) .

clean:
	rm -rf build bin

# every C file, man page and script says its licence (HACKING.md); the example services
# and the fuzz corpora are data
check-licence:
	@missing=$$(find lib svscan supervise svctl svlog svimport t package .ci \( -name corpus -o -name examples \) -prune -o \
	  -type f \( -name '*.[ch]' -o -name '*.8' -o -name '*.py' -o -name '*.sh' -o -perm -u+x \) -print 2>/dev/null | \
	  xargs grep -L 'SPDX-License-Identifier: ISC'); \
	if [ -n "$$missing" ]; then echo "check-licence: no SPDX-License-Identifier line in:" $$missing; exit 1; fi

# the scale benchmark (t/bench/scale: N = 500 and 5000, all suites; as root, minutes; not in check)
bench-scale: $(PROGS)
	t/bench/scale/run

# the loggers side by side (t/bench/svlog), and what a full disk does to the service that
# logs (t/bench/svlogfull, as root); not in check
bench-svlog: $(PROGS)
	t/bench/svlog $(CURDIR)/bin

bench-svlog-full: $(PROGS)
	t/bench/svlogfull/run $(CURDIR)/bin

.PHONY: all check check-licence check-model soak bench-restart bench-pid1-floor bench-scale bench-svlog bench-svlog-full install install-files install-compat uninstall deb clean FORCE
.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)

# The README's first command: the example services of package/examples/service,
# supervised in the foreground. Ctrl-C stops everything cleanly.
DEMO_DIR = package/examples/service
demo: $(PROGS)
	@echo "demo: bin/svscan $(DEMO_DIR); Ctrl-C stops it. In another terminal:"
	@echo "demo:   export SVDIR=$(CURDIR)/$(DEMO_DIR); bin/svctl status; bin/svctl -u lazy; bin/svctl -d web"
	@PATH=$(CURDIR)/bin:$$PATH exec bin/svscan $(DEMO_DIR)
.PHONY: demo

# libFuzzer harnesses (t/fuzz/NAME.c, clang): each runs FUZZ_SECONDS from its seed corpus
# t/fuzz/corpus/NAME; what it learns goes to build/fuzz/corpus/NAME, a crash to
# build/fuzz/NAME-crash-*. The library is built again with the fuzzer's instrumentation.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_NAMES = $(sort $(basename $(notdir $(wildcard t/fuzz/*.c))))
FUZZ_LIB_OBJS = $(patsubst lib/%.c,build/fuzz/lib/%.o,$(wildcard lib/*.c))
build/fuzz/lib/%.o: lib/%.c | build/.deps-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/libsvtree.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^
 # svctl_args fuzzes svctl/svctl-args.c; the others only lib/
build/fuzz/%: t/fuzz/%.c build/fuzz/libsvtree.a $(wildcard svctl/*.h svctl/svctl-args.c)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -iquote svctl $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(if $(filter svctl_args,$*),svctl/svctl-args.c) build/fuzz/libsvtree.a $(SKARNET)
fuzz: $(addprefix build/fuzz/,$(FUZZ_NAMES))
	@for n in $(FUZZ_NAMES); do \
	  mkdir -p build/fuzz/corpus/$$n; \
	  build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
	    build/fuzz/corpus/$$n t/fuzz/corpus/$$n >build/fuzz/$$n.log 2>&1 || { tail -40 build/fuzz/$$n.log; echo "fuzz: $$n failed (build/fuzz/$$n.log)"; exit 1; }; \
	  echo "fuzz: $$n: $$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$$n.log) runs in $(FUZZ_SECONDS) s"; \
	done
.PHONY: fuzz

# make check on ASan+UBSan builds of everything, in a copy of the tree (this Makefile's
# build/ and bin/ stay as they are). The load tests run 200 services instead of 1000
# (each sanitized supervise is much bigger) and CPU bounds are 4 times looser. The deb
# suite is left out: a package of sanitized, dynamically linked programs is no package.
SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
check-sanitize:
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/svtree-sanitize.XXXXXX") && \
	tar -cf - --exclude=./build --exclude=./bin --exclude=./.git --exclude='./*.deb' --exclude=./t/integ/deb.c . | tar -xf - -C "$$d" && \
	T_LOAD_SERVICES=200 T_CPU_SCALE=4 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(MAKE) -C "$$d" check CFLAGS='$(SAN_CFLAGS)' STATIC= MUSL=no WERROR=$(WERROR); \
	rc=$$?; rm -rf "$$d"; exit $$rc
.PHONY: check-sanitize

# make check with every program the harness starts run under valgrind, on a dynamic
# build in a copy of the tree (valgrind reads static glibc poorly). Slow, and the tests
# with tight time bounds or posix_spawn exec errors (which valgrind turns into exit 127)
# may fail for valgrind's sake: read its reports (exit 99) first.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
check-valgrind:
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/svtree-valgrind.XXXXXX") && \
	tar -cf - --exclude=./build --exclude=./bin --exclude=./.git --exclude='./*.deb' --exclude=./t/integ/deb.c . | tar -xf - -C "$$d" && \
	T_WRAP='$(VALGRIND)' T_LOAD_SERVICES=100 T_CPU_SCALE=8 CK_DEFAULT_TIMEOUT=120 \
	  $(MAKE) -C "$$d" check CFLAGS='-O1 -g' STATIC= MUSL=no; \
	rc=$$?; rm -rf "$$d"; exit $$rc
.PHONY: check-valgrind
