/* ISC license. */

#include <errno.h>
#include <string.h>

#include <skalibs/stralloc.h>

#include "svneeds.h"

typedef struct search_s search;
struct search_s
{
  char const *start;
  char const *stack[SVNEEDS_DEPTH_MAX];
  stralloc seen;                /* paths already searched, each null-terminated */
};

static int
seen (search *s, char const *path)
{
  size_t i = 0;
  while (i < s->seen.len)
  {
    if (!strcmp(s->seen.s + i, path))
      return 1;
    i += strlen(s->seen.s + i) + 1;
  }
  return 0;
}

static int
report (stralloc *sa, search const *s, unsigned int depth)
{
  unsigned int i;
  if (!svneeds_escape(sa, svneeds_basename(s->start)))
    return -1;
  for (i = 0; i < depth; i++)
    if (!stralloc_cats(sa, " -> ") || !svneeds_escape(sa, svneeds_basename(s->stack[i])))
      return -1;
  if (!stralloc_cats(sa, " -> ") || !svneeds_escape(sa, svneeds_basename(s->start)) || !stralloc_0(sa))
    return -1;
  sa->len--;
  return 1;
}

static int
walk (stralloc *sa, search *s, char const *node, unsigned int depth)
{
  stralloc list = STRALLOC_ZERO;
  size_t i = 0;
  int r = 0, n = svneeds_list(&list, node);
  if (n < 0)
    return errno == ENOMEM ? -1 : 0;
  while (!r && i < list.len)
  {
    char const *path = list.s + i + strlen(list.s + i) + 1;
    i = (size_t)(path - list.s) + strlen(path) + 1;
    if (svneeds_same(path, node))
      continue;
    if (svneeds_same(path, s->start))
    {
      r = report(sa, s, depth);
      break;
    }
    if (depth + 1 >= SVNEEDS_DEPTH_MAX || seen(s, path))
      continue;
    if (!stralloc_cats(&s->seen, path) || !stralloc_0(&s->seen))
    {
      r = -1;
      break;
    }
    s->stack[depth] = path;
    r = walk(sa, s, path, depth + 1);
  }
  stralloc_free(&list);
  return r;
}

int
svneeds_cycle (stralloc *sa, char const *dir)
{
  search s = { .start = dir, .seen = STRALLOC_ZERO };
  int r = walk(sa, &s, dir, 0);
  stralloc_free(&s.seen);
  if (r < 0)
    errno = ENOMEM;
  return r;
}
