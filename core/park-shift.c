/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * park-shift.c: an attendant's shift and the entries of its report. Both are read-only
 * snapshots of an answer: a shift's totals move with every payment, so the console asks
 * again rather than watching properties.
 */
#include "config.h"

#include "park-shift.h"
#include "park-json-private.h"
#include "park-shift-private.h"

struct _ParkShift
{
  GObject parent_instance;

  char      *id;
  char      *attendant_email;
  char      *lot_id;
  gboolean   open;
  char      *currency;
  gint64     float_amount;
  GDateTime *opened_at;
  GDateTime *closed_at;
  guint      n_payments;
  gint64     taken;
  gint64     change_given;
  guint      n_refunds;
  gint64     refunded;
  gint64     expected;
  gint64     counted;
  gint64     difference;
  char      *note;
};

G_DEFINE_FINAL_TYPE (ParkShift, park_shift, G_TYPE_OBJECT)

struct _ParkShiftEntry
{
  GObject parent_instance;

  gboolean   refund;
  char      *id;
  char      *payment_id;
  gint64     amount;
  gint64     tendered;
  gint64     change;
  char      *reference;
  char      *reason;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (ParkShiftEntry, park_shift_entry, G_TYPE_OBJECT)

static void
park_shift_finalize (GObject *object)
{
  ParkShift *self = (ParkShift *) object;

  g_free (self->id);
  g_free (self->attendant_email);
  g_free (self->lot_id);
  g_free (self->currency);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  g_free (self->note);

  G_OBJECT_CLASS (park_shift_parent_class)->finalize (object);
}

static void
park_shift_class_init (ParkShiftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = park_shift_finalize;
}

static void
park_shift_init (ParkShift *self)
{
}

static void
park_shift_entry_finalize (GObject *object)
{
  ParkShiftEntry *self = (ParkShiftEntry *) object;

  g_free (self->id);
  g_free (self->payment_id);
  g_free (self->reference);
  g_free (self->reason);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (park_shift_entry_parent_class)->finalize (object);
}

static void
park_shift_entry_class_init (ParkShiftEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = park_shift_entry_finalize;
}

static void
park_shift_entry_init (ParkShiftEntry *self)
{
}

ParkShift *
_park_shift_new_from_json_at (JsonObject  *object,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(ParkShift) self = g_object_new (PARK_TYPE_SHIFT, NULL);
  g_autofree char *status = NULL;
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->attendant_email = _park_json_dup_string (&reader, "attendant_email", PARK_JSON_NULLABLE);
  self->lot_id = _park_json_dup_string (&reader, "parking_lot_id", PARK_JSON_NULLABLE);
  status = _park_json_dup_string (&reader, "status", PARK_JSON_NONEMPTY);
  self->open = g_strcmp0 (status, "open") == 0;
  if (status != NULL && !self->open && g_strcmp0 (status, "closed") != 0)
    _park_json_reader_fail (&reader, "status", "is neither open nor closed");
  self->currency = _park_json_dup_string (&reader, "currency", PARK_JSON_NONEMPTY);
  self->float_amount = _park_json_get_int (&reader, "float", 0, G_MAXINT64, 0, 0);
  self->opened_at = _park_json_dup_date_time (&reader, "opened_at", 0);
  self->closed_at = _park_json_dup_date_time (&reader, "closed_at", PARK_JSON_NULLABLE);
  self->n_payments = _park_json_get_int (&reader, "payments", 0, G_MAXUINT, 0, 0);
  self->taken = _park_json_get_int (&reader, "taken", 0, G_MAXINT64, 0, 0);
  self->change_given = _park_json_get_int (&reader, "change_given", 0, G_MAXINT64, 0, 0);
  self->n_refunds = _park_json_get_int (&reader, "refunds", 0, G_MAXUINT, 0, 0);
  self->refunded = _park_json_get_int (&reader, "refunded", 0, G_MAXINT64, 0, 0);
  self->expected = _park_json_get_int (&reader, "expected", G_MININT64, G_MAXINT64, 0, 0);
  self->counted = _park_json_get_int (&reader, "counted", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->difference = _park_json_get_int (&reader, "difference", G_MININT64, G_MAXINT64,
                                         PARK_JSON_NULLABLE, 0);
  self->note = _park_json_dup_string (&reader, "note", 0);
  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

ParkShiftEntry *
_park_shift_entry_new_from_json_at (JsonObject  *object,
                                    const char  *path,
                                    GError     **error)
{
  g_autoptr(ParkShiftEntry) self = g_object_new (PARK_TYPE_SHIFT_ENTRY, NULL);
  g_autofree char *kind = NULL, *ticket = NULL, *code = NULL;
  ParkJsonReader reader;

  _park_json_reader_init (&reader, object, path);
  kind = _park_json_dup_string (&reader, "kind", PARK_JSON_NONEMPTY);
  self->refund = g_strcmp0 (kind, "refund") == 0;
  if (kind != NULL && !self->refund && g_strcmp0 (kind, "payment") != 0)
    _park_json_reader_fail (&reader, "kind", "is neither payment nor refund");
  self->id = _park_json_dup_string (&reader, "id", PARK_JSON_NONEMPTY);
  self->payment_id = _park_json_dup_string (&reader, "payment_id", PARK_JSON_NONEMPTY);
  self->amount = _park_json_get_int (&reader, "amount", 0, G_MAXINT64, 0, 0);
  self->tendered = _park_json_get_int (&reader, "tendered", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  self->change = _park_json_get_int (&reader, "change", 0, G_MAXINT64, PARK_JSON_NULLABLE, -1);
  ticket = _park_json_dup_string (&reader, "ticket", PARK_JSON_NULLABLE);
  code = _park_json_dup_string (&reader, "reservation_code", PARK_JSON_NULLABLE);
  self->reference = g_strdup (ticket != NULL ? ticket : code != NULL ? code : "");
  self->reason = _park_json_dup_string (&reader, "reason", PARK_JSON_NULLABLE);
  self->created_at = _park_json_dup_date_time (&reader, "created_at", 0);
  if (!_park_json_reader_finish (&reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * park_shift_new_from_json:
 * @object: a shift as the API describes it (`Shift` in openapi.json)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new #ParkShift, or %NULL with @error set
 */
ParkShift *
park_shift_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  return _park_shift_new_from_json_at (object, NULL, error);
}

#define GETTER(type, name, member, fallback) \
  type \
  park_shift_get_##name (ParkShift *self) \
  { \
    g_return_val_if_fail (PARK_IS_SHIFT (self), fallback); \
    return self->member; \
  }

/* The getters below return the members of `Shift` in openapi.json; strings and times are
 * (transfer none), the times and the lot %NULL when the answer had null; park_shift_get_counted()
 * is -1 and park_shift_get_difference() 0 while the shift is open.
 */
GETTER (const char *, id, id, NULL)
GETTER (const char *, attendant_email, attendant_email, NULL)
GETTER (const char *, lot_id, lot_id, NULL)
GETTER (gboolean, open, open, FALSE)
GETTER (const char *, currency, currency, NULL)
GETTER (gint64, float, float_amount, 0)
GETTER (GDateTime *, opened_at, opened_at, NULL)
GETTER (GDateTime *, closed_at, closed_at, NULL)
GETTER (guint, n_payments, n_payments, 0)
GETTER (gint64, taken, taken, 0)
GETTER (gint64, change_given, change_given, 0)
GETTER (guint, n_refunds, n_refunds, 0)
GETTER (gint64, refunded, refunded, 0)
GETTER (gint64, expected, expected, 0)
GETTER (gint64, counted, counted, -1)
GETTER (gint64, difference, difference, 0)
GETTER (const char *, note, note, NULL)

#undef GETTER

#define GETTER(type, name, member, fallback) \
  type \
  park_shift_entry_get_##name (ParkShiftEntry *self) \
  { \
    g_return_val_if_fail (PARK_IS_SHIFT_ENTRY (self), fallback); \
    return self->member; \
  }

/* A refund's amount went out of the drawer; a payment's tendered and change are -1 when
 * not given (a card, or nothing due); the reference is the stay's ticket or the booking's
 * code. */
GETTER (gboolean, is_refund, refund, FALSE)
GETTER (const char *, id, id, NULL)
GETTER (const char *, payment_id, payment_id, NULL)
GETTER (gint64, amount, amount, 0)
GETTER (gint64, tendered, tendered, -1)
GETTER (gint64, change, change, -1)
GETTER (const char *, reference, reference, NULL)
GETTER (const char *, reason, reason, NULL)
GETTER (GDateTime *, created_at, created_at, NULL)

#undef GETTER
