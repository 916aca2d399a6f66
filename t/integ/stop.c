/* SPDX-License-Identifier: ISC */
/* t/integ/stop.c: a stop (d) waits for run's whole process group, but not forever */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "harness.h"
#include "suites.h"

 /* run leaves a helper that ignores TERM, then exits on TERM itself: the service is
    stopping while the helper lives, and down at most 5 s later all the same (no
    timeout-kill), after which u starts it again */
START_TEST(stray_does_not_block_forever)
{
  unsigned long long t0, dt;
  long helper;
  t_service("st", "sh -c 'trap \"\" TERM; echo $$ >helper.pid; exec sleep 1000' &\n"
    "trap 'exit 0' TERM\necho $$ >run.pid\nwhile :; do sleep 1 & wait $!; done");
  t_sup_start("st");
  ck_assert(t_wait_state("st", "state", "up", 2000));
  ck_assert(t_wait_until(&t_has_file, (void *)"st/helper.pid", 2000));
  helper = t_read_long("st/helper.pid");
  ck_assert(helper > 0);
  t0 = t_now_ms();
  t_control("st", "d");
  ck_assert(t_wait_state("st", "state", "stopping", 1000));
  ck_assert(t_wait_state("st", "state", "down", 8000));
  dt = t_now_ms() - t0;
  ck_assert_msg(dt >= 4500, "down after %llu ms: the stop did not wait for the group", dt);
  ck_assert(t_alive((pid_t)helper));
  ck_assert(t_file_has("st.err", "supervise: st: down: its process group is still not empty after 5000 ms"));
  t_control("st", "u");
  ck_assert(t_wait_state("st", "state", "up", 2000));
  kill((pid_t)helper, SIGKILL);
}
END_TEST

 /* a member that lost the first down signal (one forked just before it came, which got
    sh's trap handler and lost it at exec, stands in: its first TERM only resets the
    handler) gets it once more while the stop waits: down well before the 5 s */
START_TEST(stray_gets_the_signal_again)
{
  long helper;
  t_service("sa", "sh -c 'trap \"trap - TERM\" TERM; echo $$ >helper.pid; while :; do sleep 0.05; done' &\n"
    "trap 'exit 0' TERM\nwhile :; do sleep 1 & wait $!; done");
  t_sup_start("sa");
  ck_assert(t_wait_state("sa", "state", "up", 2000));
  ck_assert(t_wait_until(&t_has_file, (void *)"sa/helper.pid", 2000));
  helper = t_read_long("sa/helper.pid");
  ck_assert(helper > 0);
  t_control("sa", "d");
  ck_assert(t_wait_state("sa", "state", "down", 3000));
  ck_assert(t_wait_until(&t_gone, &(pid_t){ (pid_t)helper }, 1000));
  ck_assert(t_file_has("sa.err", "supervise: sa: down: run exited, waiting for the rest of its process group"));
  ck_assert(!t_file_has("sa.err", "still not empty"));
}
END_TEST

 /* the same with timeout-kill: the group is killed instead */
START_TEST(stray_killed_by_timeout_kill)
{
  long helper;
  t_service("sk", "sh -c 'trap \"\" TERM; echo $$ >helper.pid; exec sleep 1000' &\n"
    "trap 'exit 0' TERM\nwhile :; do sleep 1 & wait $!; done");
  t_write("sk/timeout-kill", "300\n");
  t_sup_start("sk");
  ck_assert(t_wait_state("sk", "state", "up", 2000));
  ck_assert(t_wait_until(&t_has_file, (void *)"sk/helper.pid", 2000));
  helper = t_read_long("sk/helper.pid");
  t_control("sk", "d");
  ck_assert(t_wait_state("sk", "state", "down", 3000));
  ck_assert(t_wait_until(&t_gone, &(pid_t){ (pid_t)helper }, 1000));
}
END_TEST

Suite *stop_suite (void)
{
  Suite *s = suite_create("stop");
  TCase *tc = tcase_create("group");
  t_fixtures(tc);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, stray_does_not_block_forever);
  tcase_add_test(tc, stray_gets_the_signal_again);
  tcase_add_test(tc, stray_killed_by_timeout_kill);
  suite_add_tcase(s, tc);
  return s;
}
