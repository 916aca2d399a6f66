/* SPDX-License-Identifier: ISC */
/* t/unit/control_decode.c: control bytes to commands, all 256 of them */
#include <signal.h>

#include <check.h>

#include "control.h"
#include "harness.h"

START_TEST(every_byte)
{
  static char const known[] = "udoxpchaiq12tk";
  static int const cmds[] = { CONTROL_UP, CONTROL_DOWN, CONTROL_ONCE, CONTROL_EXIT };
  static int const sigs[] = { SIGSTOP, SIGCONT, SIGHUP, SIGALRM, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGKILL };
  int b;
  for (b = 0; b < 256; b++)
  {
    char c = (char)b;
    int sig = -1, r = control_decode(c, &sig);
    unsigned int i;
    for (i = 0; known[i] && known[i] != c; i++) ;
    if (!b || !known[i])
    {
      ck_assert_msg(r == CONTROL_IGNORED, "byte %d: %d, not ignored", b, r);
      ck_assert_int_eq(sig, -1);
    }
    else if (i < 4)
      ck_assert_int_eq(r, cmds[i]);
    else
    {
      ck_assert_int_eq(r, CONTROL_SIGNAL);
      ck_assert_int_eq(sig, sigs[i - 4]);
    }
  }
}
END_TEST

Suite *control_decode_suite (void);

Suite *
control_decode_suite (void)
{
  Suite *s = suite_create("control_decode");
  TCase *tc = tcase_create("decode");
  tcase_set_timeout(tc, 10);
  tcase_add_test(tc, every_byte);
  suite_add_tcase(s, tc);
  return s;
}
