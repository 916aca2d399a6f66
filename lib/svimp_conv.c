/* SPDX-License-Identifier: ISC */
/* svimp_conv.c: supervisord's datatypes (boolean, integer, byte_size, octal_type,
   list_of_exitcodes, signal_number, auto_restart), with Python's int() rules */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svimp.h"

static int lower_eq (char const *s, char const *w)
{
  for (; *s && *w; s++, w++)
    if ((*s >= 'A' && *s <= 'Z' ? *s + 32 : *s) != *w) return 0;
  return !*s && !*w;
}

int svimp_bool (char const *s, int *b)
{
  if (lower_eq(s, "yes") || lower_eq(s, "true") || lower_eq(s, "on") || lower_eq(s, "1")) { *b = 1; return 1; }
  if (lower_eq(s, "no") || lower_eq(s, "false") || lower_eq(s, "off") || lower_eq(s, "0")) { *b = 0; return 1; }
  return 0;
}

int svimp_autorestart (char const *s, char *r)
{
  int b;
  if (svimp_bool(s, &b)) { *r = b ? 'a' : 'n'; return 1; }
  if (lower_eq(s, "unexpected")) { *r = 'o'; return 1; }
  return 0;
}

/* digits of base with single underscores between them, after strip and sign */
static int pyint (char const *s0, size_t len, int base, long long *n)
{
  char buf[len + 1], *s;
  int neg = 0, digits = 0, under = 0;
  unsigned long long v = 0;
  memcpy(buf, s0, len);
  buf[len] = 0;
  s = svimp_strip(buf);
  if (*s == '+' || *s == '-') neg = *s++ == '-';
  if (base == 8 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) { s += 2; under = 1; }
  for (; *s; s++)
  {
    int d;
    if (*s == '_')
    {
      if (under || (!digits && base != 8)) return 0;
      under = 1;
      continue;
    }
    if (*s < '0' || *s >= '0' + base) return 0;
    d = *s - '0';
    if (v > (1ULL << 62) / 10) return 0;  /* far beyond any sensible setting */
    v = v * base + d;
    digits++;
    under = 0;
  }
  if (!digits || under) return 0;
  *n = neg ? -(long long)v : (long long)v;
  return 1;
}

int svimp_int (char const *s, long long *n)
{
  return pyint(s, strlen(s), 10, n);
}

int svimp_octal (char const *s, unsigned int *n)
{
  long long v;
  if (!pyint(s, strlen(s), 8, &v) || v < 0 || v > 07777) return 0;
  *n = (unsigned int)v;
  return 1;
}

int svimp_bytes (char const *s, unsigned long long *n)
{
  static char const *const suf[3] = { "kb", "mb", "gb" };
  size_t len = strlen(s);
  long long v;
  int i;
  if (len >= 2)
    for (i = 0; i < 3; i++)
    {
      char a = s[len - 2], b = s[len - 1];
      if (a >= 'A' && a <= 'Z') a += 32;
      if (b >= 'A' && b <= 'Z') b += 32;
      if (a == suf[i][0] && b == suf[i][1])
      {
        if (!pyint(s, len - 2, 10, &v)) return 0;
        if (v < 0 || v > (1LL << 40)) return 0;
        *n = (unsigned long long)v << (10 * (i + 1));
        return 1;
      }
    }
  if (!pyint(s, len, 10, &v) || v < 0) return 0;
  *n = (unsigned long long)v;
  return 1;
}

int svimp_codes (char const *s, unsigned char *set)
{
  memset(set, 0, 256);
  if (!*s) return 1;
  for (;;)
  {
    char const *c = strchr(s, ',');
    size_t n = c ? (size_t)(c - s) : strlen(s);
    long long v;
    if (!pyint(s, n, 10, &v) || v < 0 || v > 255) return 0;
    set[v] = 1;
    if (!c) return 1;
    s = c + 1;
  }
}

static char const *const signames[65] =
{
  [1] = "HUP", [2] = "INT", [3] = "QUIT", [4] = "ILL", [5] = "TRAP", [6] = "ABRT", [7] = "BUS",
  [8] = "FPE", [9] = "KILL", [10] = "USR1", [11] = "SEGV", [12] = "USR2", [13] = "PIPE",
  [14] = "ALRM", [15] = "TERM", [16] = "STKFLT", [17] = "CHLD", [18] = "CONT", [19] = "STOP",
  [20] = "TSTP", [21] = "TTIN", [22] = "TTOU", [23] = "URG", [24] = "XCPU", [25] = "XFSZ",
  [26] = "VTALRM", [27] = "PROF", [28] = "WINCH", [29] = "IO", [30] = "PWR", [31] = "SYS",
  [34] = "RTMIN", [64] = "RTMAX",
};

int svimp_signal (char const *s, char *name)
{
  long long v;
  int sig = -1, i;
  if (pyint(s, strlen(s), 10, &v))
  {
    if (v < 1 || v > 64 || !signames[v]) return 0;
    sig = (int)v;
  }
  else
  {
    char buf[strlen(s) + 4], *q;
    char const *p;
    strcpy(buf, s);
    q = svimp_strip(buf);
    p = q;
    for (; *q; q++) if (*q >= 'a' && *q <= 'z') *q -= 32;
    if (!strncmp(p, "SIG", 3)) p += 3;
    if (!strcmp(p, "CLD")) p = "CHLD";
    else if (!strcmp(p, "IOT")) p = "ABRT";
    else if (!strcmp(p, "POLL")) p = "IO";
    for (i = 1; i <= 64; i++)
      if (signames[i] && !strcmp(signames[i], p)) { sig = i; break; }
    if (sig < 0) return 0;  /* also _DFL, _IGN and the like: signal 0, 1, 2 by another name */
  }
  if (sig == 34 || sig == 64) snprintf(name, 16, "%d", sig);
  else snprintf(name, 16, "%s", signames[sig]);
  return 1;
}
