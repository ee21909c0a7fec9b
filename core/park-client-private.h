/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-client-private.h: the request machinery of park-client.c, shared by the files that
 * hold ParkClient's calls (park-client-lots.c, -reservations.c, -account.c, -booth.c).
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "park-client.h"
#include "park-json-private.h"

G_BEGIN_DECLS

typedef struct _Call Call;

/* Turns a successful answer into the task's result (and returns it), or fails; takes the
 * task. @root is NULL for an answer without a JSON body. */
typedef void (*CallHandler) (ParkClient *self,
                             GTask      *task,
                             Call       *call,
                             guint       status,
                             JsonObject *root,
                             GBytes     *body);

struct _Call
{
  char            *method;
  char            *path;            /* below the base URL, with its query */
  GBytes          *body;            /* JSON, or NULL */
  char            *idempotency_key;
  gboolean         authenticated;   /* send the access token, refresh on 401 */
  gboolean         retried;         /* sent again after a refresh already */
  gboolean         kiosk;           /* with nobody signed in, the kiosk's key may stand in */
  char            *sent_token;      /* the access token the last try carried */
  const char      *accept;

  CallHandler      handler;
  ParkModelParser  parser;          /* for model and list calls */

  /* Lists: the pages read so far, and how many items are wanted (0: all). */
  GListStore      *store;
  guint            page;
  guint            max_results;

  gpointer         extra;           /* a handler's own data */
  GDestroyNotify   extra_free;

  /* The offline cache: answers are kept, and served marked stale when the server cannot be
   * reached. */
  gboolean         cache;
  gboolean         stale;
  GError          *unreachable;     /* why the cache is being read */
  /* Answers that must be fresh (prices): out of reach, the call fails saying it is offline. */
  gboolean         never_stale;
};

Call        *_park_client_call_new          (const char          *method,
                                             char                *path,
                                             CallHandler          handler);
Call        *_park_client_model_call        (const char          *method,
                                             char                *path,
                                             ParkModelParser      parser);
Call        *_park_client_list_call         (char                *path,
                                             ParkModelParser      parser,
                                             GType                item_type,
                                             guint                max_results);
void         _park_client_start             (ParkClient          *self,
                                             Call                *call,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data,
                                             gpointer             source_tag);
gpointer     _park_client_finish_pointer    (ParkClient          *self,
                                             GAsyncResult        *result,
                                             gpointer             source_tag,
                                             GError             **error);
gboolean     _park_client_finish_boolean    (ParkClient          *self,
                                             GAsyncResult        *result,
                                             gpointer             source_tag,
                                             GError             **error);
void         _park_client_handle_nothing    (ParkClient          *self,
                                             GTask               *task,
                                             Call                *call,
                                             guint                status,
                                             JsonObject          *root,
                                             GBytes              *body);

GBytes      *_park_client_body_from_builder (JsonBuilder         *builder);
void         _park_client_add_string_member (JsonBuilder         *builder,
                                             const char          *name,
                                             const char          *value);
char        *_park_client_format_time       (GDateTime           *time);
const char  *_park_client_nick_of           (GType                type,
                                             int                  value);
void         _park_client_add_param         (GString             *path,
                                             const char          *name,
                                             const char          *value);
void         _park_client_add_param_double  (GString             *path,
                                             const char          *name,
                                             double               value);
char        *_park_client_segment           (const char          *value);

/* Ends the sign-in here (the server ended it already): tokens and the stored one forgotten. */
void         _park_client_end_sign_in       (ParkClient          *self);

/* For the live feed: the client's session and its current access token (or NULL). */
SoupSession *_park_client_get_session       (ParkClient          *self);
const char  *_park_client_get_access_token  (ParkClient          *self);
/* Replaces the access token (the refresh token stays): for tests that need one about to
 * expire, which parkd never issues. */
void         _park_client_set_access_token  (ParkClient          *self,
                                             const char          *token);

G_END_DECLS
