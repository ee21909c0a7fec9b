/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-tile-source.c: libshumate 1.0 swallows download errors, so the app wraps the
 * downloader. A tile comes from the URL template when the network answers; otherwise from the
 * MBTiles file (read on a worker thread), and the source turns :offline on with the reason.
 * After a failure the network is tried again only every RETRY_S seconds, so a map that pans
 * with no network does not wait on a refused connection per tile. 1.0.x draws a tile only
 * when its source emits ::received-data, so both paths emit it.
 *
 * libshumate's file cache serves whatever file it finds, as fresh as its date: an empty one
 * too. GLib writes a new file in place, so a request can read a tile another one is still
 * writing, and a crash in the middle leaves a tile that would stay blank until it expires. A
 * tile that is no image is dropped from that cache and fetched once more.
 */
#include "config.h"

#include "park-tile-source.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#define RETRY_S 30

struct _ParkTileSource
{
  ShumateDataSource      parent_instance;

  ShumateTileDownloader *downloader;   /* NULL: local tiles only */
  char                  *mbtiles_path; /* NULL: network only */
  char                  *cache_dir;    /* where the downloader keeps its tiles */
  sqlite3               *db;           /* opened on first use, serialized by db_lock */
  GMutex                 db_lock;
  gboolean               offline;
  char                  *last_error;
  gint64                 retry_at;     /* monotonic µs: skip the network until then */
};

G_DEFINE_FINAL_TYPE (ParkTileSource, park_tile_source, SHUMATE_TYPE_DATA_SOURCE)

enum {
  PROP_0,
  PROP_OFFLINE,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int      x, y, z;
  gboolean fetched_again;
} TileRequest;

/* What gdk_texture_new_from_bytes() can read, by its first bytes: an empty file is not. */
static gboolean
is_image (GBytes *bytes)
{
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;

  if (len == 0)
    return FALSE;
  type = g_content_type_guess (NULL, data, len, NULL);
  mime = g_content_type_get_mime_type (type);
  return mime != NULL && g_str_has_prefix (mime, "image/");
}

static void
set_offline (ParkTileSource *self,
             gboolean        offline,
             const char     *reason)
{
  if (reason != NULL && g_strcmp0 (reason, self->last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
read_local_tile (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ParkTileSource *self = source_object;
  TileRequest *req = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->db_lock);
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes = NULL;

  if (self->db == NULL &&
      sqlite3_open_v2 (self->mbtiles_path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Cannot open the offline map %s: %s"), self->mbtiles_path,
                               self->db != NULL ? sqlite3_errmsg (self->db) : "");
      g_clear_pointer (&self->db, sqlite3_close);
      return;
    }
  if (sqlite3_prepare_v2 (self->db, "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND "
                          "tile_column = ?2 AND tile_row = ?3", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The offline map %s is not an MBTiles file"),
                               self->mbtiles_path);
      return;
    }
  /* MBTiles count rows from the south (TMS); libshumate from the north. */
  sqlite3_bind_int (stmt, 1, req->z);
  sqlite3_bind_int (stmt, 2, req->x);
  sqlite3_bind_int (stmt, 3, (1 << req->z) - 1 - req->y);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  if (bytes == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("The offline map has no tile %d/%d/%d"), req->z, req->x, req->y);
  else if (!is_image (bytes))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The offline map's tile %d/%d/%d is damaged"),
                               req->z, req->x, req->y);
      g_bytes_unref (bytes);
    }
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
local_tile_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParkTileSource *self = PARK_TILE_SOURCE (source);
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_emit_by_name (self, "received-data", req->x, req->y, req->z, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
get_local_tile (ParkTileSource *self,
                GTask          *task)
{
  g_autoptr(GTask) worker = NULL;
  TileRequest *req = g_task_get_task_data (task);

  if (self->mbtiles_path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "%s",
                               self->last_error != NULL ? self->last_error
                                                        : _("No map tiles are available"));
      g_object_unref (task);
      return;
    }
  worker = g_task_new (self, g_task_get_cancellable (task), local_tile_cb, task);
  g_task_set_task_data (worker, g_memdup2 (req, sizeof *req), g_free);
  g_task_run_in_thread (worker, read_local_tile);
}

static void network_tile_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* A damaged tile from the downloader's cache: remove the file, so that asking again goes to
 * the tile server (whose answer the cache then keeps), and ask once more. */
static gboolean
fetch_again (ParkTileSource *self,
             GTask          *task)
{
  TileRequest *req = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (req->fetched_again)
    return FALSE;
  req->fetched_again = TRUE;
  path = g_strdup_printf ("%s/%d/%d/%d.png", self->cache_dir, req->z, req->x, req->y);
  if (g_unlink (path) != 0)
    g_debug ("Cannot remove the damaged map tile %s: %s", path, g_strerror (errno));
  shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (self->downloader), req->x,
                                           req->y, req->z, g_task_get_cancellable (task),
                                           network_tile_cb, task);
  return TRUE;
}

static void
network_tile_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ParkTileSource *self = g_task_get_source_object (task);
  TileRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = shumate_data_source_get_tile_data_finish (SHUMATE_DATA_SOURCE (source), result, &error);
  if (bytes != NULL && !is_image (bytes))
    {
      if (fetch_again (self, task))
        return;
      /* The tile server itself sends no image: the offline map may have one. */
      g_debug ("The map tile %d/%d/%d is not an image", req->z, req->x, req->y);
      g_clear_pointer (&bytes, g_bytes_unref);
      if (self->mbtiles_path == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("The map tile %d/%d/%d is damaged"),
                                   req->z, req->x, req->y);
          g_object_unref (task);
          return;
        }
      get_local_tile (self, task);
      return;
    }
  if (bytes != NULL)
    {
      set_offline (self, FALSE, NULL);
      g_signal_emit_by_name (self, "received-data", req->x, req->y, req->z, bytes);
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* A tile the server does not have is not the network failing. */
  if (!g_error_matches (error, SHUMATE_TILE_DOWNLOADER_ERROR,
                        SHUMATE_TILE_DOWNLOADER_ERROR_BAD_RESPONSE))
    {
      g_debug ("Map tiles unreachable: %s", error->message);
      self->retry_at = g_get_monotonic_time () + RETRY_S * G_USEC_PER_SEC;
      set_offline (self, TRUE, error->message);
    }
  get_local_tile (self, task);
}

static void
park_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                      int                  x,
                                      int                  y,
                                      int                  zoom_level,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  ParkTileSource *self = PARK_TILE_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TileRequest *req = g_new0 (TileRequest, 1);

  g_task_set_source_tag (task, park_tile_source_get_tile_data_async);
  req->x = x;
  req->y = y;
  req->z = zoom_level;
  g_task_set_task_data (task, req, g_free);

  if (self->downloader != NULL && g_get_monotonic_time () >= self->retry_at)
    shumate_data_source_get_tile_data_async (SHUMATE_DATA_SOURCE (self->downloader), x, y,
                                             zoom_level, cancellable, network_tile_cb, task);
  else
    get_local_tile (self, task);
}

static GBytes *
park_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
park_tile_source_finalize (GObject *object)
{
  ParkTileSource *self = PARK_TILE_SOURCE (object);

  g_clear_object (&self->downloader);
  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->db_lock);
  g_free (self->mbtiles_path);
  g_free (self->cache_dir);
  g_free (self->last_error);
  G_OBJECT_CLASS (park_tile_source_parent_class)->finalize (object);
}

static void
park_tile_source_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParkTileSource *self = PARK_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
park_tile_source_class_init (ParkTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = park_tile_source_finalize;
  object_class->get_property = park_tile_source_get_property;
  source_class->get_tile_data_async = park_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = park_tile_source_get_tile_data_finish;

  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
park_tile_source_init (ParkTileSource *self)
{
  g_mutex_init (&self->db_lock);
}

ParkTileSource *
park_tile_source_new (const char *url_template,
                      const char *mbtiles_path)
{
  ParkTileSource *self = g_object_new (PARK_TYPE_TILE_SOURCE, NULL);

  if (url_template != NULL && *url_template != '\0')
    {
      /* libshumate 1.0 names the cache after the template, every character but a letter or
       * a digit made '_'; the tiles go in <zoom>/<x>/<y>.png under it. */
      g_autofree char *key = g_strcanon (g_strdup (url_template),
                                         "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", '_');

      self->downloader = shumate_tile_downloader_new (url_template);
      self->cache_dir = g_build_filename (g_get_user_cache_dir (), "shumate", key, NULL);
    }
  if (mbtiles_path != NULL && *mbtiles_path != '\0')
    self->mbtiles_path = g_strdup (mbtiles_path);
  /* With no network source at all, the map is offline by design: say so once. */
  if (self->downloader == NULL)
    {
      self->offline = TRUE;
      self->last_error = g_strdup (_("No tile server is set"));
    }
  return self;
}

gboolean
park_tile_source_get_offline (ParkTileSource *self)
{
  g_return_val_if_fail (PARK_IS_TILE_SOURCE (self), FALSE);
  return self->offline;
}

const char *
park_tile_source_get_last_error (ParkTileSource *self)
{
  g_return_val_if_fail (PARK_IS_TILE_SOURCE (self), NULL);
  return self->last_error;
}

gboolean
park_tile_source_get_has_local (ParkTileSource *self)
{
  g_return_val_if_fail (PARK_IS_TILE_SOURCE (self), FALSE);
  return self->mbtiles_path != NULL;
}
