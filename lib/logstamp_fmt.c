/* SPDX-License-Identifier: ISC */

#include <string.h>
#include <time.h>

#include "logstamp.h"

static void
dec (char *s, unsigned int u, unsigned int n)
{
  while (n--)
  {
    s[n] = '0' + u % 10;
    u /= 10;
  }
}

static void
hex (char *s, uint64_t u, unsigned int n)
{
  while (n--)
  {
    s[n] = "0123456789abcdef"[u & 15];
    u >>= 4;
  }
}

 /* the part before the fraction: date and time, then '.' */
static size_t
head (int kind, int64_t sec, char *s)
{
  struct tm tm;
  time_t t = (time_t)sec;
  if (!gmtime_r(&t, &tm))
    memset(&tm, 0, sizeof tm);
  dec(s, (unsigned int)(tm.tm_year + 1900) % 10000, 4);
  s[4] = '-';
  dec(s + 5, (unsigned int)tm.tm_mon + 1, 2);
  s[7] = '-';
  dec(s + 8, (unsigned int)tm.tm_mday, 2);
  s[10] = kind == LOGSTAMP_UNDER ? '_' : 'T';
  dec(s + 11, (unsigned int)tm.tm_hour, 2);
  s[13] = ':';
  dec(s + 14, (unsigned int)tm.tm_min, 2);
  s[16] = ':';
  dec(s + 17, (unsigned int)tm.tm_sec, 2);
  s[19] = '.';
  return 20;
}

size_t
logstamp_fmt (logstamp *ls, char *s, int64_t sec, uint32_t nsec)
{
  size_t n;
  switch (ls->kind)
  {
    case LOGSTAMP_TAI64N:
      if (sec != ls->sec)
      {
        ls->cache[0] = '@';
        hex(ls->cache + 1, LOGSTAMP_TAI_BASE + (uint64_t)sec, 16);
        ls->fraclen = 17;
        ls->sec = sec;
      }
      memcpy(s, ls->cache, 17);
      hex(s + 17, nsec, 8);
      s[25] = ' ';
      return 26;
    case LOGSTAMP_UNDER:
    case LOGSTAMP_T:
    case LOGSTAMP_ISO:
      if (sec != ls->sec)
      {
        ls->fraclen = head(ls->kind, sec, ls->cache);
        ls->sec = sec;
      }
      memcpy(s, ls->cache, 20);
      if (ls->kind == LOGSTAMP_ISO)
      {
        dec(s + 20, nsec / 1000, 6);
        s[26] = 'Z';
        n = 27;
      }
      else
      {
        dec(s + 20, nsec / 10000, 5);
        n = 25;
      }
      s[n] = ' ';
      return n + 1;
    default:
      return 0;
  }
}
