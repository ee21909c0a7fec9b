/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * parkd-store.c: dispatch to the configured store, and the plain helpers every store shares.
 */
#include "config.h"

#include "parkd-store-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (parkd-store-error-quark, parkd_store_error)

static const char * const spot_types[PARKD_N_SPOT_TYPES] = {
  "regular", "disabled", "ev", "compact", "motorcycle",
};

static const char * const spot_states[PARKD_N_SPOT_STATES] = {
  "available", "occupied", "reserved", "out_of_service",
};

/* The position of @str in @names, for the enums below. */
static gboolean
name_index (const char * const *names,
            guint               n_names,
            const char         *str,
            guint              *index)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (str, names[i]) == 0)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

const char *
parkd_spot_type_to_string (ParkdSpotType type)
{
  g_return_val_if_fail (type < PARKD_N_SPOT_TYPES, NULL);
  return spot_types[type];
}

gboolean
parkd_spot_type_from_string (const char    *str,
                             ParkdSpotType *type)
{
  guint i;

  if (!name_index (spot_types, G_N_ELEMENTS (spot_types), str, &i))
    return FALSE;
  *type = i;
  return TRUE;
}

static const char * const reservation_statuses[PARKD_N_RESERVATION_STATUSES] = {
  "pending_payment", "confirmed", "checked_in", "completed", "cancelled", "expired", "no_show",
};

const char *
parkd_reservation_status_to_string (ParkdReservationStatus status)
{
  g_return_val_if_fail (status < PARKD_N_RESERVATION_STATUSES, NULL);
  return reservation_statuses[status];
}

gboolean
parkd_reservation_status_from_string (const char             *str,
                                      ParkdReservationStatus *status)
{
  guint i;

  if (!name_index (reservation_statuses, G_N_ELEMENTS (reservation_statuses), str, &i))
    return FALSE;
  *status = i;
  return TRUE;
}

const char *
parkd_spot_state_to_string (ParkdSpotState state)
{
  g_return_val_if_fail (state < PARKD_N_SPOT_STATES, NULL);
  return spot_states[state];
}

gboolean
parkd_spot_state_from_string (const char     *str,
                              ParkdSpotState *state)
{
  guint i;

  if (!name_index (spot_states, G_N_ELEMENTS (spot_states), str, &i))
    return FALSE;
  *state = i;
  return TRUE;
}

static const char * const roles[PARKD_N_ROLES] = {
  "driver", "attendant", "operator", "admin",
};

const char *
parkd_role_to_string (ParkdRole role)
{
  g_return_val_if_fail (role < PARKD_N_ROLES, NULL);
  return roles[role];
}

gboolean
parkd_role_from_string (const char *str,
                        ParkdRole  *role)
{
  guint i;

  if (!name_index (roles, G_N_ELEMENTS (roles), str, &i))
    return FALSE;
  *role = i;
  return TRUE;
}

char *
parkd_now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

#define EARTH_RADIUS_M 6371008.8

/* The haversine term h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2), with the cosines of both
 * latitudes known. It grows with the distance, so a search can filter and order by it and
 * turn only the page's values into metres. */
double
parkd_haversine_h (double lat1,
                   double cos_lat1,
                   double lat2,
                   double cos_lat2,
                   double dlng)
{
  double s_phi = sin ((lat2 - lat1) * G_PI / 360.0);
  double s_lambda = sin (dlng * G_PI / 360.0);

  return s_phi * s_phi + cos_lat1 * cos_lat2 * s_lambda * s_lambda;
}

double
parkd_haversine_h_to_m (double h)
{
  return 2 * EARTH_RADIUS_M * asin (MIN (1.0, sqrt (h)));
}

double
parkd_haversine_h_of_m (double metres)
{
  double s = sin (MIN (metres / (2 * EARTH_RADIUS_M), G_PI / 2));

  return s * s;
}

/* @text as a search compares it: case-folded (ß as ss), without accents (ä as a), so that a
 * driver typing "glaserne" at a kiosk finds "Gläserne Manufaktur". */
char *
parkd_fold_text (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_combining_class (c) == 0)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* Whether @text (as stored) holds @folded (from parkd_fold_text()). */
gboolean
parkd_text_has (const char *text,
                const char *folded)
{
  g_autofree char *haystack = NULL;

  if (text == NULL)
    return FALSE;
  haystack = parkd_fold_text (text);
  return strstr (haystack, folded) != NULL;
}

/* A deep copy of @from into @to (for a booking done on a store thread); free with
 * parkd_new_reservation_clear(). */
void
parkd_new_reservation_copy (ParkdNewReservation       *to,
                            const ParkdNewReservation *from)
{
  *to = *from;
  to->user_id = g_strdup (from->user_id);
  to->kiosk_id = g_strdup (from->kiosk_id);
  to->lot_id = g_strdup (from->lot_id);
  to->spot_id = g_strdup (from->spot_id);
  to->start_time = g_strdup (from->start_time);
  to->end_time = g_strdup (from->end_time);
  to->currency = g_strdup (from->currency);
  to->breakdown = g_strdup (from->breakdown);
  to->quote_id = g_strdup (from->quote_id);
  to->hold_until = g_strdup (from->hold_until);
  to->discount_id = g_strdup (from->discount_id);
  to->plate_sealed = from->plate_sealed != NULL ? g_bytes_ref (from->plate_sealed) : NULL;
  to->idem_scope = g_strdup (from->idem_scope);
  to->idem_key = g_strdup (from->idem_key);
  to->idem_route = g_strdup (from->idem_route);
  to->idem_hash = from->idem_hash != NULL ? g_bytes_ref (from->idem_hash) : NULL;
}

void
parkd_new_reservation_clear (ParkdNewReservation *r)
{
  g_free (r->user_id);
  g_free (r->kiosk_id);
  g_free (r->lot_id);
  g_free (r->spot_id);
  g_free (r->start_time);
  g_free (r->end_time);
  g_free (r->currency);
  g_free (r->breakdown);
  g_free (r->quote_id);
  g_free (r->hold_until);
  g_free (r->discount_id);
  g_clear_pointer (&r->plate_sealed, g_bytes_unref);
  g_free (r->idem_scope);
  g_free (r->idem_key);
  g_free (r->idem_route);
  g_clear_pointer (&r->idem_hash, g_bytes_unref);
}

/* The payload of a payment's outbox event (what the driver's feed gets): what was paid for,
 * a booking or a walk-in stay (the other is null), and @amount of it. */
char *
parkd_payment_event_payload (const ParkdPayment *p,
                             gint64              amount)
{
  return g_strdup_printf (
    "{\"payment_id\":\"%s\",\"reservation_id\":%s%s%s,\"session_id\":%s%s%s,"
    "\"provider\":\"%s\",\"amount\":%" G_GINT64_FORMAT ",\"currency\":\"%s\","
    "\"status\":\"%s\"}",
    p->id, p->reservation_id != NULL ? "\"" : "",
    p->reservation_id != NULL ? p->reservation_id : "null", p->reservation_id != NULL ? "\"" : "",
    p->session_id != NULL ? "\"" : "", p->session_id != NULL ? p->session_id : "null",
    p->session_id != NULL ? "\"" : "", p->provider, amount, p->currency, p->status);
}

/* The payload of a booking's outbox event: its spot and the @status it has now. */
char *
parkd_reservation_event_payload (const char *reservation_id,
                                 const char *spot_id,
                                 const char *status)
{
  return g_strdup_printf ("{\"reservation_id\":\"%s\",\"spot_id\":\"%s\",\"status\":\"%s\"}",
                          reservation_id, spot_id, status);
}

/* The payload of a walk-in stay's outbox event: its spot, null when it has none. */
char *
parkd_session_event_payload (const char *session_id,
                             const char *spot_id)
{
  return g_strdup_printf ("{\"session_id\":\"%s\",\"spot_id\":%s%s%s}", session_id,
                          spot_id != NULL ? "\"" : "", spot_id != NULL ? spot_id : "null",
                          spot_id != NULL ? "\"" : "");
}

/* Which moves a booking's lifecycle allows, whichever store keeps it. */
gboolean
parkd_reservation_move_allowed (ParkdReservationStatus from,
                                ParkdReservationStatus to)
{
  switch (to)
    {
    case PARKD_RESERVATION_CONFIRMED:
      return from == PARKD_RESERVATION_PENDING_PAYMENT;
    case PARKD_RESERVATION_CHECKED_IN:
      return from == PARKD_RESERVATION_CONFIRMED;
    case PARKD_RESERVATION_COMPLETED:
      return from == PARKD_RESERVATION_CHECKED_IN;
    case PARKD_RESERVATION_CANCELLED:
      return from == PARKD_RESERVATION_PENDING_PAYMENT || from == PARKD_RESERVATION_CONFIRMED;
    case PARKD_RESERVATION_EXPIRED:
      return from == PARKD_RESERVATION_PENDING_PAYMENT;
    case PARKD_RESERVATION_NO_SHOW:
      return from == PARKD_RESERVATION_CONFIRMED;
    case PARKD_RESERVATION_PENDING_PAYMENT:
    case PARKD_N_RESERVATION_STATUSES:
    default:
      return FALSE;
    }
}

/* The outbox event a move to @to writes. */
const char *
parkd_reservation_event_for (ParkdReservationStatus to)
{
  switch (to)
    {
    case PARKD_RESERVATION_CONFIRMED:   return "ReservationConfirmed";
    case PARKD_RESERVATION_CHECKED_IN:  return "VehicleCheckedIn";
    case PARKD_RESERVATION_COMPLETED:   return "ParkingSpotReleased";
    case PARKD_RESERVATION_CANCELLED:   return "ReservationCancelled";
    case PARKD_RESERVATION_EXPIRED:     return "ReservationExpired";
    case PARKD_RESERVATION_NO_SHOW:     return "ReservationNoShow";
    case PARKD_RESERVATION_PENDING_PAYMENT:
    case PARKD_N_RESERVATION_STATUSES:
    default:                            return "ReservationChanged";
    }
}

void
parkd_operator_free (ParkdOperator *op)
{
  if (op == NULL)
    return;
  g_free (op->id);
  g_free (op->slug);
  g_free (op->name);
  g_free (op->city);
  g_free (op->time_zone);
  g_free (op->currency);
  g_free (op->created_at);
  g_free (op);
}

void
parkd_lot_clear (ParkdLot *lot)
{
  g_clear_pointer (&lot->id, g_free);
  g_clear_pointer (&lot->operator_id, g_free);
  g_clear_pointer (&lot->operator_slug, g_free);
  g_clear_pointer (&lot->operator_name, g_free);
  g_clear_pointer (&lot->name, g_free);
  g_clear_pointer (&lot->address, g_free);
  g_clear_pointer (&lot->city, g_free);
  g_clear_pointer (&lot->lot_type, g_free);
  g_clear_pointer (&lot->currency, g_free);
  g_clear_pointer (&lot->time_zone, g_free);
  g_clear_pointer (&lot->operating_hours, g_free);
  g_clear_pointer (&lot->amenities, g_free);
  g_clear_pointer (&lot->status, g_free);
  g_clear_pointer (&lot->created_at, g_free);
  g_clear_pointer (&lot->updated_at, g_free);
}

void
parkd_lot_free (ParkdLot *lot)
{
  if (lot == NULL)
    return;
  parkd_lot_clear (lot);
  g_free (lot);
}

void
parkd_spot_free (ParkdSpot *spot)
{
  if (spot == NULL)
    return;
  g_free (spot->id);
  g_free (spot->lot_id);
  g_free (spot->number);
  g_free (spot->updated_at);
  g_free (spot);
}

void
parkd_user_free (ParkdUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->email);
  g_free (user->password_hash);
  g_free (user->first_name);
  g_free (user->last_name);
  g_clear_pointer (&user->phone_sealed, g_bytes_unref);
  g_free (user->operator_id);
  g_free (user->operator_slug);
  g_free (user->operator_name);
  g_free (user->created_at);
  g_free (user->updated_at);
  g_free (user);
}

void
parkd_vehicle_free (ParkdVehicle *vehicle)
{
  if (vehicle == NULL)
    return;
  g_free (vehicle->id);
  g_free (vehicle->user_id);
  g_clear_pointer (&vehicle->plate_sealed, g_bytes_unref);
  g_clear_pointer (&vehicle->plate_hash, g_bytes_unref);
  g_free (vehicle->country);
  g_free (vehicle->nickname);
  g_free (vehicle->created_at);
  g_free (vehicle);
}

void
parkd_audit_free (ParkdAudit *audit)
{
  if (audit == NULL)
    return;
  g_free (audit->at);
  g_free (audit->actor_id);
  g_free (audit->action);
  g_free (audit->object_type);
  g_free (audit->object_id);
  g_free (audit->operator_id);
  g_free (audit->client);
  g_free (audit->detail);
  g_free (audit);
}

void
parkd_session_free (ParkdSession *session)
{
  if (session == NULL)
    return;
  g_free (session->user_id);
  g_free (session->family_id);
  g_free (session);
}

void
parkd_page_free (ParkdPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  if (page->keepalive_free != NULL)
    page->keepalive_free (page->keepalive);
  g_free (page);
}

/* @uri is a file path (SQLite); "postgresql://" URIs belong to the PostgreSQL store (#10). */
ParkdStore *
parkd_store_open (const char  *uri,
                  GError     **error)
{
  return parkd_store_open_with_replica (uri, NULL, error);
}

ParkdStore *
parkd_store_open_with_replica (const char  *uri,
                               const char  *replica_uri,
                               GError     **error)
{
  gboolean postgresql;

  g_return_val_if_fail (uri != NULL, NULL);

  postgresql = g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://");
  if (replica_uri != NULL && *replica_uri != '\0' && !postgresql)
    {
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "A read replica needs a PostgreSQL database (--database postgresql://...)");
      return NULL;
    }
  if (postgresql)
    {
#ifdef HAVE_LIBPQ
      return _parkd_store_pg_open (uri, replica_uri, error);
#else
      g_set_error (error, PARKD_STORE_ERROR, PARKD_STORE_ERROR_BACKEND,
                   "This parkd was built without the PostgreSQL store");
      return NULL;
#endif
    }

  if (g_str_has_prefix (uri, "sqlite:"))
    uri += strlen ("sqlite:");

  return _parkd_store_sqlite_open (uri, error);
}

void
parkd_store_free (ParkdStore *self)
{
  if (self != NULL)
    self->vtable->free (self);
}

const char *
parkd_store_get_kind (ParkdStore *self)
{
  return self->vtable->kind;
}

/* 0 when the store is in this process; else how many requests are worth sending it at once
 * (each call a round trip on the network: parkd runs them on a pool of that many threads). */
guint
parkd_store_get_concurrency (ParkdStore *self)
{
  return self->vtable->concurrency;
}

gboolean
parkd_store_ping (ParkdStore  *self,
                  GError     **error)
{
  return self->vtable->ping (self, error);
}

/* Loads what the store keeps in memory before the first request would. */
gboolean
parkd_store_warm (ParkdStore  *self,
                  GError     **error)
{
  return self->vtable->warm (self, error);
}

gboolean
parkd_store_counts (ParkdStore        *self,
                    ParkdStoreCounts  *counts,
                    GError           **error)
{
  return self->vtable->counts (self, counts, error);
}

ParkdPage *
parkd_store_search_lots (ParkdStore           *self,
                         const ParkdLotQuery  *query,
                         GError              **error)
{
  return self->vtable->search_lots (self, query, error);
}

ParkdLot *
parkd_store_get_lot (ParkdStore  *self,
                     const char  *id,
                     GError     **error)
{
  return self->vtable->get_lot (self, id, error);
}

ParkdPage *
parkd_store_list_spots (ParkdStore            *self,
                        const char            *lot_id,
                        const ParkdSpotQuery  *query,
                        GError               **error)
{
  return self->vtable->list_spots (self, lot_id, query, error);
}

GPtrArray *
parkd_store_get_availability (ParkdStore          *self,
                              const char * const  *lot_ids,
                              GError             **error)
{
  return self->vtable->get_availability (self, lot_ids, error);
}

gboolean
parkd_store_bounds (ParkdStore  *self,
                    double      *min_lng,
                    double      *min_lat,
                    double      *max_lng,
                    double      *max_lat,
                    GError     **error)
{
  return self->vtable->bounds (self, min_lng, min_lat, max_lng, max_lat, error);
}

ParkdOperator *
parkd_store_get_operator (ParkdStore  *self,
                          const char  *slug,
                          GError     **error)
{
  return self->vtable->get_operator (self, slug, error);
}

gboolean
parkd_store_import_lots (ParkdStore           *self,
                         const ParkdOperator  *op,
                         ParkdNewLot         **lots,
                         guint                 n_lots,
                         const ParkdAudit     *audit,
                         GError              **error)
{
  return self->vtable->import_lots (self, op, lots, n_lots, audit, error);
}

ParkdOperator *
parkd_store_get_operator_by_id (ParkdStore  *self,
                                const char  *id,
                                GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);
  return self->vtable->get_operator_by_id (self, id, error);
}

ParkdPage *
parkd_store_list_operators (ParkdStore  *self,
                            const char  *only_id,
                            guint        page,
                            guint        per_page,
                            GError     **error)
{
  return self->vtable->list_operators (self, only_id, page, per_page, error);
}

ParkdOperator *
parkd_store_create_operator (ParkdStore           *self,
                             const ParkdOperator  *op,
                             const ParkdAudit     *audit,
                             GError              **error)
{
  g_return_val_if_fail (op != NULL && op->slug != NULL, NULL);
  return self->vtable->create_operator (self, op, audit, error);
}

ParkdPage *
parkd_store_list_operator_lots (ParkdStore  *self,
                                const char  *operator_id,
                                guint        page,
                                guint        per_page,
                                GError     **error)
{
  return self->vtable->list_operator_lots (self, operator_id, page, per_page, error);
}

ParkdLot *
parkd_store_create_lot (ParkdStore         *self,
                        const ParkdNewLot  *lot,
                        const ParkdAudit   *audit,
                        GError            **error)
{
  g_return_val_if_fail (lot != NULL && lot->lot.operator_id != NULL, NULL);
  return self->vtable->create_lot (self, lot, audit, error);
}

ParkdLot *
parkd_store_update_lot (ParkdStore        *self,
                        const ParkdLot    *lot,
                        const ParkdAudit  *audit,
                        GError           **error)
{
  g_return_val_if_fail (lot != NULL && lot->id != NULL, NULL);
  return self->vtable->update_lot (self, lot, audit, error);
}

gboolean
parkd_store_delete_lot (ParkdStore        *self,
                        const char        *id,
                        const ParkdAudit  *audit,
                        GError           **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  return self->vtable->delete_lot (self, id, audit, error);
}

ParkdSpot *
parkd_store_get_spot (ParkdStore  *self,
                      const char  *id,
                      GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);
  return self->vtable->get_spot (self, id, error);
}

ParkdSpot *
parkd_store_create_spot (ParkdStore        *self,
                         const ParkdSpot   *spot,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (spot != NULL && spot->lot_id != NULL, NULL);
  return self->vtable->create_spot (self, spot, audit, error);
}

ParkdSpot *
parkd_store_update_spot (ParkdStore        *self,
                         const ParkdSpot   *spot,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (spot != NULL && spot->id != NULL, NULL);
  return self->vtable->update_spot (self, spot, audit, error);
}

gboolean
parkd_store_delete_spot (ParkdStore        *self,
                         const char        *id,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  return self->vtable->delete_spot (self, id, audit, error);
}

ParkdUser *
parkd_store_create_user (ParkdStore        *self,
                         const ParkdUser   *user,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (user != NULL && user->email != NULL, NULL);
  return self->vtable->create_user (self, user, audit, error);
}

ParkdUser *
parkd_store_get_user (ParkdStore  *self,
                      const char  *id,
                      GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);
  return self->vtable->get_user (self, id, error);
}

ParkdUser *
parkd_store_get_user_by_email (ParkdStore  *self,
                               const char  *email,
                               GError     **error)
{
  g_return_val_if_fail (email != NULL, NULL);
  return self->vtable->get_user_by_email (self, email, error);
}

ParkdUser *
parkd_store_update_user (ParkdStore        *self,
                         const ParkdUser   *user,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (user != NULL && user->id != NULL, NULL);
  return self->vtable->update_user (self, user, audit, error);
}

gboolean
parkd_store_delete_user (ParkdStore        *self,
                         const char        *id,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  return self->vtable->delete_user (self, id, audit, error);
}

ParkdPage *
parkd_store_list_staff (ParkdStore  *self,
                        const char  *operator_id,
                        guint        page,
                        guint        per_page,
                        GError     **error)
{
  return self->vtable->list_staff (self, operator_id, page, per_page, error);
}

GPtrArray *
parkd_store_list_vehicles (ParkdStore  *self,
                           const char  *user_id,
                           GError     **error)
{
  g_return_val_if_fail (user_id != NULL, NULL);
  return self->vtable->list_vehicles (self, user_id, error);
}

ParkdVehicle *
parkd_store_add_vehicle (ParkdStore          *self,
                         const ParkdVehicle  *vehicle,
                         GError             **error)
{
  g_return_val_if_fail (vehicle != NULL && vehicle->user_id != NULL, NULL);
  return self->vtable->add_vehicle (self, vehicle, error);
}

gboolean
parkd_store_delete_vehicle (ParkdStore  *self,
                            const char  *user_id,
                            const char  *id,
                            GError     **error)
{
  g_return_val_if_fail (user_id != NULL && id != NULL, FALSE);
  return self->vtable->delete_vehicle (self, user_id, id, error);
}

ParkdSession *
parkd_store_start_session (ParkdStore        *self,
                           const char        *user_id,
                           GBytes            *token_hash,
                           const char        *expires_at,
                           const char        *client,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  g_return_val_if_fail (user_id != NULL && token_hash != NULL && expires_at != NULL, NULL);
  return self->vtable->start_session (self, user_id, token_hash, expires_at, client, audit,
                                      error);
}

/* On a failure (@error set) the result is PARKD_REFRESH_UNKNOWN and *@session NULL. */
ParkdRefreshResult
parkd_store_rotate_refresh (ParkdStore     *self,
                            GBytes         *old_hash,
                            GBytes         *new_hash,
                            const char     *new_expires_at,
                            ParkdSession  **session,
                            GError        **error)
{
  g_return_val_if_fail (old_hash != NULL && new_hash != NULL && new_expires_at != NULL,
                        PARKD_REFRESH_UNKNOWN);
  if (session != NULL)
    *session = NULL;
  return self->vtable->rotate_refresh (self, old_hash, new_hash, new_expires_at, session,
                                       error);
}

gboolean
parkd_store_revoke_family (ParkdStore        *self,
                           const char        *family_id,
                           const char        *reason,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  g_return_val_if_fail (family_id != NULL, FALSE);
  return self->vtable->revoke_family (self, family_id, reason, audit, error);
}

gboolean
parkd_store_revoke_user_sessions (ParkdStore  *self,
                                  const char  *user_id,
                                  const char  *reason,
                                  GPtrArray  **families,
                                  GError     **error)
{
  g_return_val_if_fail (user_id != NULL, FALSE);
  return self->vtable->revoke_user_sessions (self, user_id, reason, families, error);
}

gboolean
parkd_store_revoke_access_token (ParkdStore  *self,
                                 const char  *jti,
                                 const char  *expires_at,
                                 GError     **error)
{
  g_return_val_if_fail (jti != NULL && expires_at != NULL, FALSE);
  return self->vtable->revoke_access_token (self, jti, expires_at, error);
}

gboolean
parkd_store_load_revocations (ParkdStore  *self,
                              const char  *since,
                              GPtrArray  **jtis,
                              GPtrArray  **families,
                              GError     **error)
{
  g_return_val_if_fail (jtis != NULL && families != NULL, FALSE);
  *jtis = NULL;
  *families = NULL;
  return self->vtable->load_revocations (self, since, jtis, families, error);
}

gboolean
parkd_store_session_active (ParkdStore  *self,
                            const char  *family_id,
                            GError     **error)
{
  g_return_val_if_fail (family_id != NULL, FALSE);
  return self->vtable->session_active (self, family_id, error);
}

gboolean
parkd_store_audit (ParkdStore        *self,
                   const ParkdAudit  *audit,
                   GError           **error)
{
  g_return_val_if_fail (audit != NULL && audit->action != NULL, FALSE);
  return self->vtable->audit (self, audit, error);
}

ParkdPage *
parkd_store_list_audit (ParkdStore  *self,
                        const char  *operator_id,
                        guint        page,
                        guint        per_page,
                        GError     **error)
{
  return self->vtable->list_audit (self, operator_id, page, per_page, error);
}

void
parkd_store_book_async (ParkdStore                *self,
                        const ParkdNewReservation *request,
                        ParkdBookingDone           done,
                        gpointer                   user_data)
{
  g_return_if_fail (request != NULL && done != NULL);
  self->vtable->book_async (self, request, done, user_data);
}

ParkdBookingResult *
parkd_store_book (ParkdStore                *self,
                  const ParkdNewReservation *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return self->vtable->book (self, request);
}

ParkdReservation *
parkd_store_get_reservation (ParkdStore  *self,
                             const char  *id,
                             GError     **error)
{
  return self->vtable->get_reservation (self, id, FALSE, error);
}

ParkdReservation *
parkd_store_get_reservation_by_code (ParkdStore  *self,
                                     const char  *code,
                                     GError     **error)
{
  return self->vtable->get_reservation (self, code, TRUE, error);
}

ParkdPage *
parkd_store_list_reservations (ParkdStore  *self,
                               const char  *user_id,
                               const char  *status,
                               guint        page,
                               guint        per_page,
                               GError     **error)
{
  return self->vtable->list_reservations (self, user_id, status, page, per_page, error);
}

ParkdReservation *
parkd_store_set_reservation_status (ParkdStore              *self,
                                    const char              *id,
                                    ParkdReservationStatus   status,
                                    const ParkdAudit        *audit,
                                    GError                 **error)
{
  return self->vtable->set_reservation_status (self, id, status, audit, error);
}

ParkdBookingResult *
parkd_store_extend_reservation (ParkdStore  *self,
                                const char  *id,
                                const char  *new_end,
                                gint64       new_total,
                                const char  *breakdown)
{
  return self->vtable->extend_reservation (self, id, new_end, new_total, breakdown);
}

guint
parkd_store_release_due (ParkdStore  *self,
                         gint64       no_show_grace_s,
                         GError     **error)
{
  return self->vtable->release_due (self, no_show_grace_s, error);
}

double
parkd_store_booked_share (ParkdStore     *self,
                          const char     *lot_id,
                          ParkdSpotType   spot_type,
                          const char     *start_time,
                          const char     *end_time,
                          GError        **error)
{
  return self->vtable->booked_share (self, lot_id, spot_type, start_time, end_time, error);
}

char *
parkd_store_get_pricing (ParkdStore  *self,
                         const char  *lot_id,
                         GError     **error)
{
  return self->vtable->get_pricing (self, lot_id, error);
}

gboolean
parkd_store_set_pricing (ParkdStore        *self,
                         const char        *lot_id,
                         const char        *pricing,
                         const ParkdAudit  *audit,
                         GError           **error)
{
  return self->vtable->set_pricing (self, lot_id, pricing, audit, error);
}

GPtrArray *
parkd_store_list_events (ParkdStore  *self,
                         gint64       after_seq,
                         guint        limit,
                         GError     **error)
{
  return self->vtable->list_events (self, after_seq, limit, error);
}

gboolean
parkd_store_outbox_waiting (ParkdStore *self)
{
  return self->vtable->outbox_waiting != NULL && self->vtable->outbox_waiting (self);
}

GPtrArray *
parkd_store_feed_start (ParkdStore  *self,
                        gint64      *head,
                        GError     **error)
{
  return self->vtable->feed_start (self, head, error);
}

ParkdLotFeed *
parkd_store_get_lot_feed (ParkdStore  *self,
                          const char  *lot_id,
                          GError     **error)
{
  return self->vtable->get_lot_feed (self, lot_id, error);
}

GPtrArray *
parkd_store_lot_feed_since (ParkdStore  *self,
                            const char  *lot_id,
                            gint64       after_seq,
                            guint        limit,
                            GError     **error)
{
  return self->vtable->lot_feed_since (self, lot_id, after_seq, limit, error);
}

gboolean
parkd_store_mark_published (ParkdStore  *self,
                            gint64       seq,
                            GError     **error)
{
  return self->vtable->mark_published (self, seq, error);
}

guint
parkd_store_notice_ending (ParkdStore  *self,
                           gint64       lead_s,
                           GError     **error)
{
  return self->vtable->notice_ending (self, lead_s, error);
}

void
parkd_store_set_changed_func (ParkdStore            *self,
                              ParkdStoreChangedFunc  func,
                              gpointer               user_data)
{
  self->changed_data = user_data;
  self->changed = func;
}

void
parkd_event_free (ParkdEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->type);
  g_free (event->aggregate);
  g_free (event->operator_id);
  g_free (event->payload);
  g_free (event->created_at);
  g_free (event->user_id);
  g_free (event);
}

void
parkd_lot_feed_free (ParkdLotFeed *feed)
{
  if (feed == NULL)
    return;
  g_free (feed->lot_id);
  g_free (feed->status);
  g_free (feed);
}

gboolean
parkd_store_save_quote (ParkdStore        *self,
                        ParkdStoredQuote  *quote,
                        GError           **error)
{
  return self->vtable->save_quote (self, quote, error);
}

ParkdStoredQuote *
parkd_store_get_quote (ParkdStore  *self,
                       const char  *id,
                       GError     **error)
{
  return self->vtable->get_quote (self, id, error);
}

void
parkd_stored_quote_free (ParkdStoredQuote *quote)
{
  if (quote == NULL)
    return;
  g_free (quote->id);
  g_free (quote->lot_id);
  g_free (quote->start_time);
  g_free (quote->end_time);
  g_free (quote->currency);
  g_free (quote->breakdown);
  g_free (quote->created_at);
  g_free (quote->expires_at);
  g_free (quote);
}

ParkdPayment *
parkd_store_record_payment (ParkdStore          *self,
                            const ParkdPayment  *payment,
                            const ParkdAudit    *audit,
                            GError             **error)
{
  g_return_val_if_fail (payment != NULL && payment->reservation_id != NULL, NULL);
  return self->vtable->record_payment (self, payment, audit, error);
}

ParkdPayment *
parkd_store_get_payment (ParkdStore  *self,
                         const char  *id,
                         GError     **error)
{
  return self->vtable->get_payment (self, PARKD_PAYMENT_BY_ID, id, NULL, error);
}

ParkdPayment *
parkd_store_get_payment_by_ref (ParkdStore  *self,
                                const char  *provider,
                                const char  *provider_ref,
                                GError     **error)
{
  g_return_val_if_fail (provider != NULL && provider_ref != NULL, NULL);
  return self->vtable->get_payment (self, PARKD_PAYMENT_BY_REF, provider, provider_ref, error);
}

ParkdPayment *
parkd_store_get_payment_by_key (ParkdStore  *self,
                                const char  *scope,
                                const char  *key,
                                GError     **error)
{
  g_return_val_if_fail (scope != NULL && key != NULL, NULL);
  return self->vtable->get_payment (self, PARKD_PAYMENT_BY_KEY, scope, key, error);
}

GPtrArray *
parkd_store_list_payments (ParkdStore  *self,
                           const char  *reservation_id,
                           GError     **error)
{
  return self->vtable->list_payments (self, reservation_id, error);
}

ParkdPayment *
parkd_store_complete_checkout (ParkdStore  *self,
                               const char  *id,
                               const char  *provider_ref,
                               GError     **error)
{
  g_return_val_if_fail (id != NULL && provider_ref != NULL, NULL);
  return self->vtable->complete_checkout (self, id, provider_ref, error);
}

GPtrArray *
parkd_store_list_stay_payments (ParkdStore  *self,
                                const char  *session_id,
                                GError     **error)
{
  return self->vtable->list_stay_payments (self, session_id, error);
}

ParkdPayment *
parkd_store_set_payment_status (ParkdStore  *self,
                                const char  *id,
                                const char  *status,
                                GError     **error)
{
  return self->vtable->set_payment_status (self, id, status, error);
}

ParkdPayment *
parkd_store_record_refund (ParkdStore  *self,
                           const char  *payment_id,
                           gint64       amount,
                           const char  *provider_ref,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (amount > 0, NULL);
  return self->vtable->record_refund (self, payment_id, amount, provider_ref, reason, error);
}

void
parkd_payment_free (ParkdPayment *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->reservation_id);
  g_free (p->session_id);
  g_free (p->user_id);
  g_free (p->operator_id);
  g_free (p->provider);
  g_free (p->provider_ref);
  g_free (p->currency);
  g_free (p->status);
  g_free (p->attendant_id);
  g_free (p->breakdown);
  g_free (p->idem_scope);
  g_free (p->idem_key);
  g_free (p->created_at);
  g_free (p->updated_at);
  g_free (p->reservation_code);
  g_free (p->lot_name);
  g_free (p->lot_address);
  g_free (p->time_zone);
  g_free (p->operator_name);
  g_free (p->operator_city);
  g_free (p);
}

ParkdRefundDue *
parkd_store_add_refund_due (ParkdStore            *self,
                            const ParkdRefundDue  *due,
                            const ParkdAudit      *audit,
                            GError               **error)
{
  g_return_val_if_fail (due != NULL && due->provider_ref != NULL && due->idem_key != NULL &&
                        due->currency != NULL && due->reason != NULL && due->amount > 0, NULL);
  return self->vtable->add_refund_due (self, due, audit, error);
}

ParkdRefundDue *
parkd_store_get_void (ParkdStore  *self,
                      const char  *provider_ref,
                      GError     **error)
{
  g_return_val_if_fail (provider_ref != NULL, NULL);
  return self->vtable->get_void (self, provider_ref, error);
}

GPtrArray *
parkd_store_list_refunds_due (ParkdStore  *self,
                              guint        limit,
                              GError     **error)
{
  return self->vtable->list_refunds_due (self, limit, error);
}

gboolean
parkd_store_finish_refund_due (ParkdStore  *self,
                               gint64       id,
                               const char  *refund_ref,
                               GError     **error)
{
  g_return_val_if_fail (refund_ref != NULL, FALSE);
  return self->vtable->finish_refund_due (self, id, refund_ref, error);
}

gboolean
parkd_store_fail_refund_due (ParkdStore  *self,
                             gint64       id,
                             const char  *message,
                             GError     **error)
{
  return self->vtable->fail_refund_due (self, id, message, error);
}

void
parkd_refund_due_free (ParkdRefundDue *due)
{
  if (due == NULL)
    return;
  g_free (due->provider_ref);
  g_free (due->payment_id);
  g_free (due->currency);
  g_free (due->operator_id);
  g_free (due->reason);
  g_free (due->idem_key);
  g_free (due->last_error);
  g_free (due->created_at);
  g_free (due->done_at);
  g_free (due->refund_ref);
  g_free (due);
}

ParkdParkingSession *
parkd_store_check_in (ParkdStore                 *self,
                      const ParkdParkingSession  *want,
                      const char                 *reservation_code,
                      const ParkdIdempotency     *idem,
                      gboolean                   *replayed,
                      GError                    **error)
{
  gboolean ignored;

  g_return_val_if_fail (want != NULL && want->lot_id != NULL, NULL);
  g_return_val_if_fail (idem == NULL || idem->key == NULL ||
                        (idem->scope != NULL && idem->route != NULL && idem->body_hash != NULL),
                        NULL);
  return self->vtable->check_in (self, want, reservation_code, idem,
                                 replayed != NULL ? replayed : &ignored, error);
}

ParkdParkingSession *
parkd_store_get_parking_session (ParkdStore  *self,
                                 const char  *id_or_ticket,
                                 GError     **error)
{
  return self->vtable->get_parking_session (self, id_or_ticket, error);
}

GPtrArray *
parkd_store_find_parking_sessions (ParkdStore  *self,
                                   const char  *lot_id,
                                   GBytes      *plate_hash,
                                   GError     **error)
{
  return self->vtable->find_parking_sessions (self, lot_id, plate_hash, error);
}

ParkdCheckOutResult *
parkd_store_check_out (ParkdStore           *self,
                       const ParkdCheckOut  *request,
                       GError              **error)
{
  g_return_val_if_fail (request != NULL && request->session_id != NULL, NULL);
  g_return_val_if_fail (g_strcmp0 (request->from_status, "active") == 0 ||
                        g_strcmp0 (request->from_status, "paid") == 0, NULL);
  /* An active stay always leaves a payment behind (of 0 when nothing is due): its receipt. */
  g_return_val_if_fail (request->payment != NULL || g_str_equal (request->from_status, "paid"),
                        NULL);
  g_return_val_if_fail (request->payment == NULL || request->payment->amount >= 0, NULL);
  g_return_val_if_fail (request->idem == NULL || request->idem->key == NULL ||
                        (request->idem->scope != NULL && request->idem->route != NULL &&
                         request->idem->body_hash != NULL), NULL);
  return self->vtable->check_out (self, request, error);
}

void
parkd_check_out_result_free (ParkdCheckOutResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->session, parkd_parking_session_free);
  g_clear_pointer (&result->payment, parkd_payment_free);
  g_free (result);
}

void
parkd_parking_session_free (ParkdParkingSession *s)
{
  if (s == NULL)
    return;
  g_free (s->id);
  g_free (s->ticket);
  g_free (s->lot_id);
  g_free (s->operator_id);
  g_free (s->time_zone);
  g_free (s->spot_id);
  g_free (s->spot_number);
  g_free (s->reservation_id);
  g_free (s->reservation_end);
  g_clear_pointer (&s->plate_sealed, g_bytes_unref);
  g_clear_pointer (&s->plate_hash, g_bytes_unref);
  g_free (s->status);
  g_free (s->checked_in_at);
  g_free (s->paid_at);
  g_free (s->leave_by);
  g_free (s->checked_out_at);
  g_free (s->currency);
  g_free (s->breakdown);
  g_free (s->attendant_id);
  g_free (s);
}

ParkdDiscount *
parkd_store_create_discount (ParkdStore           *self,
                             const ParkdDiscount  *discount,
                             const ParkdAudit     *audit,
                             GError              **error)
{
  g_return_val_if_fail (discount != NULL && discount->operator_id != NULL, NULL);
  return self->vtable->create_discount (self, discount, audit, error);
}

ParkdDiscount *
parkd_store_find_discount (ParkdStore  *self,
                           const char  *operator_id,
                           const char  *code,
                           GError     **error)
{
  return self->vtable->find_discount (self, operator_id, code, error);
}

ParkdPage *
parkd_store_list_discounts (ParkdStore  *self,
                            const char  *operator_id,
                            guint        page,
                            guint        per_page,
                            GError     **error)
{
  return self->vtable->list_discounts (self, operator_id, page, per_page, error);
}

GArray *
parkd_store_lot_history (ParkdStore  *self,
                         const char  *lot_id,
                         gint64       from,
                         gint64       to,
                         GError     **error)
{
  g_return_val_if_fail (lot_id != NULL && from < to, NULL);
  return self->vtable->lot_history (self, lot_id, from, to, error);
}

GPtrArray *
parkd_store_revenue (ParkdStore    *self,
                     const char    *operator_id,
                     const gint64  *bounds,
                     guint          n_bounds,
                     gboolean       by_lot,
                     GError       **error)
{
  g_return_val_if_fail (operator_id != NULL && bounds != NULL && n_bounds >= 2, NULL);
  return self->vtable->revenue (self, operator_id, bounds, n_bounds, by_lot, error);
}

gboolean
parkd_store_stays (ParkdStore         *self,
                   const char         *operator_id,
                   const char         *lot_id,
                   gint64              from,
                   gint64              to,
                   ParkdStaysSummary  *summary,
                   GError            **error)
{
  g_return_val_if_fail (summary != NULL && from < to, FALSE);
  return self->vtable->stays (self, operator_id, lot_id, from, to, summary, error);
}

void
parkd_revenue_line_free (ParkdRevenueLine *line)
{
  if (line == NULL)
    return;
  g_free (line->currency);
  g_free (line->lot_id);
  g_free (line->lot_name);
  g_free (line);
}

gboolean
parkd_store_delete_discount (ParkdStore        *self,
                             const char        *operator_id,
                             const char        *id,
                             const ParkdAudit  *audit,
                             GError           **error)
{
  return self->vtable->delete_discount (self, operator_id, id, audit, error);
}

ParkdSensorDevice *
parkd_store_create_sensor (ParkdStore               *self,
                           const ParkdSensorDevice  *device,
                           GBytes                   *key_hash,
                           const ParkdAudit         *audit,
                           GError                  **error)
{
  g_return_val_if_fail (device != NULL && device->operator_id != NULL && device->name != NULL,
                        NULL);
  g_return_val_if_fail (key_hash != NULL, NULL);
  return self->vtable->create_sensor (self, device, key_hash, audit, error);
}

ParkdPage *
parkd_store_list_sensors (ParkdStore  *self,
                          const char  *operator_id,
                          guint        page,
                          guint        per_page,
                          GError     **error)
{
  return self->vtable->list_sensors (self, operator_id, page, per_page, error);
}

gboolean
parkd_store_revoke_sensor (ParkdStore        *self,
                           const char        *operator_id,
                           const char        *id,
                           const ParkdAudit  *audit,
                           GError           **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  return self->vtable->revoke_sensor (self, operator_id, id, audit, error);
}

ParkdSensorDevice *
parkd_store_get_sensor_by_key (ParkdStore  *self,
                               GBytes      *key_hash,
                               GError     **error)
{
  g_return_val_if_fail (key_hash != NULL, NULL);
  return self->vtable->get_sensor_by_key (self, key_hash, error);
}

gboolean
parkd_store_apply_sensor_readings (ParkdStore          *self,
                                   const char          *device_id,
                                   ParkdSensorReading  *readings,
                                   guint                n_readings,
                                   guint               *failed,
                                   GError             **error)
{
  g_return_val_if_fail (device_id != NULL && failed != NULL, FALSE);
  g_return_val_if_fail (readings != NULL || n_readings == 0, FALSE);
  return self->vtable->apply_sensor_readings (self, device_id, readings, n_readings, failed,
                                              error);
}

ParkdKiosk *
parkd_store_create_kiosk (ParkdStore        *self,
                          const ParkdKiosk  *kiosk,
                          GBytes            *key_hash,
                          const ParkdAudit  *audit,
                          GError           **error)
{
  g_return_val_if_fail (kiosk != NULL && kiosk->operator_id != NULL && kiosk->lot_id != NULL &&
                        kiosk->name != NULL, NULL);
  g_return_val_if_fail (key_hash != NULL, NULL);
  return self->vtable->create_kiosk (self, kiosk, key_hash, audit, error);
}

ParkdPage *
parkd_store_list_kiosks (ParkdStore  *self,
                         const char  *operator_id,
                         guint        page,
                         guint        per_page,
                         GError     **error)
{
  return self->vtable->list_kiosks (self, operator_id, page, per_page, error);
}

gboolean
parkd_store_revoke_kiosk (ParkdStore        *self,
                          const char        *operator_id,
                          const char        *id,
                          const ParkdAudit  *audit,
                          GError           **error)
{
  g_return_val_if_fail (id != NULL, FALSE);
  return self->vtable->revoke_kiosk (self, operator_id, id, audit, error);
}

ParkdKiosk *
parkd_store_get_kiosk_by_key (ParkdStore  *self,
                              GBytes      *key_hash,
                              GError     **error)
{
  g_return_val_if_fail (key_hash != NULL, NULL);
  return self->vtable->get_kiosk_by_key (self, key_hash, error);
}

gint64
parkd_store_count_guest_bookings (ParkdStore  *self,
                                  const char  *kiosk_id,
                                  const char  *since,
                                  char       **oldest,
                                  GError     **error)
{
  g_return_val_if_fail (kiosk_id != NULL && since != NULL && oldest != NULL, -1);
  *oldest = NULL;
  return self->vtable->count_guest_bookings (self, kiosk_id, since, oldest, error);
}

void
parkd_kiosk_free (ParkdKiosk *kiosk)
{
  if (kiosk == NULL)
    return;
  g_free (kiosk->id);
  g_free (kiosk->operator_id);
  g_free (kiosk->lot_id);
  g_free (kiosk->lot_name);
  g_free (kiosk->name);
  g_free (kiosk->created_at);
  g_free (kiosk->revoked_at);
  g_free (kiosk);
}

const char *
parkd_sensor_outcome_to_string (ParkdSensorOutcome outcome)
{
  switch (outcome)
    {
    case PARKD_SENSOR_APPLIED:   return "applied";
    case PARKD_SENSOR_UNCHANGED: return "unchanged";
    case PARKD_SENSOR_STALE:     return "stale";
    case PARKD_SENSOR_DUPLICATE: return "duplicate";
    default:                     g_return_val_if_reached ("unchanged");
    }
}

void
parkd_sensor_device_free (ParkdSensorDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->operator_id);
  g_free (device->lot_id);
  g_free (device->name);
  g_free (device->created_at);
  g_free (device->last_seen_at);
  g_free (device->revoked_at);
  g_free (device);
}

GPtrArray *
parkd_store_cash_report (ParkdStore  *self,
                         const char  *operator_id,
                         const char  *attendant_id,
                         const char  *from,
                         const char  *to,
                         GError     **error)
{
  g_return_val_if_fail (operator_id != NULL && from != NULL && to != NULL, NULL);
  return self->vtable->cash_report (self, operator_id, attendant_id, from, to, error);
}

void
parkd_discount_free (ParkdDiscount *d)
{
  if (d == NULL)
    return;
  g_free (d->id);
  g_free (d->operator_id);
  g_free (d->code);
  g_free (d->expires_at);
  g_free (d->created_at);
  g_free (d);
}

void
parkd_cash_line_free (ParkdCashLine *line)
{
  if (line == NULL)
    return;
  g_free (line->attendant_id);
  g_free (line->attendant_email);
  g_free (line->currency);
  g_free (line);
}

gboolean
parkd_store_get_idempotency (ParkdStore  *self,
                             const char  *scope,
                             const char  *key,
                             char       **route,
                             GBytes     **body_hash,
                             int         *status,
                             char       **resource_id,
                             GError     **error)
{
  return self->vtable->get_idempotency (self, scope, key, route, body_hash, status, resource_id,
                                        error);
}

/* ---- Shifts (issue 8) ------------------------------------------------------------------ */

ParkdShift *
parkd_store_open_shift (ParkdStore        *self,
                        const ParkdShift  *want,
                        GError           **error)
{
  g_return_val_if_fail (want != NULL && want->attendant_id != NULL, NULL);
  return self->vtable->open_shift (self, want, error);
}

ParkdShift *
parkd_store_get_shift (ParkdStore  *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);
  return self->vtable->get_shift (self, id, NULL, error);
}

ParkdShift *
parkd_store_get_open_shift (ParkdStore  *self,
                            const char  *attendant_id,
                            GError     **error)
{
  g_return_val_if_fail (attendant_id != NULL, NULL);
  return self->vtable->get_shift (self, NULL, attendant_id, error);
}

ParkdShift *
parkd_store_close_shift (ParkdStore  *self,
                         const char  *id,
                         gint64       counted,
                         const char  *note,
                         GError     **error)
{
  g_return_val_if_fail (id != NULL && counted >= 0, NULL);
  return self->vtable->close_shift (self, id, counted, note, error);
}

GPtrArray *
parkd_store_shift_entries (ParkdStore  *self,
                           const char  *id,
                           GError     **error)
{
  g_return_val_if_fail (id != NULL, NULL);
  return self->vtable->shift_entries (self, id, error);
}

GPtrArray *
parkd_store_board (ParkdStore      *self,
                   const char      *lot_id,
                   ParkdBoardList   list,
                   const char      *now,
                   const char      *until,
                   GError         **error)
{
  g_return_val_if_fail (lot_id != NULL && now != NULL, NULL);
  return self->vtable->board (self, lot_id, list, now, until, error);
}

void
parkd_shift_free (ParkdShift *shift)
{
  if (shift == NULL)
    return;
  g_free (shift->id);
  g_free (shift->attendant_id);
  g_free (shift->attendant_email);
  g_free (shift->operator_id);
  g_free (shift->lot_id);
  g_free (shift->currency);
  g_free (shift->opened_at);
  g_free (shift->closed_at);
  g_free (shift->note);
  g_free (shift);
}

void
parkd_shift_entry_free (ParkdShiftEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->id);
  g_free (entry->payment_id);
  g_free (entry->ticket);
  g_free (entry->reservation_code);
  g_free (entry->reason);
  g_free (entry->created_at);
  g_free (entry);
}

void
parkd_board_item_free (ParkdBoardItem *item)
{
  if (item == NULL)
    return;
  g_free (item->kind);
  g_free (item->id);
  g_free (item->reference);
  g_free (item->status);
  g_clear_pointer (&item->plate_sealed, g_bytes_unref);
  g_free (item->first_name);
  g_free (item->last_name);
  g_free (item->email);
  g_free (item->spot_number);
  g_free (item->start_time);
  g_free (item->end_time);
  g_free (item);
}
